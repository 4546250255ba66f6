"""Several searches at once (numAnalysisThreads = N, one thread each, one
shared batch queue) against one search at a time with N threads, on the
same turns of a professional game at maxVisits 200. Alternates the two
layouts `rounds` times so that a changing machine load hits both alike.

usage: thread_layout.py HOSHI [THREADS] [ROUNDS] [TURNS]"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../tests/analysis"))
from analysis_client import MODEL, game_query  # noqa: E402


def run(hoshi, layout, turns):
    q = game_query("t", visits=200, turns=turns)
    start = time.time()
    p = subprocess.run([hoshi, "analysis", "-model", MODEL, "-override-config", layout],
                       input=json.dumps(q) + "\n", capture_output=True, text=True)
    n = sum(1 for l in p.stdout.splitlines() if '"moveInfos"' in l)
    return n / (time.time() - start)


def main():
    hoshi = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    nturns = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    turns = list(range(60, 60 + nturns))
    layouts = {"%d searches x 1 thread" % threads:
               "numAnalysisThreads=%d,numSearchThreadsPerAnalysisThread=1" % threads,
               "1 search x %d threads" % threads:
               "numAnalysisThreads=1,numSearchThreadsPerAnalysisThread=%d" % threads}
    rates = {k: [] for k in layouts}
    for _ in range(rounds):
        for name, layout in layouts.items():
            rates[name].append(run(hoshi, layout, turns))
    print("%d turns at maxVisits 200, %d rounds, load avg %.1f" % (nturns, rounds, os.getloadavg()[0]))
    for name, r in rates.items():
        print("| %s | %s positions/s (best %.2f) |" % (name, " ".join("%.2f" % x for x in r), max(r)))


if __name__ == "__main__":
    main()
