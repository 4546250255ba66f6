"""A small client of the JSON analysis engine, written the way applications
(KaTrain, review scripts) drive KataGo's `analysis`: a subprocess or a TCP
socket, one JSON query a line out, one JSON response a line back, answers
matched by id and turnNumber in whatever order they arrive."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

SHARED = os.environ.get("HOSHI_SHARED_DIR", os.path.join(os.path.dirname(__file__), "../../../shared"))
MODEL = os.path.join(SHARED, "models/g170-b6c96-s175395328-d26788732.bin.gz")
PRO_GAME = "/usr/share/goban/Hon-45-1.sgf"
COLUMNS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def sgf_game(path):
    """(size, komi, [[colour, vertex], ...]) of the main line of a simple SGF."""
    text = open(path, encoding="latin-1").read()
    size = int(re.search(r"SZ\[(\d+)\]", text).group(1))
    km = re.search(r"KM\[([-0-9.]+)\]", text)
    komi = float(km.group(1)) if km else 6.5
    moves = []
    for colour, coords in re.findall(r";\s*([BW])\[([a-s]{0,2})\]", text):
        if coords == "" or (coords == "tt" and size <= 19):
            moves.append([colour, "pass"])
        else:
            x, y = ord(coords[0]) - 97, ord(coords[1]) - 97
            moves.append([colour, "%s%d" % (COLUMNS[x], size - y)])
    return size, komi, moves


def game_query(qid, path=PRO_GAME, visits=8, turns=None, **extra):
    size, komi, moves = sgf_game(path)
    q = {"id": qid, "moves": moves, "rules": "japanese", "komi": komi,
         "boardXSize": size, "boardYSize": size, "maxVisits": visits,
         "analyzeTurns": turns if turns is not None else list(range(len(moves) + 1))}
    q.update(extra)
    return q


class Engine:
    """`hoshi analysis` as a subprocess; responses are read on a thread."""

    def __init__(self, hoshi, *args):
        cmd = [hoshi, "analysis", "-model", MODEL] + list(args)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(json.loads(line))
                self.cond.notify_all()

    def send(self, obj):
        self.proc.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        self.proc.stdin.flush()

    def wait_for(self, pred, timeout=120):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                got = [r for r in self.lines if pred(r)]
                if got:
                    return got
                left = deadline - time.time()
                if left <= 0:
                    return []
                self.cond.wait(left)

    def close(self, timeout=300):
        self.proc.stdin.close()
        rc = self.proc.wait(timeout)
        return rc


class TcpClient:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=300)
        self.file = self.sock.makefile("r", encoding="utf-8")

    def send(self, obj):
        self.sock.sendall(((obj if isinstance(obj, str) else json.dumps(obj)) + "\n").encode())

    def close(self):
        self.file.close()
        self.sock.close()

    def read(self):
        line = self.file.readline()
        return json.loads(line) if line else None


def next_player(moves, turn):
    """Who moves at `turn`: the opponent of the last mover, as KataGo says."""
    if turn == 0:
        return moves[0][0] if moves else "B"
    return "W" if moves[turn - 1][0] == "B" else "B"


def check_complete(responses, qid, turns, label, moves=None):
    """Every turn answered exactly once with a final response, nothing else for qid."""
    final = [r for r in responses if r.get("id") == qid and not r.get("isDuringSearch")]
    errors = [r for r in responses if r.get("id") == qid and "error" in r]
    if errors:
        fail("%s: errors %s" % (label, errors[:3]))
    got = sorted(r["turnNumber"] for r in final)
    if got != sorted(turns):
        missing = sorted(set(turns) - set(got))
        fail("%s: %d final answers for %d turns (missing %s)" % (label, len(got), len(turns), missing[:10]))
    for r in final:
        if not r.get("moveInfos") or "rootInfo" not in r:
            fail("%s: turn %d has no moveInfos/rootInfo: %s" % (label, r["turnNumber"], str(r)[:200]))
        if moves is None:
            continue
        want = next_player(moves, r["turnNumber"])
        if r["rootInfo"]["currentPlayer"] != want:
            fail("%s: turn %d currentPlayer %s" % (label, r["turnNumber"], r["rootInfo"]["currentPlayer"]))
