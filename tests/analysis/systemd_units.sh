#!/bin/sh
# The analysis engine's units, checked as tests/transport/systemd_units.sh
# checks the GTP ones: `systemd-analyze verify` on hoshi-analysis.service and
# .socket, and an exposure score of 2.0 or lower from
# `systemd-analyze security --offline=true`; the copies run the built binary.
#
# usage: systemd_units.sh HOSHI_BINARY SOURCE_DIR
set -eu
bin=$1
src=$2
max_exposure=2.0
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing (scripts/install-deps installs systemd)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in hoshi-analysis.service hoshi-analysis.socket; do
  sed "s|/usr/bin/hoshi|$bin|g" "$src/systemd/$unit" > "$work/$unit"
done
cd "$work"
status=0
for unit in hoshi-analysis.service hoshi-analysis.socket; do
  if ! systemd-analyze verify "$unit" > verify.log 2>&1 || [ -s verify.log ]; then
    echo "FAIL: systemd-analyze verify $unit"; cat verify.log; status=1
  else
    echo "ok: systemd-analyze verify $unit"
  fi
done
systemd-analyze security --offline=true hoshi-analysis.service > security.log 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' security.log)
if [ -z "$exposure" ]; then
  echo "FAIL: no exposure level"; cat security.log; status=1
elif awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'; then
  echo "ok: hoshi-analysis.service exposure $exposure (at most $max_exposure)"
else
  echo "FAIL: exposure $exposure is above $max_exposure"; grep '✗' security.log || true; status=1
fi
# Run the way the socket unit runs it: systemd's socket on fd 3 with
# LISTEN_FDS, READY=1 on NOTIFY_SOCKET, a query answered over the socket.
python3 "$src/tests/analysis/socket_activation.py" "$bin" || status=1
exit $status
