#!/usr/bin/env bash
# Hoshi (A) against KataGo 1.17 (B) built outside the repo, same net, through
# scripts/match (GNU Go scores, colours alternate, one SGF per game).
#
# usage: bench/strength/vs-katago.sh OUT SIZE GAMES (visits N | time SECONDS) [THREADS]
#   KATAGO=/path/to/katago  KATAGO_CFG=/path/to/gtp_example.cfg  HOSHI=/path/to/hoshi
#   HOSHI_CONFIG=key=value,...  more overrides for Hoshi (recorded in setup.txt)
# Both engines: chosenMoveTemperatureEarly 0.5 (so games differ), resignation
# allowed, Chinese rules, komi 7.5 (no draws), no pondering; everything else is
# each engine's default (KataGo: its gtp_example.cfg).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1 size=$2 games=$3 mode=$4 amount=$5 threads=${6:-1}
katago=${KATAGO:-/work/katago-build/katago}
cfg=${KATAGO_CFG:-/work/katago-src/cpp/configs/gtp_example.cfg}
hoshi=${HOSHI:-$root/build/hoshi}
model=${HOSHI_TEST_MODEL:-$root/../shared/models/g170-b6c96-s175395328-d26788732.bin.gz}
mkdir -p "$out"
out=$(cd "$out" && pwd)
common="chosenMoveTemperatureEarly=0.5,allowResignation=true,numSearchThreads=$threads"
if [ "$mode" = visits ]; then
  limit="maxVisits=$amount" visits=$amount
else
  limit="maxVisits=1000000,maxTime=$amount" visits=1000000
fi
kata="$katago gtp -model $model -config $cfg -override-config $common,$limit,rules=chinese,logDir=$out/katago-logs,ponderingEnabled=false"
cd "$out"
{ echo "# $(date -u +%FT%TZ) size $size games $games $mode $amount threads $threads"
  echo "# A: $hoshi ($($hoshi --version 2>/dev/null | head -1 || true))${HOSHI_CONFIG:+ with $HOSHI_CONFIG}"
  echo "# B: $kata"; } >"$out/setup.txt"
extra="$common"
[ "$mode" = time ] && extra="$extra,maxTime=$amount"
[ -n "${HOSHI_CONFIG:-}" ] && extra="$extra,$HOSHI_CONFIG"
"$root/scripts/match" --hoshi "$hoshi" --model "$model" --size "$size" --games "$games" \
  --visits "$visits" --threads "$threads" --komi 7.5 --out "$out" \
  --config "$extra" --opponent-cmd "$kata"
