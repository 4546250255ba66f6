#!/usr/bin/env bash
# boards/jetson/trt-engine with a fake trtexec (TensorRT is not installable
# here): syntax, the build command (FP16, batch 1..nnMaxBatchSize from the
# board config and its @includes), the timing table, the plan stored beside
# the net only when complete, and the errors for bad input.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
script=$root/boards/jetson/trt-engine
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

check "bash -n" "bash -n '$script'"
echo "not really onnx" >"$tmp/net.onnx"
export TRTEXEC=$root/tests/export/fake-trtexec FAKE_TRTEXEC_LOG=$tmp/log
out=$("$script" --config "$root/configs/jetson-orin-nano.cfg" "$tmp/net.onnx" 2>&1); rc=$?
echo "$out"
check "exit 0" "[ $rc -eq 0 ]"
check "plan beside the net" "[ -s '$tmp/net.fp16-b24-s19.plan' ]"
check "no temporary plan left" "! ls '$tmp' | grep -q tmp-"
check "FP16 build for batch 1..24" "grep -q -- '--fp16 .*--minShapes=input_spatial:1x22x19x19,input_global:1x19 --optShapes=input_spatial:24x22x19x19,input_global:24x19 --maxShapes=input_spatial:24x22x19x19' '$tmp/log'"
check "timed at batch 1 and 24" "grep -q -- '--shapes=input_spatial:1x22x19x19' '$tmp/log' && grep -q -- '--shapes=input_spatial:24x22x19x19' '$tmp/log'"
check "table rows" "echo \"\$out\" | grep -q '^| 1 | 1000.5 | 1.25 |' && echo \"\$out\" | grep -q '^| 24 | 996.0 | 24.25 |'"

out=$("$script" --config "$root/configs/jetson-nano.cfg" --size 9 "$tmp/net.onnx" 2>&1)
check "nano: batch 8 at 9x9" "[ -s '$tmp/net.fp16-b8-s9.plan' ] && grep -q 'input_spatial:8x22x9x9' '$tmp/log'"
out=$("$script" --config "$root/configs/jetson-nano.cfg" --strongly-typed "$tmp/net.onnx" 2>&1)
check "--strongly-typed replaces --fp16" "tail -3 '$tmp/log' | grep -q -- '--stronglyTyped --saveEngine'"
printf 'nnMaxBatchSize = 12\n' >"$tmp/parent.cfg"
printf '# a board\n@include parent.cfg\nmaxTime = 5\n' >"$tmp/child.cfg"
out=$("$script" --config "$tmp/child.cfg" "$tmp/net.onnx" 2>&1)
check "batch size found through @include" "echo \"\$out\" | grep -q 'batch 1\\.\\.12,'"
bad() {  # name expected-message args...
  local name=$1 msg=$2; shift 2
  local o; o=$("$script" "$@" 2>&1); local r=$?
  check "$name: refused ($msg)" "[ $r -ne 0 ] && echo \"\$o\" | grep -q \"$msg\""
}
bad "missing net" "no such file" --config "$root/configs/jetson-nano.cfg" "$tmp/missing.onnx"
cp "$tmp/net.onnx" "$tmp/net.bin"
bad "not onnx" "is not an .onnx file" --config "$root/configs/jetson-nano.cfg" "$tmp/net.bin"
bad "bad size" "size must be 2..19" --config "$root/configs/jetson-nano.cfg" --size 25 "$tmp/net.onnx"
bad "missing config" "no such config" --config "$tmp/none.cfg" "$tmp/net.onnx"
bad "config without a batch size" "sets no nnMaxBatchSize" --config "$root/configs/jetson-base.cfg" "$tmp/net.onnx"
TRTEXEC=$tmp/nothing bad "no trtexec" "trtexec not found" --config "$root/configs/jetson-nano.cfg" "$tmp/net.onnx"
printf '#!/bin/sh\necho "[E] parse error" >&2\nexit 1\n' >"$tmp/broken-trtexec"; chmod +x "$tmp/broken-trtexec"
rm -f "$tmp"/*.plan
TRTEXEC=$tmp/broken-trtexec bad "failing build" "could not build the engine" --config "$root/configs/jetson-nano.cfg" "$tmp/net.onnx"
check "failing build leaves no plan" "! ls '$tmp' | grep -q plan"
[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
exit $((fails > 0))
