#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <set>

#include "app/options.h"
#include "config/options.h"
#include "search/engine.h"
#include "search/fallback_policy.h"

using namespace hoshi;

namespace {

Loc at(const Board& b, const char* vertex) {
  return parseLoc(vertex, b);
}

// Every empty point of the position, in order.
std::vector<Loc> allEmpty(const Board& b) {
  std::vector<Loc> out;
  for (int y = 0; y < b.ySize(); ++y)
    for (int x = 0; x < b.xSize(); ++x)
      if (b.at(b.loc(x, y)) == Color::kEmpty) out.push_back(b.loc(x, y));
  return out;
}

std::unique_ptr<Engine> engineWith(const Board& board, Color toMove) {
  config::OptionSet options{hoshi::app::programOptions()};
  options.set("searchRandSeed", "fallback-test", "test");
  auto engine = std::make_unique<Engine>(options.params());
  engine->setState(GameState(board, toMove, Rules::parse("chinese")));
  return engine;
}

}  // namespace

TEST_CASE("true eyes by the classic rule") {
  // Rows from the top (row 5 first).
  Board b = Board::parse(5, 5,
                         ".X.XO"
                         "XXXX."
                         "X.XOO"
                         "XXO.O"
                         ".XOOO");
  CHECK(isTrueEye(b, at(b, "A5"), Color::kBlack));        // corner, diagonal B4 black
  CHECK(isTrueEye(b, at(b, "C5"), Color::kBlack));        // edge, diagonals B4 D4 black
  CHECK(isTrueEye(b, at(b, "B3"), Color::kBlack));        // centre, only C2 white
  CHECK_FALSE(isTrueEye(b, at(b, "E4"), Color::kWhite));  // D4 is black: not surrounded
  CHECK_FALSE(isTrueEye(b, at(b, "E4"), Color::kBlack));  // not surrounded by black
  CHECK(isTrueEye(b, at(b, "D2"), Color::kWhite));        // centre with C3 black: one bad diagonal
  CHECK(isTrueEye(b, at(b, "A1"), Color::kBlack));        // corner, diagonal B2 black
  CHECK_FALSE(isTrueEye(b, at(b, "B4"), Color::kBlack));  // occupied
}

TEST_CASE("centre eyes tolerate one bad diagonal, not two") {
  Board b = Board::parse(5, 5,
                         "....."
                         ".OXO."
                         ".X.X."
                         ".XXX."
                         ".....");
  // B4 and D4 white: two bad diagonals make C3 a false eye.
  CHECK_FALSE(isTrueEye(b, at(b, "C3"), Color::kBlack));
  Board b2 = Board::parse(5, 5,
                          "....."
                          ".XXO."
                          ".X.X."
                          ".XXX."
                          ".....");
  CHECK(isTrueEye(b2, at(b2, "C3"), Color::kBlack));
  Board b3 = Board::parse(5, 5,
                          "....."
                          "..X.."
                          ".X.X."
                          ".XXX."
                          ".....");
  // Two empty diagonals are not own either.
  CHECK_FALSE(isTrueEye(b3, at(b3, "C3"), Color::kBlack));
}

TEST_CASE("the fallback policy never fills its own eyes and passes when only eyes are left") {
  // Both sides live with two one-point eyes: black at A1 and C1, white at B6 and D6.
  // White's eyes are suicide for black, black's own eyes must not be filled.
  Board b = Board::parse(5, 6,
                         "O.O.O"
                         "OOOOO"
                         "XXXXX"
                         "XXXXX"
                         "XXXXX"
                         ".X.XX");
  std::vector<Loc> legal;
  for (Loc l : allEmpty(b))
    if (b.isLegalIgnoringKo(l, Color::kBlack, false)) legal.push_back(l);
  REQUIRE(legal == std::vector<Loc>{at(b, "A1"), at(b, "C1")});
  std::mt19937_64 rng(7);
  for (int i = 0; i < 50; ++i) CHECK(pickFallbackMove(b, Color::kBlack, legal, rng) == kPassLoc);
  CHECK(engineWith(b, Color::kBlack)->genmove(Color::kBlack) == kPassLoc);
  CHECK(engineWith(b, Color::kWhite)->genmove(Color::kWhite) == kPassLoc);
}

TEST_CASE("the fallback policy picks every non-eye legal move and only those") {
  Board b = Board::parse(5, 5,
                         "....."
                         "....."
                         "XXXXX"
                         "XXXXX"
                         ".X.XX");
  std::mt19937_64 rng(11);
  std::vector<Loc> legal = allEmpty(b);
  std::set<Loc> seen;
  for (int i = 0; i < 400; ++i) {
    Loc l = pickFallbackMove(b, Color::kBlack, legal, rng);
    REQUIRE(l != kPassLoc);
    REQUIRE(l != at(b, "A1"));
    REQUIRE(l != at(b, "C1"));
    seen.insert(l);
  }
  CHECK(seen.size() == 10);  // the two empty rows at the top
}

TEST_CASE("a whole random game on 9x9 ends in passes without filling eyes") {
  config::OptionSet options{hoshi::app::programOptions()};
  options.set("searchRandSeed", "self-play", "test");
  options.set("defaultBoardSize", "9", "test");
  Engine e(options.params());
  Color c = Color::kBlack;
  int passes = 0;
  int moves = 0;
  for (; moves < 1000 && passes < 2; ++moves) {
    Board before = e.board();
    Loc l = e.genmove(c);
    if (l == kPassLoc) {
      ++passes;
      // Passing only when every legal move would fill an own true eye.
      for (Loc p : allEmpty(before))
        if (before.isLegalIgnoringKo(p, c, e.rules().multiStoneSuicideLegal))
          CHECK(isTrueEye(before, p, c));
    } else {
      passes = 0;
      CHECK_FALSE(isTrueEye(before, l, c));
    }
    c = opponent(c);
  }
  CHECK(passes == 2);
  CHECK(moves > 40);
}
