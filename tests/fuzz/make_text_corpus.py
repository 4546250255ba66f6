#!/usr/bin/env python3
"""Writes the seed corpora of the text fuzz targets (gtp, sgf, config) from
the real files we have: GTP transcripts, GNU Go regression positions, shared
and professional SGF games, board configs. Run from the repository root;
scripts/fuzz --seed calls it. Seeds are then minimised with -merge=1."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("HOSHI_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests/fuzz/corpus")
MAX_LINES = 24  # fuzz_gtp reads at most 24 commands per input


def write(target, name, text):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w", encoding="latin-1") as f:
        f.write(text)


def gtp_from_transcripts():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/gtp/transcripts/*.txt"))):
        cmds = [l[2:].rstrip("\n") for l in open(path) if l.startswith("> ")]
        cmds = [c for c in cmds if "$SHARED" not in c]
        base = os.path.splitext(os.path.basename(path))[0]
        for i in range(0, len(cmds), MAX_LINES):
            write("gtp", "transcript-%s-%d" % (base, i // MAX_LINES),
                  "\n".join(cmds[i:i + MAX_LINES]) + "\n")


def sgf_moves(text):
    size = re.search(r"SZ\[(\d+)\]", text)
    moves = re.findall(r";\s*([BW])\[([a-s]{0,2})\]", text)
    return int(size.group(1)) if size else 19, moves


def vertex(coord, size):
    if coord == "" or (coord == "tt" and size <= 19):
        return "pass"
    cols = "ABCDEFGHJKLMNOPQRST"
    return "%s%d" % (cols[ord(coord[0]) - 97], size - (ord(coord[1]) - 97))


def gtp_from_regress(limit=6):
    """loadsgf is not sent by fuzz_gtp: a regression position becomes the
    boardsize/play commands that reach it, then its reg_genmove."""
    made = 0
    for tst in sorted(glob.glob(os.path.join(SHARED, "regress/*.tst"))):
        lines = open(tst, encoding="latin-1").read().splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"loadsgf (\S+) (\d+)", line)
            if not m or i + 1 >= len(lines) or "genmove" not in lines[i + 1]:
                continue
            sgf = os.path.join(SHARED, "regress", m.group(1))
            if not os.path.exists(sgf):
                continue
            size, moves = sgf_moves(open(sgf, encoding="latin-1").read())
            # Only the first moves fit in one input: the seed is the opening of the game.
            moves = moves[: min(int(m.group(2)) - 1, MAX_LINES - 4)]
            if size > 19:
                continue
            cmds = ["boardsize %d" % size, "clear_board", "komi 6.5"]
            cmds += ["play %s %s" % (c, vertex(v, size)) for c, v in moves]
            cmds.append(lines[i + 1].strip())
            write("gtp", "regress-%s-%d" % (os.path.basename(tst)[:-4], i), "\n".join(cmds) + "\n")
            made += 1
            break
        if made >= limit:
            return


def gtp_extras():
    write("gtp", "extra-commands", "\n".join([
        "1 protocol_version", "2 name", "3 version", "list_commands", "known_command genmove",
        "boardsize 7", "komi 0.5", "play b d4", "genmove w", "reg_genmove b", "kata-raw-nn all",
        "kata-raw-nn 3", "final_status_list dead", "final_score", "printsgf", "undo", "undo",
        "kata-set-rules japanese", "kgs-rules chinese", "kata-get-param cpuctExploration",
        "kata-set-param cpuctExploration 1.2", "time_settings 10 5 1", "kgs-time_settings byoyomi 10 5 3",
        "time_left b 4 1", "genmove b", "stop", "place_free_handicap 3", "showboard",
    ]) + "\n")
    write("gtp", "extra-ids", "0 name\n00012 boardsize 9\n 7\tplay W E5 # comment\n\r\n99999999999999999999 name\n-1 name\n")


def sgf_seeds():
    for path in sorted(glob.glob(os.path.join(SHARED, "sgf/golden-games/*.sgf")))[::10]:
        write("sgf", "golden-" + os.path.basename(path), open(path, encoding="latin-1").read())
    games = sorted(glob.glob("/usr/share/goban/*.mgt"))
    for path in games[:: max(1, len(games) // 6)][:6]:
        write("sgf", "pro-" + os.path.basename(path), open(path, encoding="latin-1").read())
    for path in sorted(glob.glob(os.path.join(SHARED, "regress/games/*.sgf")))[:6]:
        write("sgf", "regress-" + os.path.basename(path), open(path, encoding="latin-1").read())
    write("sgf", "features",
          "(;FF[4]GM[1]SZ[9:7]KM[7.5]RU[Japanese]HA[2]AB[cc][gc]AW[ee:ff]PL[W]C[esc \\] \\\\ \\\n"
          "soft]\n;W[dd];B[];W[tt]AE[cc](;B[ef])(;B[fe]))(;SZ[5];B[aa])")


def config_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "configs/*.cfg"))):
        write("config", os.path.basename(path), open(path).read())
    write("config", "overrides", "maxVisits=100, rules = japanese ,koRule=SIMPLE,nnBackend=eigen")
    write("config", "odd-lines", "[section]\nno equals\n@include\n@include other.cfg\nkomi=\n"
          "maxVisits = 12 # comment\nmaxVisits = 13\nunknownKey = 1\n   indented = 2\n")


if __name__ == "__main__":
    gtp_from_transcripts()
    gtp_from_regress()
    gtp_extras()
    sgf_seeds()
    config_seeds()
    for t in ("gtp", "sgf", "config"):
        d = os.path.join(OUT, t)
        print("%s: %d files, %d bytes" % (t, len(os.listdir(d)),
                                          sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))))
