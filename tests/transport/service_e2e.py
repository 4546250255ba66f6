#!/usr/bin/env python3
"""The built hoshi binary run the way systemd runs it, with systemd's side
played here: socket activation (LISTEN_FDS, the socket on fd 3), Type=notify
(READY=1, STATUS=, STOPPING=1 on $NOTIFY_SOCKET), the watchdog (WATCHDOG_USEC,
pings kept up during a search), SIGTERM; and the serial transport on a
pseudo-terminal whose device vanishes and comes back.

usage: service_e2e.py HOSHI_BINARY SHARED_DIR
"""
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1])
SHARED = os.environ.get("HOSHI_SHARED_DIR", sys.argv[2] if len(sys.argv) > 2 else "")
MODEL = os.environ.get(
    "HOSHI_TEST_MODEL", os.path.join(SHARED, "models", "g170-b6c96-s175395328-d26788732.bin.gz"))
failures = []
passes = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    (passes if cond else failures).append(what)


class Notify:
    """systemd's end of $NOTIFY_SOCKET: a thread reads every message as it
    comes, as systemd does, and keeps it with its arrival time."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.1)
        self.messages = []  # (time, text)
        self.read = 0  # messages consumed by wait_for
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self):
        while self.running:
            try:
                msg = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.messages.append((time.time(), msg))

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()

    def wait_for(self, prefix, timeout):
        """The first message not yet consumed that starts with prefix, or None."""
        deadline = time.time() + timeout
        while True:
            with self.lock:
                for i in range(self.read, len(self.messages)):
                    if self.messages[i][1].startswith(prefix):
                        self.read = i + 1
                        return self.messages[i][1]
            if time.time() >= deadline:
                return None
            time.sleep(0.02)

    def count(self, message, seconds):
        """How many times message arrives in the next `seconds`."""
        start = time.time()
        time.sleep(seconds)
        with self.lock:
            return sum(1 for t, m in self.messages if t >= start and m == message)


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""

    def response(self):
        while b"\n\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                return None
            self.buf += data
        out, self.buf = self.buf.split(b"\n\n", 1)
        return out.decode()

    def command(self, line):
        self.sock.sendall((line + "\n").encode())
        return self.response()


def kill_leftover(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def stop(proc, notify):
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    check(code == 0, "SIGTERM: clean exit (code %s)" % code)
    check(notify.wait_for("STOPPING=1", 5) is not None, "STOPPING=1 sent")


def socket_activated(tmp):
    notify = Notify(tmp)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    fd = listener.fileno()
    env = dict(os.environ, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="400000", LISTEN_FDS="1")
    args = ["-model", "none"]
    if os.path.exists(MODEL):
        args = ["-model", MODEL, "-override-config", "maxVisits=1000000,maxTime=4"]
    # LISTEN_PID must be hoshi's own pid: the shell exports its $$ and execs.
    move = '' if fd == 3 else 'exec 3<&%d %d<&-; ' % (fd, fd)
    script = move + 'LISTEN_PID=$$ exec "$0" gtp "$@"'
    err = open(os.path.join(tmp, "tcp.err"), "w+")
    proc = subprocess.Popen(["sh", "-c", script, BIN] + args, env=env, pass_fds=(fd,),
                            stdin=subprocess.DEVNULL, stderr=err)
    listener.close()  # hoshi has it now
    try:
        tcp_checks(proc, notify, port, args)
    finally:
        kill_leftover(proc)
    err.seek(0)
    log = err.read()
    check("GTP on socket from systemd 127.0.0.1:%d" % port in log, "logged the passed socket")
    notify.close()
    if failures:
        print(log)


def tcp_checks(proc, notify, port, args):
    ready = notify.wait_for("READY=1", 60)
    check(ready is not None and ("127.0.0.1:%d" % port) in ready,
          "READY=1 with the socket's address in STATUS: %r" % ready)
    check(notify.count("WATCHDOG=1", 1.0) >= 3, "watchdog pinged while idle")

    a = Client(port)
    check(a.command("boardsize 9") == "= ", "GTP over the passed socket")
    b = Client(port)
    check(b.response() == "? busy: another front end is connected", "second front end refused")
    if args[1] != "none":
        # A search of up to 4 s: the watchdog must be fed throughout it.
        a.sock.sendall(b"genmove b\n")
        pings = notify.count("WATCHDOG=1", 3.0)
        check(pings >= 8, "watchdog pinged %d times during a 3 s search" % pings)
        check((a.response() or "").startswith("= "), "genmove answered")
        # The front end vanishes 1 s into a 4 s search: the next one is
        # served when the search stopped, not when it would have ended.
        a.sock.sendall(b"genmove w\n")
        time.sleep(1.0)
        a.sock.close()
        start = time.time()
        c = Client(port)
        name = c.command("name")
        waited = time.time() - start
        check(name is not None and name.startswith("= "), "front end after a vanished one")
        check(waited < 2.5, "search stopped when its front end vanished (next served after "
                            "%.2f s of the 3 s left)" % waited)
        c.sock.close()
    else:
        print("note: no model at %s; search-time checks skipped" % MODEL)
        a.sock.close()
    stop(proc, notify)


def serial(tmp):
    notify = Notify(tmp)
    link = os.path.join(tmp, "ttyGS0")

    def plug():
        master, slave = pty.openpty()
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.ttyname(slave), link)
        os.close(slave)
        return master

    def command(master, line, timeout=30):
        os.write(master, (line + "\r\n").encode())
        buf, deadline = b"", time.time() + timeout
        while b"\n\n" not in buf and time.time() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    buf += os.read(master, 4096)
                except OSError:  # EIO: nobody has the other side open (yet)
                    time.sleep(0.1)
        return buf.decode().split("\n\n")[0] if b"\n\n" in buf else None

    master = plug()
    err = open(os.path.join(tmp, "serial.err"), "w+")
    env = dict(os.environ, NOTIFY_SOCKET=notify.path)
    proc = subprocess.Popen([BIN, "gtp", "-model", "none", "--serial", link, "--baud", "115200"], env=env,
                            stdin=subprocess.DEVNULL, stderr=err)
    try:
        def opens():
            err.seek(0)
            return err.read().count("GTP on serial")

        master = serial_checks(proc, notify, master, plug, lambda: os.unlink(link), command, opens)
    finally:
        kill_leftover(proc)
    err.seek(0)
    log = err.read()
    check("went away" in log and "waiting for the device" in log, "serial: unplug logged")
    os.close(master)
    notify.close()


def serial_checks(proc, notify, master, plug, unlink, command, opens):
    check(notify.wait_for("READY=1", 30) is not None, "serial: READY=1")
    # READY means serving, the device may follow: what a front end sends
    # before hoshi opened the line is flushed by the open.
    deadline = time.time() + 10
    while time.time() < deadline and opens() < 1:
        time.sleep(0.05)
    check(command(master, "boardsize 9") == "= ", "serial: GTP over the line")
    check((command(master, "genmove b") or "").startswith("= "), "serial: genmove")
    os.close(master)  # unplugged
    unlink()
    time.sleep(1.0)
    check(proc.poll() is None, "serial: still running without its device")
    master = plug()
    deadline = time.time() + 10
    while time.time() < deadline and opens() < 2:
        time.sleep(0.05)
    check(opens() == 2, "serial: the device opened again")
    reply = command(master, "name")
    check(reply is not None and reply.startswith("= "), "serial: served again after replug")
    check(command(master, "play b E5") == "= ", "serial: a cleared board after the replug")
    stop(proc, notify)
    return master


def main():
    with tempfile.TemporaryDirectory() as tmp:
        socket_activated(tmp)
    with tempfile.TemporaryDirectory() as tmp:
        serial(tmp)
    print("%d passed, %d failed" % (len(passes), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
