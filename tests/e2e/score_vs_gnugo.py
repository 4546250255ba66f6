#!/usr/bin/env python3
"""Area scores of finished games: our `final_score` must equal GNU Go's
(`--chinese-rules`) on positions where every dead stone has been captured.

Two kinds of finished games:
  * GNU Go against itself with --capture-all-dead until two passes;
  * our engine's no-network policy against itself (random moves that never fill
    a true eye), which only passes when nothing but own eyes is left.
Every move is mirrored to the other program; both are then asked final_score.
Usage: score_vs_gnugo.py --engine CMD [--gnugo PATH] [--gnugo-games N] [--random-games N]
"""
import argparse, os, random, sys
sys.path.insert(0, os.path.join(os.environ.get("HOSHI_SHARED_DIR", ""), "tools"))
from gtp import Gtp

KOMIS = ["7.5", "6.5", "0.5", "5", "0", "-3.5"]


def score_value(text):
    """White minus black from a GTP final_score answer ("W+7.5", "B+6.0", "0")."""
    t = text.strip().upper()
    if t in ("0", "DRAW", "JIGO"):
        return 0.0
    sign = 1.0 if t.startswith("W+") else -1.0 if t.startswith("B+") else None
    if sign is None:
        raise ValueError(f"unreadable score {text!r}")
    return sign * float(t[2:])


def new_game(programs, n, komi):
    for p in programs:
        p(f"boardsize {n}")
        p("clear_board")
        p(f"komi {komi}")


def play_out(mover_engine, other, n, max_moves):
    """mover_engine plays both sides with genmove; each move is mirrored to `other`."""
    color, passes, moves = "black", 0, 0
    while passes < 2 and moves < max_moves:
        mv = mover_engine(f"genmove {color}").lower()
        if mv == "resign":
            return False
        other(f"play {color} {mv}")
        passes = passes + 1 if mv == "pass" else 0
        color = "white" if color == "black" else "black"
        moves += 1
    return passes == 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", required=True)
    ap.add_argument("--gnugo", default="/usr/games/gnugo")
    ap.add_argument("--gnugo-games", type=int, default=6)
    ap.add_argument("--random-games", type=int, default=10)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    eng = Gtp(a.engine)
    eng("kata-set-rules chinese")
    ref = Gtp(f"{a.gnugo} --mode gtp --chinese-rules --capture-all-dead --level 1 --seed {a.seed}")
    failures, compared, unfinished = [], 0, 0
    games = [("gnugo", 9)] * a.gnugo_games + [("random", rng.choice([7, 9, 9, 13])) for _ in range(a.random_games)]
    for g, (kind, n) in enumerate(games):
        komi = rng.choice(KOMIS)
        new_game((eng, ref), n, komi)
        finished = play_out(ref, eng, n, 400) if kind == "gnugo" else play_out(eng, ref, n, 3 * n * n)
        if not finished:
            unfinished += 1
            continue
        ours, theirs = eng("final_score"), ref("final_score")
        compared += 1
        if score_value(ours) != score_value(theirs):
            failures.append(f"game {g} ({kind}, {n}x{n}, komi {komi}): ours {ours}, GNU Go {theirs}\n"
                            + eng("showboard"))
    eng.close()
    ref.close()
    for f in failures:
        print(f)
    print(f"score vs gnugo: {len(failures)} failures; {compared} finished games compared, "
          f"{unfinished} unfinished")
    sys.exit(1 if failures or compared < len(games) // 2 else 0)


if __name__ == "__main__":
    main()
