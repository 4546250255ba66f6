#!/bin/sh
# Issue 18's closing measurements, in one sitting (run it on an idle machine):
#  1. Side by side, b6c96, 19x19, 800 visits, 1 and 2 threads: Hoshi
#     (`hoshi benchmark`) and KataGo 1.x (Eigen AVX2, built outside the repo),
#     twice, interleaved; then Hoshi with 4 and 8 threads (no collapse when
#     oversubscribed) and Hoshi's network alone (--nn-only, 1 and 2 threads).
#  2. Peak RSS (/usr/bin/time -v) of a GTP session: two 200-visit genmoves at
#     2 threads, and the minimal session (name, quit), Hoshi and KataGo, 3 runs.
# Bars: Hoshi 2 threads >= 1.8x Hoshi 1 thread and >= 1.6x KataGo 2 threads,
# >= 0.9 of the net alone at 2 threads; 4 and 8 threads >= 2 threads;
# RSS <= 0.5x KataGo's in both sessions.
# usage: bench/search/scaling-and-footprint.sh [HOSHI] > result.txt
set -u
M=${M:-/work/shared/models/g170-b6c96-s175395328-d26788732.bin.gz}
K=${K:-/work/katago-build/katago}
KCFGDIR=${KCFGDIR:-/work/katago-src/cpp/configs}
H=$(readlink -f "${1:-build/hoshi}")
V=${V:-800}
load() { echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"; }
echo "# $(date -u +%FT%TZ) $(nproc) cpus,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# hoshi: $H ($(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null))"
load
kg() {
  (cd "$KCFGDIR" && $K benchmark -model "$M" -config gtp_example.cfg -t "$1" -v "$V" 2>&1) |
    grep -E "numSearchThreads = *[0-9]+: 10 / 10" |
    sed 's/.*numSearchThreads = *\([0-9]*\): 10 \/ 10 positions, /KataGo threads \1: /'
}
hs() { "$H" benchmark -model "$M" -t "$1" -v "$V" 2>&1 | grep -E "^threads|^ +x|recommended"; }
for round in 1 2; do
  echo "## round $round: 1 and 2 threads, $V visits"
  kg 1,2
  hs 1,2
  load
done
echo "## Hoshi oversubscribed (2 cores): 2, 4 and 8 threads"
hs 2,4,8
load
echo "## Hoshi network alone (--nn-only, batch 1)"
for t in 1 2; do "$H" benchmark -model "$M" --nn-only -t "$t" --seconds 10 | grep "nn evals"; done
load

echo "## peak RSS (MB), /usr/bin/time -v"
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.1f", $6 / 1024}'; }
G2='genmove b\ngenmove w\nquit\n'
G0='name\nquit\n'
echo "| run | Hoshi 2 genmoves | KataGo 2 genmoves | Hoshi name,quit | KataGo name,quit |"
echo "|---|---|---|---|---|"
for i in 1 2 3; do
  h2=$(printf "$G2" | rss "$H" gtp -model "$M" -override-config maxVisits=200,numSearchThreads=2)
  h0=$(printf "$G0" | rss "$H" gtp -model "$M" -override-config maxVisits=200,numSearchThreads=2)
  ko="maxVisits=200,numSearchThreads=2,logDir=,logFile=/tmp/kg-rss.log"
  k2=$(cd "$KCFGDIR" && printf "$G2" | rss "$K" gtp -model "$M" -config gtp_example.cfg -override-config "$ko")
  k0=$(cd "$KCFGDIR" && printf "$G0" | rss "$K" gtp -model "$M" -config gtp_example.cfg -override-config "$ko")
  echo "| $i | $h2 | $k2 | $h0 | $k0 |"
done
load
