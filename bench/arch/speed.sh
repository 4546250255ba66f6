#!/bin/sh
# Issue 17: `hoshi benchmark` speed of builds before, during and after the
# architecture step, side by side in one sitting (run it on an idle
# machine), interleaved: the network alone (--nn-only, 1 thread, batch 1 and
# 2) and the search (19x19, 400 visits, 1 thread), three rounds.
# usage: bench/arch/speed.sh LABEL=HOSHI [LABEL=HOSHI ...] > result.txt
set -u
M=${M:-/work/shared/models/g170-b6c96-s175395328-d26788732.bin.gz}
echo "# $(date -u +%FT%TZ) $(nproc) cpus"
for arg in "$@"; do echo "# ${arg%%=*}: $(readlink -f "${arg#*=}")"; done
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2 3; do
  for arg in "$@"; do
    label=${arg%%=*} H=$(readlink -f "${arg#*=}")
    for batch in 1 2; do
      echo "$label round $round nn-only batch $batch: $("$H" benchmark -model "$M" --nn-only -t 1 -batch $batch -seconds 4 | grep 'nn evals')"
    done
    "$H" benchmark -model "$M" -t 1 -v 400 2>&1 | grep -E "^threads" | sed "s/^/$label round $round search: /"
  done
  echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
