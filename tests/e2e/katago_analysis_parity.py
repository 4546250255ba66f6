#!/usr/bin/env python3
"""Hoshi's JSON analysis engine against KataGo's, visit for visit.

Both engines answer the same queries deterministically (one search thread,
nnRandomize false, wideRootNoise 0) with their analysis defaults, among them
ignorePreRootHistory: the net does not see the moves before the analysed
position, yet the search still knows them (ko, passes, and the previous move
that keys the subtree value bias of the root's children). The score utility
terms are off on both sides: Hoshi's static score width differs from
KataGo's on purpose (bench/strength/score-utility-kata-9x9-2026-12-05), and
with them off the two searches are the same search. The golden file holds
KataGo 1.17.2's root visit distribution for each query; this checks Hoshi's
against it: nearly every distribution must be equal.

usage:
  katago_analysis_parity.py check HOSHI MODEL GOLDEN
  katago_analysis_parity.py generate KATAGO CONFIG MODEL POSITIONS > GOLDEN
POSITIONS: lines "size komi move move ..." (GTP vertices, black first), as
katago_search_parity.py reads them.
GOLDEN: one JSON object a line: query (as sent, without id), dist {move: visits}.
"""
import json
import subprocess
import sys

VISITS = (16, 32)
OVERRIDES = ("nnRandomize=false,wideRootNoise=0.0,numAnalysisThreads=1,"
             "numSearchThreadsPerAnalysisThread=1,staticScoreUtilityFactor=0,"
             "dynamicScoreUtilityFactor=0")
# Share of equal distributions required at each count. Another CPU's
# rounding (Eigen's kernels differ by instruction set) may split a few.
BARS = {16: 0.85, 32: 0.8}


def queries(positions):
    for line in open(positions):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        size, komi, moves = int(f[0]), float(f[1]), f[2:]
        colors = ["B", "W"]
        for v in VISITS:
            yield {"moves": [[colors[i % 2], m] for i, m in enumerate(moves)], "rules": "chinese",
                   "komi": komi, "boardXSize": size, "boardYSize": size, "maxVisits": v}


def run(argv, qs):
    """Each query's {move: visits}, in order."""
    text = "".join(json.dumps(dict(q, id=str(i))) + "\n" for i, q in enumerate(qs))
    out = subprocess.run(argv, input=text, capture_output=True, text=True, timeout=600).stdout
    dists = {}
    for line in out.splitlines():
        r = json.loads(line)
        if "moveInfos" not in r:
            raise RuntimeError(f"no analysis: {line}")
        dists[int(r["id"])] = {m["move"]: m["visits"] for m in r["moveInfos"]}
    return [dists[i] for i in range(len(qs))]


def generate(katago, config, model, positions):
    qs = list(queries(positions))
    argv = [katago, "analysis", "-model", model, "-config", config, "-override-config",
            OVERRIDES + ",logToStderr=false,logDir="]
    for q, d in zip(qs, run(argv, qs)):
        print(json.dumps({"query": q, "dist": d}))


def check(hoshi, model, golden):
    rows = [json.loads(l) for l in open(golden) if l.strip()]
    argv = [hoshi, "analysis", "-model", model, "-override-config", OVERRIDES]
    dists = run(argv, [r["query"] for r in rows])
    by_visits = {}
    for r, d in zip(rows, dists):
        q = r["query"]
        s = by_visits.setdefault(q["maxVisits"], [0, 0])
        s[0] += 1
        s[1] += d == r["dist"]
        if d != r["dist"]:
            print(f"{q['boardXSize']}x{q['boardXSize']} after {len(q['moves'])} moves, "
                  f"{q['maxVisits']} visits:\n  hoshi  {d}\n  katago {r['dist']}")
    failures = 0
    for v, (n, equal) in sorted(by_visits.items()):
        ok = equal >= BARS[v] * n
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {v} visits: {equal} of {n} equal (bar {BARS[v]})")
    print(f"katago analysis parity: {failures} failures")
    return 1 if failures else 0


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "generate":
        generate(*sys.argv[2:])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        return check(*sys.argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
