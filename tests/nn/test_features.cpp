// Input features (version 7) on small hand-checked positions, built through
// GameState as kata-raw-nn sees them.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "game/game_state.h"
#include "nn/features.h"
#include "nn/features_state.h"

using namespace hoshi;
using hoshi::nn::kNumGlobalFeaturesV7;
using hoshi::nn::kNumSpatialFeaturesV7;

namespace {

struct Encoded {
  int xSize, ySize;
  std::vector<float> spatial;
  std::vector<float> global;

  // Plane c as rows of '1'/'.' (top row first), like Board::toString.
  std::string plane(int c) const {
    std::string s;
    for (int y = 0; y < ySize; y++) {
      for (int x = 0; x < xSize; x++) s += spatial[(c * ySize + y) * xSize + x] != 0 ? '1' : '.';
      s += '\n';
    }
    return s;
  }
};

Encoded encode(const GameState& st, int maxHistory = nn::kAllHistory) {
  nn::InputOptions options;
  options.maxHistory = maxHistory;
  Encoded e{st.board().xSize(), st.board().ySize(), {}, {}};
  e.spatial.resize(kNumSpatialFeaturesV7 * e.xSize * e.ySize);
  e.global.resize(kNumGlobalFeaturesV7);
  nn::FeatureSnapshot snap(st, false, options);
  nn::encodeFeaturesV7(snap.inputs(), e.spatial.data(), e.global.data());
  return e;
}

Rules rulesNamed(const char* name, float komi) {
  return Rules::parseWithoutKomi(name, komi);
}

// Black wall over the top two rows with three one-point eyes, a lone white
// stone below it.
const char* kWallWithEyes =
    ". X . X ."
    "X X X X X"
    ". . . . ."
    ". . O . ."
    ". . . . .";

}  // namespace

TEST_CASE("stone and liberty planes", "[features]") {
  Board b = Board::parse(5, 5,
                         "X O . . ."
                         "X O . . ."
                         ". X . . ."
                         ". . . O O"
                         ". . . O .");
  GameState st(b, Color::kBlack, rulesNamed("chinese", 7.5f));
  Encoded e = encode(st);
  CHECK(e.plane(0) == "11111\n11111\n11111\n11111\n11111\n");
  CHECK(e.plane(1) == "1....\n1....\n.1...\n.....\n.....\n");  // black = side to move
  CHECK(e.plane(2) == ".1...\n.1...\n.....\n...11\n...1.\n");
  CHECK(e.plane(3) == "1....\n1....\n.....\n.....\n.....\n");  // one liberty: (0,2)
  CHECK(e.plane(4) == ".1...\n.1...\n.....\n.....\n.....\n");  // two: (2,0), (2,1)
  CHECK(e.plane(5) == ".....\n.....\n.1...\n.....\n.....\n");  // three
  // The same position with white to move swaps the stone planes.
  GameState stW(b, Color::kWhite, rulesNamed("chinese", 7.5f));
  Encoded w = encode(stW);
  CHECK(w.plane(1) == e.plane(2));
  CHECK(w.plane(2) == e.plane(1));
}

TEST_CASE("simple ko ban, and a superko ban only under superko rules", "[features]") {
  Board b = Board::parse(5, 5,
                         ". X O . ."
                         "X O . O ."
                         ". X O . ."
                         ". . . . ."
                         ". . . . .");
  for (const char* name : {"chinese", "tromp-taylor"}) {
    GameState st(b, Color::kBlack, rulesNamed(name, 7.5f));
    REQUIRE(st.play(b.loc(2, 1), Color::kBlack));  // takes the ko at (1,1)
    Encoded e = encode(st);
    INFO(name);
    CHECK(e.plane(6) == ".....\n.1...\n.....\n.....\n.....\n");
    CHECK(e.plane(9) == ".....\n..1..\n.....\n.....\n.....\n");  // the opponent's last move
    // White passes (lifting the simple ko ban), black passes: retaking would
    // repeat the position before black's capture.
    REQUIRE(st.play(kPassLoc, Color::kWhite));
    REQUIRE(st.play(kPassLoc, Color::kBlack));
    Encoded after = encode(st);
    bool superko = std::string(name) == "tromp-taylor";
    CHECK(after.plane(6) == (superko ? ".....\n.1...\n.....\n.....\n.....\n"
                                     : ".....\n.....\n.....\n.....\n.....\n"));
    // Two passes ended the game: only the final pass is shown.
    CHECK(after.global[0] == 1.0f);
    CHECK(after.global[1] == 0.0f);
  }
}

TEST_CASE("pass-alive area planes under area scoring only", "[features]") {
  Board b = Board::parse(5, 5, kWallWithEyes);
  Encoded area = encode(GameState(b, Color::kBlack, rulesNamed("chinese", 7.5f)));
  CHECK(area.plane(18) ==
        "11111\n11111\n.....\n.....\n.....\n");  // black's pass-alive group and eyes
  CHECK(area.plane(19) == ".....\n.....\n.....\n..1..\n.....\n");  // white's stone, not pass-alive
  Encoded territory = encode(GameState(b, Color::kBlack, rulesNamed("japanese", 6.5f)));
  CHECK(territory.plane(18) == ".....\n.....\n.....\n.....\n.....\n");
  CHECK(territory.plane(19) == ".....\n.....\n.....\n.....\n.....\n");
  // Stone scoring (group tax) keeps stones of independent life only.
  Encoded tax = encode(GameState(b, Color::kBlack, rulesNamed("stone-scoring", 7.5f)));
  CHECK(tax.plane(18) == ".1.1.\n11111\n.....\n.....\n.....\n");
  CHECK(tax.plane(19) == ".....\n.....\n.....\n..1..\n.....\n");
}

TEST_CASE("komi, rules and parity globals", "[features]") {
  Board b(19, 19);
  Encoded chinese = encode(GameState(b, Color::kBlack, rulesNamed("chinese", 7.5f)));
  CHECK(chinese.global[5] == Approx(-7.5 / 20));
  for (int i : {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}) CHECK(chinese.global[i] == 0.0f);
  // Odd board area: komi -7.5 is 1.5 above the drawable -9.
  CHECK(chinese.global[18] == Approx(-0.5));

  GameState white(b, Color::kWhite, rulesNamed("chinese", 7.5f));
  Encoded w = encode(white);
  CHECK(w.global[5] == Approx(7.5 / 20));
  CHECK(w.global[18] == Approx(0.5));

  Encoded tt = encode(GameState(b, Color::kBlack, rulesNamed("tromp-taylor", 7.0f)));
  CHECK(tt.global[6] == 1.0f);
  CHECK(tt.global[7] == 0.5f);
  CHECK(tt.global[8] == 1.0f);          // multi-stone suicide
  CHECK(tt.global[18] == Approx(0.0));  // komi -7 can draw

  Rules situational = rulesNamed("chinese", 7.5f);
  situational.ko = KoRule::kSituational;
  CHECK(encode(GameState(b, Color::kBlack, situational)).global[7] == -0.5f);

  Encoded jp = encode(GameState(b, Color::kBlack, rulesNamed("japanese", 6.5f)));
  CHECK(jp.global[9] == 1.0f);
  CHECK(jp.global[10] == 1.0f);
  CHECK(jp.global[11] == 0.0f);
  CHECK(jp.global[18] == 0.0f);  // no parity wave before the final encore

  Encoded stones = encode(GameState(b, Color::kBlack, rulesNamed("stone-scoring", 7.5f)));
  CHECK(stones.global[10] == 1.0f);
  CHECK(stones.global[11] == 1.0f);
}

TEST_CASE("handicap bonus enters white's komi", "[features]") {
  Board b(9, 9);
  b.setStone(b.loc(2, 6), Color::kBlack);
  b.setStone(b.loc(6, 2), Color::kBlack);
  // Chinese rules give white one point per handicap stone.
  Encoded e = encode(GameState(b, Color::kWhite, rulesNamed("chinese", 0.5f)));
  CHECK(e.global[5] == Approx(2.5 / 20));
  Encoded j = encode(GameState(b, Color::kWhite, rulesNamed("japanese", 0.5f)));
  // Territory scoring counts the two stones as moves black made.
  CHECK(j.global[5] == Approx(2.5 / 20));
}

TEST_CASE("a pass shows in the history unless friendly passing hides it", "[features]") {
  for (const char* name : {"tromp-taylor", "chinese"}) {
    GameState st(Board(9, 9), Color::kBlack, rulesNamed(name, 7.5f));
    REQUIRE(st.play(st.board().loc(4, 4), Color::kBlack));
    REQUIRE(st.play(kPassLoc, Color::kWhite));
    Encoded e = encode(st);
    INFO(name);
    if (std::string(name) == "tromp-taylor") {
      CHECK(e.global[0] == 1.0f);   // white's pass
      CHECK(e.global[14] == 1.0f);  // black passing now ends the game
      CHECK(e.plane(10).find('1') == 4 * 10 + 4);
    } else {
      // Chinese allows a friendly pass: the history is hidden instead.
      CHECK(e.global[0] == 0.0f);
      CHECK(e.global[14] == 0.0f);
      CHECK(e.plane(10).find('1') == std::string::npos);
    }
  }
}

TEST_CASE("maxHistory hides the older moves from the net", "[features]") {
  // Three moves and a capture, so the boards before the last moves differ.
  GameState st(Board(9, 9), Color::kBlack, rulesNamed("tromp-taylor", 7.5f));
  REQUIRE(st.play(st.board().loc(2, 2), Color::kBlack));
  REQUIRE(st.play(kPassLoc, Color::kWhite));
  REQUIRE(st.play(st.board().loc(6, 6), Color::kBlack));
  const Encoded all = encode(st);
  CHECK(all.plane(9).find('1') == 6 * 10 + 6);   // black's last move
  CHECK(all.global[1] == 1.0f);                  // white's pass
  CHECK(all.plane(11).find('1') == 2 * 10 + 2);  // black's first move

  const Encoded one = encode(st, 1);
  CHECK(one.plane(9) == all.plane(9));
  CHECK(one.global[1] == 0.0f);
  CHECK(one.plane(11).find('1') == std::string::npos);

  // None shown: what the net sees of the same board with no history at all.
  GameState fresh(st.board(), st.toMove(), st.rules());
  const Encoded none = encode(st, 0);
  const Encoded blank = encode(fresh);
  CHECK(none.spatial == blank.spatial);
  CHECK(none.global == blank.global);
  CHECK(none.spatial != all.spatial);
}

TEST_CASE("ladder planes mark the laddered stone and the working atari", "[features]") {
  Board b = Board::parse(9, 9,
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . X . . . . ."
                         ". . . X O . . . ."
                         ". . . . X . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . ."
                         ". . . . . . . . .");
  Encoded e = encode(GameState(b, Color::kBlack, rulesNamed("chinese", 7.5f)));
  std::string stone(90, '.'), atari(90, '.');
  for (int y = 0; y < 9; y++) stone[y * 10 + 9] = atari[y * 10 + 9] = '\n';
  stone[4 * 10 + 4] = '1';
  atari[4 * 10 + 5] = '1';
  CHECK(e.plane(14) == stone);
  CHECK(e.plane(15) == stone);  // no history: previous boards are this one
  CHECK(e.plane(16) == stone);
  CHECK(e.plane(17) == atari);
}

TEST_CASE("encore phases: phase globals, second-encore stones and area", "[features]") {
  // Territory scoring without preventing the cleanup phase: two passes start
  // encore phase 1, two more phase 2.
  Board b = Board::parse(5, 5, kWallWithEyes);
  GameState st(b, Color::kBlack, rulesNamed("japanese", 6.5f));
  st.playAssumeLegal(kPassLoc, Color::kBlack, false);
  st.playAssumeLegal(kPassLoc, Color::kWhite, false);
  REQUIRE(st.encorePhase() == 1);
  Encoded e1 = encode(st);
  CHECK(e1.global[12] == 1.0f);
  CHECK(e1.global[13] == 0.0f);
  CHECK(e1.global[0] == 0.0f);  // the history restarts with the phase
  CHECK(e1.plane(20) == ".....\n.....\n.....\n.....\n.....\n");

  st.playAssumeLegal(kPassLoc, Color::kBlack, false);
  st.playAssumeLegal(kPassLoc, Color::kWhite, false);
  REQUIRE(st.encorePhase() == 2);
  Encoded e2 = encode(st);
  CHECK(e2.global[12] == 1.0f);
  CHECK(e2.global[13] == 1.0f);
  CHECK(e2.plane(20) == ".1.1.\n11111\n.....\n.....\n.....\n");
  CHECK(e2.plane(21) == ".....\n.....\n.....\n..1..\n.....\n");
  // Seki-taxed territory scoring: the wall touches dame so it has no
  // independent life, but stones standing since phase 2 began still count.
  CHECK(e2.plane(18) == ".1.1.\n11111\n.....\n.....\n.....\n");
  CHECK(e2.plane(19) == ".....\n.....\n.....\n..1..\n.....\n");
  // Komi for black: 6.5 plus 7 - 1 chilled stones; the parity wave now shows.
  CHECK(e2.global[5] == Approx(-12.5 / 20));
  CHECK(e2.global[18] == Approx(0.5));
}

TEST_CASE("button: shown until taken, then worth half a point", "[features]") {
  GameState st(Board(9, 9), Color::kBlack, rulesNamed("aga-button", 7.0f));
  REQUIRE(st.hasButton());
  Encoded before = encode(st);
  CHECK(before.global[17] == 1.0f);
  CHECK(before.global[5] == Approx(-7.0 / 20));
  REQUIRE(st.play(kPassLoc, Color::kBlack));  // black takes the button
  Encoded after = encode(st);
  CHECK(after.global[17] == 0.0f);
  CHECK(after.global[5] == Approx((7.0 - 0.5) / 20));  // white's view, minus black's half point
}
