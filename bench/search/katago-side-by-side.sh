#!/bin/sh
# Side by side, one sitting: KataGo 1.x (Eigen, AVX2, built outside the repo from
# /work/katago-src) and Hoshi, b6c96, 19x19, 800 visits, 1 and 2 threads.
# KataGo twice: its built-in positions and positions of Hoshi's benchmark game.
M=/work/shared/models/g170-b6c96-s175395328-d26788732.bin.gz
K=/tmp/katago-build/katago
H=${H:-/work/main/build/hoshi}
CFG=/work/katago-src/cpp/configs/gtp_example.cfg
cd /tmp
echo "# $(date -u +%FT%TZ) $(nproc) cpus,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); load: $(cut -d' ' -f1-3 /proc/loadavg)"
kg() { $K benchmark -model $M -config $CFG -t 1,2 -v 800 "$@" 2>&1 | grep -E "10 / 10" | sed 's/.*numSearchThreads = *\([0-9]*\): 10 \/ 10 positions, /KataGo threads \1: /'; }
for round in 1 2; do
  echo "## round $round"
  kg
  kg -sgf /tmp/kato.sgf | sed 's/KataGo/KataGo (Hoshi game)/'
  $H benchmark -model $M -t 1,2 -v 800 2>&1 | grep -E "threads|recommended"
  echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
