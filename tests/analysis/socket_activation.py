"""hoshi analysis started as systemd starts it from hoshi-analysis.socket: the
listening socket on fd 3 ($LISTEN_FDS, $LISTEN_PID), notifications on
$NOTIFY_SOCKET. It must say READY=1, answer a client on the handed-over
socket, ping the watchdog, and on SIGTERM say STOPPING=1 and exit 0."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from analysis_client import MODEL, fail


def main(hoshi):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    tmp = tempfile.mkdtemp()
    notify_path = os.path.join(tmp, "notify")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    notify.settimeout(120)

    env = dict(os.environ, LISTEN_FDS="1", NOTIFY_SOCKET=notify_path, WATCHDOG_USEC="2000000")
    # As systemd: the socket on fd 3, LISTEN_PID the pid that execs hoshi.
    script = 'exec 3<&%d; LISTEN_PID=$$ exec "$0" analysis -model "$1"' % listener.fileno()
    proc = subprocess.Popen(["sh", "-c", script, hoshi, MODEL], env=env,
                            pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        msgs = []
        while not any("READY=1" in m for m in msgs):
            msgs.append(notify.recv(4096).decode())
        c = socket.create_connection(("127.0.0.1", port), timeout=120)
        c.sendall(json.dumps({"id": "s", "moves": [], "rules": "chinese", "komi": 7.5,
                              "boardXSize": 9, "boardYSize": 9, "maxVisits": 4}).encode() + b"\n")
        r = json.loads(c.makefile().readline())
        if r.get("id") != "s" or not r.get("moveInfos"):
            fail("no answer over the activated socket: %s" % r)
        start = time.time()
        while not any("WATCHDOG=1" in m for m in msgs):
            msgs.append(notify.recv(4096).decode())
        if time.time() - start > 5:
            fail("watchdog pinged late")
        proc.send_signal(signal.SIGTERM)
        while not any("STOPPING=1" in m for m in msgs):
            msgs.append(notify.recv(4096).decode())
        c.close()
        if proc.wait(60) != 0:
            fail("exit code %s after SIGTERM" % proc.returncode)
    finally:
        if proc.poll() is None:
            proc.kill()
    print("ok: socket activation, READY=1, an answer, WATCHDOG=1, STOPPING=1, exit 0")


if __name__ == "__main__":
    main(sys.argv[1])
