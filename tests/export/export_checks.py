#!/usr/bin/python3
"""Checks of `hoshi export` run by ctest (tests/export/CMakeLists.txt).

  export_checks.py random-nets HOSHI EXPORT_NETS GOLDEN.jsonl NODE
      random nets of versions 8..16 (hoshi_export_nets) exported and run in
      ONNX Runtime by scripts/onnx-check against Hoshi's Eigen backend, on
      every 32nd golden position, at batch 1 and 4 (mixed sizes, padded);
      one of them also at opset 17.
  export_checks.py bad-input HOSHI EXPORT_NETS SHARED_DIR NODE
      a damaged net, a foreign file, unsupported layers (an unknown block kind,
      an unknown activation), unwritable paths and bad options: each a clear
      error, and no file (nor temporary file) left behind.
"""
import gzip, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def random_nets(hoshi, export_nets, golden, node):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([export_nets, d], check=True)
        for v in range(8, 17):
            net = os.path.join(d, f"random-v{v}.bin.gz")
            extra = ["--opset", "17"] if v == 16 else []
            p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "onnx-check"), net, golden,
                                "--reference", "eigen", "--every", "32", "--batch", "4",
                                "--hoshi", hoshi, "--node", node] + extra,
                               capture_output=True, text=True)
            print(p.stdout + p.stderr, end="")
            expect(p.returncode == 0 and p.stdout.count("records within tolerance") == 2,
                   f"version {v}: ONNX Runtime matches Hoshi's Eigen backend")


def refused(hoshi, args, out_dir, out, message, what, code=1):
    p = subprocess.run([hoshi, "export"] + args, capture_output=True, text=True)
    err = p.stderr.strip().splitlines()[0] if p.stderr.strip() else ""
    print(f"     {what}: exit {p.returncode}: {err}")
    expect(p.returncode == code, f"{what}: exit code {code}")
    expect(message in p.stderr, f"{what}: says '{message}'")
    if out_dir:
        expect(not os.path.exists(out), f"{what}: no output file")
        left = [f for f in os.listdir(out_dir) if ".tmp-" in f]
        expect(not left, f"{what}: no temporary file left ({left})")


def bad_input(hoshi, export_nets, shared, node):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([export_nets, d], check=True)
        good = os.path.join(d, "random-v10.bin.gz")
        data = open(good, "rb").read()
        damaged = os.path.join(d, "damaged.bin.gz")
        open(damaged, "wb").write(data[: len(data) // 2])
        foreign = os.path.join(d, "foreign.bin.gz")
        open(foreign, "wb").write(b"this is not a network\n" * 50)
        out_dir = os.path.join(d, "out")
        os.mkdir(out_dir)
        out = os.path.join(out_dir, "net.onnx")
        onnx = ["-format", "onnx", "-out", out]
        refused(hoshi, ["-model", damaged] + onnx, out_dir, out, damaged, "truncated net")
        refused(hoshi, ["-model", foreign] + onnx, out_dir, out, foreign, "foreign file")
        refused(hoshi, ["-model", os.path.join(d, "missing.bin.gz")] + onnx, out_dir, out,
                "missing.bin.gz", "missing net")
        # Layers no KataGo net Hoshi knows has: an unknown block kind and an
        # unknown activation, made by renaming them in a good net (v16: ReLU).
        raw = gzip.decompress(open(os.path.join(d, "random-v16.bin.gz"), "rb").read())
        for name, old, new, message in (
                ("unknown block kind", b"ordinary_block", b"mystery_blocks", "unknown block kind 'mystery_blocks'"),
                ("unknown activation", b"ACTIVATION_RELU", b"ACTIVATION_GELU", "unknown activation 'ACTIVATION_GELU'")):
            path = os.path.join(d, name.replace(" ", "-") + ".bin.gz")
            open(path, "wb").write(gzip.compress(raw.replace(old, new, 1)))
            refused(hoshi, ["-model", path] + onnx, out_dir, out, message, f"unsupported layer: {name}")
        refused(hoshi, ["-model", good, "-format", "onnx", "-out", "/nonexistent-dir/net.onnx"],
                None, None, "cannot write '/nonexistent-dir/net.onnx'", "missing folder")
        refused(hoshi, ["-model", good, "-format", "onnx", "-out", out_dir], out_dir,
                os.path.join(out_dir, "net.onnx"), "it is a folder", "folder as output")
        refused(hoshi, ["-model", good, "-format", "onnx", "-out", good + "/net.onnx"],
                None, None, "cannot write", "path through a file")
        refused(hoshi, ["-model", good, "-format", "onnx", "-out", "/proc/hoshi-export.onnx"],
                None, None, "cannot write", "file system that refuses new files")
        refused(hoshi, ["-model", good, "-precision", "fp8"] + onnx, out_dir, out,
                "-precision must be fp32, fp16 or fp16-emulated", "unknown precision", code=2)
        refused(hoshi, ["-model", good, "-opset", "12"] + onnx, out_dir, out,
                "-opset must be 13..17", "opset out of range", code=2)
        refused(hoshi, ["-model", good, "-fp16-fp32", "trunk"] + onnx, out_dir, out,
                "unknown FP32 part 'trunk'", "unknown FP32 part", code=2)
        # And the same net exports fine: the refusals above were about the input.
        p = subprocess.run([hoshi, "export", "-model", good] + onnx, capture_output=True, text=True)
        expect(p.returncode == 0 and os.path.getsize(out) > 0, "a good net exports")
        expect(os.listdir(out_dir) == ["net.onnx"], "only the finished file is left")


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("random-nets", "bad-input"):
        sys.exit(__doc__)
    (random_nets if sys.argv[1] == "random-nets" else bad_input)(*sys.argv[2:])
    print(f"{len(failures)} failed" if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
