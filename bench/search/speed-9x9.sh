#!/usr/bin/env bash
# 9x9 speed side by side, one sitting: for each Hoshi binary given, the net alone
# (hoshi benchmark --nn-only, 9x9 and 19x19) and a 1-thread search of 3 x 3000 visits
# from the empty 9x9 board (less a 1-visit run, so loading is not counted);
# then KataGo 1.17.2 (built outside the repo) the same way. Three rounds.
# usage: bench/search/speed-9x9.sh HOSHI_BINARY...
M=${HOSHI_TEST_MODEL:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/models/g170-b6c96-s175395328-d26788732.bin.gz}
K=${KATAGO:-/work/katago-build/katago}
CFG=${KATAGO_CFG:-/work/katago-src/cpp/configs/gtp_example.cfg}
cmds='boardsize 9
komi 7.5
clear_board
genmove b
clear_board
genmove b
clear_board
genmove b
quit'
elapsed() {
  local t0=$(date +%s.%N)
  printf '%s\n' "$cmds" | "$@" >/dev/null 2>&1
  local t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
search() {  # $1 = label, $2 = binary, rest = args; 9000 visits less a 1-visit run (loading)
  local label=$1; shift
  local full=$(elapsed "$@",maxVisits=3000) base=$(elapsed "$@",maxVisits=1)
  echo "$label 9x9 search: $full s - $base s -> $(echo "9000 / ($full - $base)" | bc) visits/s"
}
for round in 1 2 3; do
  for b in "$@"; do
    for s in 9 19; do echo "$b $s: $($b benchmark -model $M -nn-only -size $s -seconds 3 2>&1 | tail -1)"; done
    search "$b" $b gtp -model $M -override-config numSearchThreads=1,searchFactorWhenWinningThreshold=1.0
  done
  search katago $K gtp -model $M -config $CFG -override-config numSearchThreads=1,ponderingEnabled=false,logDir=/tmp/kspeedlogs,searchFactorWhenWinningThreshold=1.0
done
