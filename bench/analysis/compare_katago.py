"""Hoshi's analysis engine side by side with KataGo's (built outside the
repo), same net, same query, same thread count: a whole professional game
at maxVisits 200, every turn. Reports top-move agreement and winrate and
scoreLead differences on 50 positions (turns 50..99) and positions per
second over the whole game.

usage: compare_katago.py HOSHI KATAGO [KATAGO_CFG] [SGF]"""

import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../tests/analysis"))
from analysis_client import MODEL, PRO_GAME, sgf_game  # noqa: E402

VISITS = 200
TURNS = range(50, 100)


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, query, n):
    """Final answers by turn, wall seconds, and CPU seconds of the engine."""
    cpu0 = cpu_children()
    start = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    p.stdin.write(json.dumps(query) + "\n")
    p.stdin.flush()
    out = {}
    while len(out) < n:
        line = p.stdout.readline()
        if not line:
            break
        r = json.loads(line)
        if "turnNumber" in r and not r.get("isDuringSearch"):
            out[r["turnNumber"]] = r
    elapsed = time.time() - start
    p.stdin.close()
    p.wait()
    return out, elapsed, cpu_children() - cpu0


def main():
    hoshi, katago = sys.argv[1], sys.argv[2]
    cfg = sys.argv[3] if len(sys.argv) > 3 else "/work/katago-src/cpp/configs/analysis_example.cfg"
    sgf = sys.argv[4] if len(sys.argv) > 4 else PRO_GAME
    size, komi, moves = sgf_game(sgf)
    n = len(moves) + 1
    query = {"id": "cmp", "moves": moves, "rules": "japanese", "komi": komi, "boardXSize": size,
             "boardYSize": size, "maxVisits": VISITS, "analyzeTurns": list(range(n))}
    threads = "numAnalysisThreads=2,numSearchThreadsPerAnalysisThread=1"
    # The same config file and overrides for both (Hoshi warns about the
    # keys it does not have: logDir, nnMutexPoolSizePowerOfTwo).
    over = threads + ",nnMaxBatchSize=8,maxVisits=%d" % VISITS
    load0 = os.getloadavg()[0]
    kg, kt, kc = run([katago, "analysis", "-model", MODEL, "-config", cfg, "-override-config", over], query, n)
    hg, ht, hc = run([hoshi, "analysis", "-model", MODEL, "-config", cfg, "-override-config", over], query, n)
    agree, dw, dl = 0, [], []
    for t in TURNS:
        a, b = hg[t], kg[t]
        agree += a["moveInfos"][0]["move"] == b["moveInfos"][0]["move"]
        dw.append(abs(a["rootInfo"]["winrate"] - b["rootInfo"]["winrate"]))
        dl.append(abs(a["rootInfo"]["scoreLead"] - b["rootInfo"]["scoreLead"]))
    load = os.getloadavg()[0]
    print("game %s, %d turns, maxVisits %d, 2 analysis threads x 1 search thread, %s; "
          "load avg %.1f at the start, %.1f at the end" % (os.path.basename(sgf), n, VISITS, os.path.basename(cfg), load0, load))
    print("| measure | Hoshi | KataGo |")
    print("|---|---|---|")
    print("| positions/s, whole game (wall clock) | %.2f | %.2f |" % (len(hg) / ht, len(kg) / kt))
    print("| positions per CPU-second, whole game | %.3f | %.3f |" % (len(hg) / hc, len(kg) / kc))
    print("| top move agreement, turns 50-99 | %d / %d | |" % (agree, len(TURNS)))
    print("| rootInfo winrate diff, mean / max | %.4f / %.4f | |" % (sum(dw) / len(dw), max(dw)))
    print("| rootInfo scoreLead diff, mean / max | %.3f / %.3f | |" % (sum(dl) / len(dl), max(dl)))


if __name__ == "__main__":
    main()
