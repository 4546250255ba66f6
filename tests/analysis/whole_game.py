"""A whole professional game analysed turn by turn (analyzeTurns), as an
application does: on stdin/stdout, then over TCP with two clients at once,
then a client that vanishes mid-game while the other goes on."""

import atexit
import socket
import subprocess
import sys
import threading
import time

from analysis_client import Engine, TcpClient, check_complete, fail, game_query, sgf_game, PRO_GAME, MODEL


def stdin_game(hoshi):
    # KaTrain's command line: -analysis-threads and a KataGo-only override.
    eng = Engine(hoshi, "-analysis-threads", "2", "-override-config", "homeDataDir=/tmp/katrain-home")
    q = game_query("pro", visits=8)
    turns = q["analyzeTurns"]
    eng.send(q)
    if eng.close() != 0:
        fail("stdin: exit code")
    check_complete(eng.lines, "pro", turns, "stdin", q["moves"])
    print("stdin: %d turns of %s answered" % (len(turns), PRO_GAME))


def start_server(hoshi, *extra):
    proc = subprocess.Popen([hoshi, "analysis", "-model", MODEL, "--listen", "127.0.0.1:0"] + list(extra),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = None
    deadline = time.time() + 60
    while time.time() < deadline and port is None:
        line = proc.stderr.readline()
        if "listening on port" in line:
            port = int(line.rsplit("port", 1)[1].strip())
    if port is None:
        fail("server did not say its port")
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    # A failing check must not leave the server running.
    atexit.register(lambda: proc.poll() is None and proc.kill())
    return proc, port


def tcp_two_clients(hoshi):
    proc, port = start_server(hoshi)
    size, komi, moves = sgf_game(PRO_GAME)
    n = len(moves) + 1
    halves = {"a": list(range(0, n, 2)), "b": list(range(1, n, 2))}
    results = {}

    def client(name):
        c = TcpClient(port)
        c.send(game_query("game-" + name, visits=8, turns=halves[name]))
        got = []
        while len([r for r in got if not r.get("isDuringSearch")]) < len(halves[name]):
            r = c.read()
            if r is None:
                break
            got.append(r)
        results[name] = got

    threads = [threading.Thread(target=client, args=(k,)) for k in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    for name, turns in halves.items():
        got = results.get(name, [])
        if any(r.get("id") != "game-" + name for r in got):
            fail("tcp: client %s got another client's answer" % name)
        check_complete(got, "game-" + name, turns, "tcp client " + name, moves)
    print("tcp: two clients, %d + %d turns, each answered on its own connection" %
          (len(halves["a"]), len(halves["b"])))

    # A client that goes away loses only its own queries.
    quitter = TcpClient(port)
    quitter.send(game_query("quitter", visits=200))
    time.sleep(0.5)
    quitter.close()
    stayer = TcpClient(port)
    stayer.send(game_query("stayer", visits=8, turns=[0, 1, 2, 3]))
    got = []
    start = time.time()
    while len(got) < 4:
        r = stayer.read()
        if r is None:
            fail("tcp: server closed the staying client")
        got.append(r)
    check_complete(got, "stayer", [0, 1, 2, 3], "tcp stayer")
    if time.time() - start > 60:
        fail("tcp: the staying client waited %.0f s behind a vanished one" % (time.time() - start))
    # Half-close: the answers still come.
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b'{"id":"half","moves":[],"rules":"chinese","komi":7.5,"boardXSize":9,"boardYSize":9,"maxVisits":4}\n')
    half.shutdown(socket.SHUT_WR)
    data = b""
    while True:
        chunk = half.recv(65536)
        if not chunk:
            break
        data += chunk
    if b'"id":"half"' not in data or b'"moveInfos"' not in data:
        fail("tcp: half-closed client got %r" % data[:200])
    proc.terminate()
    if proc.wait(60) != 0:
        fail("tcp: server exit code %s after SIGTERM" % proc.returncode)
    print("tcp: a vanished client's queries end, the other's are answered; half-close works; SIGTERM exits 0")


if __name__ == "__main__":
    hoshi = sys.argv[1]
    stdin_game(hoshi)
    tcp_two_clients(hoshi)
    print("PASS")
