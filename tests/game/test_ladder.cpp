// Ladder reading on hand-built positions (9x9, x from the left, y from the top).

#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "game/board.h"
#include "game/ladder.h"

using hoshi::Board;
using hoshi::Color;
using hoshi::Loc;

namespace {

// White stone at (4,4) in atari: black on its left (3,4), below (4,5) and
// right (5,4), with (3,3) closing the upward escape to two liberties. The
// chase runs up and to the right toward the top edge.
const char* kAtari =
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . X . . . . ."
    ". . . X O X . . ."
    ". . . . X . . . ."
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . . . . . . .";

// The same with a white ladder breaker on the chase's diagonal.
const char* kAtariBroken =
    ". . . . . . . . ."
    ". . . . . . . O ."
    ". . . . . . . . ."
    ". . . X . . . . ."
    ". . . X O X . . ."
    ". . . . X . . . ."
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . . . . . . .";

// Two liberties, (4,3) and (5,4); only the atari from the right works.
const char* kTwoLibs =
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . X . . . . ."
    ". . . X O . . . ."
    ". . . . X . . . ."
    ". . . . . . . . ."
    ". . . . . . . . ."
    ". . . . . . . . .";

std::set<Loc> ladderedStones(const Board& b) {
  std::set<Loc> out;
  hoshi::forEachLadderedStone(b, [&](Loc l, const std::vector<Loc>&) { out.insert(l); });
  return out;
}

}  // namespace

TEST_CASE("a stone in atari chased to the edge is ladder captured", "[ladder]") {
  Board b = Board::parse(9, 9, kAtari);
  Board before = b;
  CHECK(hoshi::isLadderCaptured(b, b.loc(4, 4)));
  CHECK(b.samePosition(before));
  CHECK(ladderedStones(b) == std::set<Loc>{b.loc(4, 4)});
}

TEST_CASE("a ladder breaker on the diagonal saves the stone", "[ladder]") {
  Board b = Board::parse(9, 9, kAtariBroken);
  CHECK_FALSE(hoshi::isLadderCaptured(b, b.loc(4, 4)));
  CHECK(ladderedStones(b).empty());
}

TEST_CASE("two-liberty ladder reports the attacker's working first move", "[ladder]") {
  Board b = Board::parse(9, 9, kTwoLibs);
  std::vector<Loc> working;
  CHECK(hoshi::isLadderCapturedAttackerFirst(b, b.loc(4, 4), working));
  CHECK(working == std::vector<Loc>{b.loc(5, 4)});

  std::vector<Loc> reported;
  hoshi::forEachLadderedStone(b, [&](Loc l, const std::vector<Loc>& w) {
    CHECK(l == b.loc(4, 4));
    reported = w;
  });
  CHECK(reported == std::vector<Loc>{b.loc(5, 4)});
}

TEST_CASE("a stone that escapes to three liberties is not laddered", "[ladder]") {
  // Without (3,3) the stone extends upward to three liberties.
  Board b = Board::parse(9, 9,
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . X O X . . ."
                         ". . . . X . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . .");
  CHECK_FALSE(hoshi::isLadderCaptured(b, b.loc(4, 4)));
}

TEST_CASE("a defender that can capture an attacker stone in atari escapes", "[ladder]") {
  // kAtari plus white stones at (6,4) and (5,5) that put the black stone at
  // (5,4) in atari (last liberty (5,3)): capturing it breaks the net.
  Board b = Board::parse(9, 9,
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . X . . . . ."
                         ". . . X O X O . ."
                         ". . . . X O . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . .");
  REQUIRE(b.numLiberties(b.loc(4, 4)) == 1);
  REQUIRE(b.numLiberties(b.loc(5, 4)) == 1);
  CHECK_FALSE(hoshi::isLadderCaptured(b, b.loc(4, 4)));
  // The black stone extends to (5,3) with three liberties: no ladder either.
  CHECK_FALSE(hoshi::isLadderCaptured(b, b.loc(5, 4)));
}
