#!/usr/bin/env python3
"""`hoshi benchmark` (search) on the real net: the default layout (a lane per
thread, at most one per core) and one lane are timed unless the config sets
nnLanes, each line has real rates, collisions, the scaling and the ratio to
the net alone, and the recommendation names one of the layouts measured.
Usage: benchmark_search.py HOSHI_BINARY MODEL
"""
import os, re, subprocess, sys

LINE = re.compile(r"threads +(\d+), lanes +(\d+): +([\d.]+) visits/s +([\d.]+) nnEvals/s +avg batch +([\d.]+)"
                  r" +collisions/visit +[\d.]+")
RATIO = re.compile(r"x([\d.]+) of \d+ thread\(s\), ([\d.]+) of the net alone \(([\d.]+) evals/s")


def bench(args):
    p = subprocess.run([HOSHI, "benchmark", "-model", MODEL, "-v", "24"] + args,
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit(f"FAIL: benchmark {args} exited {p.returncode}: {p.stderr}")
    rows = [(int(t), int(l), float(v), float(e), float(b)) for t, l, v, e, b in LINE.findall(p.stdout)]
    rec = re.search(r"recommended numSearchThreads = (\d+), nnLanes = (\d+)", p.stdout)
    return rows, rec, p.stdout


def main():
    failures = []
    rows, rec, out = bench(["-t", "1,2"])
    layouts = [(t, l) for t, l, *_ in rows]
    cores = len(os.sched_getaffinity(0))
    expected = [(1, 1), (2, 2), (2, 1)] if cores >= 2 else [(1, 1), (2, 1)]
    if layouts != expected:
        failures.append(f"layouts timed: {layouts}\n{out}")
    if any(v <= 0 or e <= 0 or b < 1 for _, _, v, e, b in rows):
        failures.append(f"rates must be positive, batches >= 1:\n{out}")
    ratios = RATIO.findall(out)
    if len(ratios) != len(rows) or any(float(n) <= 0 for _, _, n in ratios):
        failures.append(f"each layout needs its scaling and net-alone ratio:\n{out}")
    if not rec or (int(rec.group(1)), int(rec.group(2))) not in layouts:
        failures.append(f"recommendation is not a measured layout:\n{out}")
    rows, rec, out = bench(["-t", "2", "-override-config", "nnLanes=1"])
    if [(t, l) for t, l, *_ in rows] != [(2, 1)] or not rec or rec.group(2) != "1":
        failures.append(f"nnLanes set in the config: only that layout:\n{out}")
    for f in failures:
        print("FAIL:", f)
    print("benchmark_search:", "FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    HOSHI, MODEL = sys.argv[1], sys.argv[2]
    sys.exit(main())
