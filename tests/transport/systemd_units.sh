#!/bin/sh
# Checks the units in systemd/: `systemd-analyze verify` on every unit (and an
# instance of the serial template), and the exposure score that
# `systemd-analyze security --offline=true` gives hoshi.service, which must
# be 2.0 or lower.
#
# verify insists that ExecStart's binary exists, and the units name the
# installed path /usr/bin/hoshi; the checks therefore run on copies in which
# that path is replaced by the freshly built binary, nothing else changed.
#
# usage: systemd_units.sh HOSHI_BINARY SOURCE_DIR
set -eu
bin=$1
src=$2
max_exposure=2.0

command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing (scripts/install-deps installs systemd)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for unit in "$src"/systemd/*; do
  sed "s|/usr/bin/hoshi|$bin|g" "$unit" > "$work/$(basename "$unit")"
done
cp "$work/hoshi-serial@.service" "$work/hoshi-serial@ttyGS0.service"
grep -q "$bin" "$work/hoshi.service" || { echo "hoshi.service does not run /usr/bin/hoshi"; exit 1; }

cd "$work"
status=0
for unit in hoshi.service hoshi.socket hoshi-serial@.service hoshi-serial@ttyGS0.service; do
  # verify reports problems on stderr and may still exit 0 for some of them.
  if ! systemd-analyze verify "$unit" > verify.log 2>&1 || [ -s verify.log ]; then
    echo "FAIL: systemd-analyze verify $unit"
    cat verify.log
    status=1
  else
    echo "ok: systemd-analyze verify $unit"
  fi
done

for unit in hoshi.service hoshi-serial@ttyGS0.service; do
  systemd-analyze security --offline=true "$unit" > security.log 2>&1 || true
  exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' security.log)
  if [ -z "$exposure" ]; then
    echo "FAIL: no exposure level for $unit"
    cat security.log
    status=1
  elif awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'; then
    echo "ok: $unit exposure $exposure (at most $max_exposure)"
  else
    echo "FAIL: $unit exposure $exposure is above $max_exposure"
    grep '✗' security.log || true
    status=1
  fi
done
exit $status
