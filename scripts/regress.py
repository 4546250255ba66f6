#!/usr/bin/env python3
"""Runs the reg_genmove tests of GNU Go's regression suite against a GTP engine.

Each .tst file is replayed command by command (loadsgf paths are relative to the suite's folder);
a numbered reg_genmove is a test, and the `#? [REGEX]` line after it is the expected answer
(`[!REGEX]`: must not match; a trailing `*` marks a test GNU Go itself fails).
Prints one line per failure with --verbose, a tally per file, and last `PASS X / N`.
"""
import argparse, os, re, subprocess, sys


def parse_tst(path):
    """[(command, expectation or None)] in file order."""
    items = []
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#?"):
            if items:
                items[-1] = (items[-1][0], line[2:].strip())
            continue
        if line.startswith("#"):
            continue
        items.append((line.split("#")[0].strip(), None))
    return items


class Engine:
    def __init__(self, cmd, cwd):
        self.p = subprocess.Popen(cmd, shell=True, cwd=cwd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def send(self, command):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()
        lines = []
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("engine died on: " + command)
            line = line.rstrip("\r\n")
            if line == "" and lines:
                break
            if line != "" or lines:
                lines.append(line)
        head = lines[0]
        ok = head.startswith("=")
        text = re.sub(r"^[=?]\d*\s?", "", head)
        return ok, "\n".join([text] + lines[1:]).strip()

    def close(self):
        try:
            self.send("quit")
        except Exception:
            pass
        self.p.wait(timeout=30)


def matches(expect, answer):
    m = re.match(r"^\[(!?)(.*)\]([*&]*)$", expect)
    if not m:
        return False
    negate, pattern = m.group(1) == "!", m.group(2)
    hit = re.fullmatch(pattern, answer, re.IGNORECASE) is not None
    return hit != negate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True, help="GTP engine command line")
    ap.add_argument("--suite", required=True, help="folder of the .tst files")
    ap.add_argument("--files", nargs="*", help="only these .tst files (default: all with reg_genmove)")
    ap.add_argument("--verbose", action="store_true")
    x = ap.parse_args()
    files = x.files or sorted(f for f in os.listdir(x.suite) if f.endswith(".tst"))
    total = passed = 0
    for name in files:
        items = parse_tst(os.path.join(x.suite, name))
        if not any("reg_genmove" in c for c, _ in items):
            continue
        eng = Engine(x.engine, x.suite)
        n = p = 0
        for command, expect in items:
            ok, answer = eng.send(command)
            if expect is None or "reg_genmove" not in command:
                continue
            n += 1
            good = ok and matches(expect, answer)
            p += good
            if x.verbose and not good:
                print(f"  FAIL {name} {command.split()[0]}: got {answer}, expected {expect}", flush=True)
        eng.close()
        print(f"{name}: {p} / {n}", flush=True)
        total += n
        passed += p
    print(f"PASS {passed} / {total}")


if __name__ == "__main__":
    sys.exit(main())
