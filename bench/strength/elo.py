#!/usr/bin/env python3
"""Tally and Elo of a referee log (scripts/match output, A against B).

usage: bench/strength/elo.py LOG [LOG...]
Counts the `-> A` / `-> B` lines (a draw, `-> 0`, counts half) and prints
games, A's wins, A's score, the Elo difference of A over B and its 95%
interval (normal approximation on the score, mapped through the logistic).
"""
import math
import re
import sys


def elo(p):
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -400.0 * math.log10(1.0 / p - 1.0)


def main():
    a = b = d = 0
    for path in sys.argv[1:]:
        for line in open(path):
            m = re.search(r"-> (\S+)\s*$", line)
            if not m or not line.startswith("game "):
                continue
            a += m.group(1) == "A"
            b += m.group(1) == "B"
            d += m.group(1) not in ("A", "B")
    n = a + b + d
    if n == 0:
        sys.exit("elo: no games in " + " ".join(sys.argv[1:]))
    score = (a + 0.5 * d) / n
    # Per-game variance of the score (wins 1, draws 1/2, losses 0).
    var = (a * (1 - score) ** 2 + d * (0.5 - score) ** 2 + b * score ** 2) / n
    half = 1.96 * math.sqrt(var / n)
    lo, hi = elo(score - half), elo(score + half)
    print(f"games {n}: A {a} wins, B {b} wins, {d} draws; A scores {100 * score:.1f}% "
          f"(95% {100 * (score - half):.1f}..{100 * (score + half):.1f}%); "
          f"Elo A-B {elo(score):+.0f} (95% {lo:+.0f}..{hi:+.0f})")


if __name__ == "__main__":
    main()
