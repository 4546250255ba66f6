#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "game/board.h"

using namespace hoshi;

namespace {

Loc at(const Board& b, const char* v) {
  return parseLoc(v, b);
}

}  // namespace

TEST_CASE("vertex parsing and formatting") {
  Board b(19, 19);
  CHECK(at(b, "A19") == b.loc(0, 0));
  CHECK(at(b, "a1") == b.loc(0, 18));
  CHECK(at(b, "J10") == b.loc(8, 9));  // I is skipped: J is the 9th column.
  CHECK(at(b, "T1") == b.loc(18, 18));
  CHECK(at(b, "PASS") == kPassLoc);
  CHECK(locToString(b.loc(3, 15), b) == "D4");
  CHECK(locToString(kPassLoc, b) == "pass");
  Loc l;
  std::string err;
  CHECK_FALSE(tryParseLoc("I5", 19, 19, l, &err));
  CHECK(err.find("column I") != std::string::npos);
  CHECK_FALSE(tryParseLoc("K10", 9, 9, l, &err));
  CHECK(err.find("off the 9x9") != std::string::npos);
  CHECK_FALSE(tryParseLoc("A0", 9, 9, l));
  CHECK_FALSE(tryParseLoc("A", 9, 9, l));
  CHECK_THROWS_AS(parseLoc("Z99", 19, 19), std::invalid_argument);
  Board r(7, 5);  // Rectangular: 7 columns, 5 rows.
  CHECK(parseLoc("G5", r) == r.loc(6, 0));
  CHECK_FALSE(tryParseLoc("H1", 7, 5, l));
  CHECK_FALSE(tryParseLoc("A6", 7, 5, l));
  CHECK_THROWS_AS(Board(1, 5), std::invalid_argument);
  CHECK_THROWS_AS(Board(20, 19), std::invalid_argument);
}

TEST_CASE("captures, liberties and the simple ko point") {
  Board b = Board::parse(5, 5,
                         ".XO..\n"
                         "XO.O.\n"
                         ".XO..\n"
                         ".....\n"
                         ".....\n");
  CHECK(b.numLiberties(b.loc(1, 1)) == 1);
  CHECK(b.chainSize(b.loc(1, 0)) == 1);
  // Black C4 (x=2,y=1) captures the white stone at B4 -> ko.
  Loc c4 = b.loc(2, 1);
  CHECK(b.wouldBeCapture(c4, Color::kBlack));
  CHECK(b.wouldBeKoCapture(c4, Color::kBlack));
  CHECK(b.koCaptureLoc(c4, Color::kBlack) == b.loc(1, 1));
  Board before = b;
  auto rec = b.play(c4, Color::kBlack);
  b.checkConsistency();
  CHECK(b.at(b.loc(1, 1)) == Color::kEmpty);
  CHECK(b.koLoc() == b.loc(1, 1));
  CHECK(b.numCaptured(Color::kWhite) == 1);
  CHECK_FALSE(b.isLegalIgnoringSuperko(b.loc(1, 1), Color::kWhite, false));
  CHECK(b.isLegalIgnoringKo(b.loc(1, 1), Color::kWhite, false));
  b.undo(rec);
  b.checkConsistency();
  CHECK(b.samePosition(before));
  // A pass lifts the ko ban.
  b.play(c4, Color::kBlack);
  b.play(kPassLoc, Color::kWhite);
  CHECK(b.koLoc() == kNullLoc);
}

TEST_CASE("single- and multi-stone suicide") {
  Board b = Board::parse(4, 4,
                         ".X..\n"
                         "XX..\n"
                         "....\n"
                         "....\n");
  Loc corner = b.loc(0, 0);
  CHECK(b.isSuicide(corner, Color::kWhite));
  // Single-stone suicide is illegal even when multi-stone suicide is allowed.
  CHECK(b.isIllegalSuicide(corner, Color::kWhite, true));
  CHECK_FALSE(b.isLegalIgnoringSuperko(corner, Color::kWhite, true));
  CHECK_FALSE(b.isSuicide(corner, Color::kBlack));

  Board m = Board::parse(4, 4,
                         "O.X.\n"
                         "XX..\n"
                         "....\n"
                         "....\n");
  // Black B4 connects to nothing but takes the last liberty of white A4: a capture, not suicide.
  CHECK_FALSE(m.isSuicide(m.loc(1, 0), Color::kBlack));
  Board t = Board::parse(4, 4,
                         ".OX.\n"
                         "OX..\n"
                         "X...\n"
                         "....\n");
  Loc a4 = t.loc(0, 0);
  CHECK(t.isSuicide(a4, Color::kWhite));
  CHECK(t.isIllegalSuicide(a4, Color::kWhite, false));
  CHECK_FALSE(t.isIllegalSuicide(a4, Color::kWhite, true));
  Board before = t;
  auto rec = t.play(a4, Color::kWhite);
  t.checkConsistency();
  CHECK(rec.suicide);
  CHECK(t.at(a4) == Color::kEmpty);
  CHECK(t.at(t.loc(1, 0)) == Color::kEmpty);
  CHECK(t.at(t.loc(0, 1)) == Color::kEmpty);
  CHECK(t.numCaptured(Color::kWhite) == 3);
  CHECK(t.numStones(Color::kWhite) == 0);
  t.undo(rec);
  t.checkConsistency();
  CHECK(t.samePosition(before));
}

TEST_CASE("positionHashAfterMove predicts play") {
  Board t = Board::parse(4, 4,
                         ".OX.\n"
                         "OX..\n"
                         "X...\n"
                         "....\n");
  for (Color c : {Color::kBlack, Color::kWhite}) {
    for (int y = 0; y < 4; y++)
      for (int x = 0; x < 4; x++) {
        Loc l = t.loc(x, y);
        if (t.at(l) != Color::kEmpty) continue;
        Board copy = t;
        Hash128 predicted = copy.positionHashAfterMove(l, c);
        copy.play(l, c);
        CHECK(predicted == copy.positionHash());
      }
  }
}

TEST_CASE("random playouts undo back to identical boards") {
  std::mt19937 rng(12345);
  for (int game = 0; game < 40; game++) {
    int xs = 2 + game % 18, ys = 2 + (game * 7) % 18;
    Board b(xs, ys);
    const Board empty = b;
    std::vector<Board::UndoRecord> recs;
    std::vector<Board> snapshots;
    Color toMove = Color::kBlack;
    bool multi = game % 2 == 0;
    for (int move = 0; move < 4 * xs * ys; move++) {
      std::vector<Loc> legal;
      for (int y = 0; y < ys; y++)
        for (int x = 0; x < xs; x++)
          if (b.isLegalIgnoringSuperko(b.loc(x, y), toMove, multi)) legal.push_back(b.loc(x, y));
      Loc l = legal.empty() || rng() % 20 == 0 ? kPassLoc : legal[rng() % legal.size()];
      Hash128 predicted = b.positionHashAfterMove(l, toMove);
      snapshots.push_back(b);
      recs.push_back(b.play(l, toMove));
      REQUIRE(predicted == b.positionHash());
      toMove = opponent(toMove);
      if (move % 17 == 0) b.checkConsistency();
    }
    b.checkConsistency();
    while (!recs.empty()) {
      b.undo(recs.back());
      recs.pop_back();
      REQUIRE(b.samePosition(snapshots.back()));
      snapshots.pop_back();
    }
    b.checkConsistency();
    REQUIRE(b.samePosition(empty));
  }
}

TEST_CASE("setStone resolves captures and keeps chains consistent") {
  Board b(5, 5);
  b.setStone(b.loc(0, 1), Color::kBlack);
  b.setStone(b.loc(1, 0), Color::kBlack);
  b.setStone(b.loc(1, 1), Color::kBlack);
  CHECK(b.chainSize(b.loc(0, 1)) == 3);
  b.setStone(b.loc(1, 1), Color::kEmpty);  // Splits the chain.
  b.checkConsistency();
  CHECK(b.chainSize(b.loc(0, 1)) == 1);
  CHECK(b.numLiberties(b.loc(0, 1)) == 3);
  b.setStone(b.loc(0, 0), Color::kWhite);  // Self-capture: resolved like a move.
  b.checkConsistency();
  CHECK(b.at(b.loc(0, 0)) == Color::kEmpty);
  CHECK(b.toString() ==
        ".X...\n"
        "X....\n"
        ".....\n"
        ".....\n"
        ".....\n");
}
