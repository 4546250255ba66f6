#!/usr/bin/env python3
"""Every SGF file given loads with GTP `loadsgf`; `printsgf` of that game,
loaded again, shows the same position (the `showboard` stones, side to move
and komi; capture counts may differ when the record is rewritten as setup). For the pro games (sgf_dirs after --crosscheck)
the final position is also compared with GNU Go's `loadsgf` + `showboard`.
Usage: sgf_roundtrip.py --engine CMD [--gnugo PATH] --dirs D1 D2 ... [--crosscheck D ...]
"""
import argparse, glob, os, sys, tempfile
sys.path.insert(0, os.path.join(os.environ.get("HOSHI_SHARED_DIR", ""), "tools"))
from gtp import Gtp, GtpError
from board_crosscheck import read_board


# Records with moves on occupied points: both engines skip them and load the
# game, but recover differently, so the final positions are not compared.
CORRUPT = {"M-77-1.mgt"}


def files_in(d):
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.join(root, n) for n in names if n.lower().endswith((".sgf", ".mgt"))]
    return sorted(out)


def board_size(showboard_text):
    first = [l for l in showboard_text.splitlines() if l.strip()][0]
    return len(first.split())


def position(showboard_text):
    n = board_size(showboard_text)
    keep = [l for l in showboard_text.splitlines() if l.startswith(("Next player", "Komi"))]
    return read_board(showboard_text, n) + keep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True)
    ap.add_argument("--gnugo", default="/usr/games/gnugo")
    ap.add_argument("--dirs", nargs="+", required=True)
    ap.add_argument("--crosscheck", nargs="*", default=[])
    a = ap.parse_args()
    eng = Gtp(a.engine)
    ref = Gtp(f"{a.gnugo} --mode gtp") if a.crosscheck and os.path.exists(a.gnugo) else None
    failures, loaded, crosschecked = [], 0, 0
    tmp = tempfile.NamedTemporaryFile(suffix=".sgf", delete=False)
    tmp.close()
    cross_files = set(f for d in a.crosscheck for f in files_in(d))
    for path in [f for d in a.dirs + a.crosscheck for f in files_in(d)]:
        try:
            eng(f"loadsgf {path}")
            first = eng("showboard")
            eng(f"printsgf {tmp.name}")
            eng(f"loadsgf {tmp.name}")
            second = eng("showboard")
        except GtpError as e:
            failures.append(f"{path}: {e}")
            continue
        loaded += 1
        if position(first) != position(second):
            failures.append(f"{path}: printsgf/loadsgf changed the position:\n{first}\n---\n{second}")
            continue
        if ref and path in cross_files and os.path.basename(path) not in CORRUPT:
            n = board_size(first)
            try:
                ref(f"loadsgf {path}")
                theirs = read_board(ref("showboard"), n)
            except GtpError:
                continue  # GNU Go refuses some records; the round trip above still counts
            crosschecked += 1
            if read_board(first, n) != theirs:
                failures.append(f"{path}: final position differs from GNU Go's")
    os.unlink(tmp.name)
    eng.close()
    if ref:
        ref.close()
    for f in failures[:20]:
        print(f)
    print(f"sgf round trip: {len(failures)} failures; {loaded} files loaded, "
          f"{crosschecked} compared with GNU Go")
    sys.exit(1 if failures or loaded == 0 else 0)


if __name__ == "__main__":
    main()
