// Golden data produced by the reference implementation itself (KataGo 1.17.2's
// Board and BoardHistory, compiled from its source by the programs in
// data/tools/; see data/README.md):
//  - katago_area.txt: random positions, each with KataGo's calculateArea for the
//    8 flag combinations and calculateIndependentLifeArea for 4 (plus its region count);
//  - katago_history.txt: random games under many rule sets (encore, button,
//    superko, group tax, handicap), with KataGo's full history state after every move.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "game/game_state.h"

using namespace hoshi;

namespace {

std::string dataPath(const char* name) {
  return std::string(HOSHI_SOURCE_DIR) + "/tests/game/data/" + name;
}

std::string areaString(const Board& b, const AreaMap& a) {
  std::string s;
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++)
      s += static_cast<char>('0' + static_cast<int>(a[b.loc(x, y)]));
  return s;
}

// The same fields, in the same format, as data/tools/katago_history_oracle.cc prints.
std::string describe(const GameState& h) {
  const Board& b = h.board();
  std::ostringstream o;
  Color p = h.toMove();
  o << h.encorePhase() << " " << h.isGameFinished() << h.isNoResult() << h.isScored()
    << h.isPastNormalPhaseEnd() << " w" << static_cast<int>(h.winner()) << " s"
    << h.finalWhiteMinusBlackScore() << " b" << h.whiteBonusScore() << " hb"
    << h.whiteHandicapBonusScore() << " btn" << h.hasButton() << " cp"
    << h.consecutiveEndingPasses() << " av" << h.numApproxValidTurnsThisPhase() << " cv"
    << h.numConsecValidTurnsThisGame() << " tp" << h.numTurnsThisPhase() << " pe"
    << h.passWouldEndPhase(p) << h.passWouldEndGame(p) << h.shouldSuppressEndGameFromFriendlyPass(p)
    << " k" << h.currentSelfKomi(p, 0.5) << " k2 " << h.currentSelfKomi(opponent(p), 0.75) << " nh"
    << h.numHandicapStones() << " ko" << b.koLoc() << " ";
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      o << static_cast<int>(b.at(l)) << h.isLegal(l, p) << h.superKoBanned(l) << h.koRecapBlocked(l)
        << static_cast<int>(h.secondEncoreStartColor(l));
    }
  o << h.isLegal(kPassLoc, p) << " a" << areaString(b, h.areaNow());
  return o.str();
}

}  // namespace

TEST_CASE("area maps equal KataGo's on random positions") {
  std::ifstream in(dataPath("katago_area.txt"));
  REQUIRE(in);
  int xs, ys, sui, positions = 0, withPassAlive = 0;
  while (in >> xs >> ys >> sui) {
    std::string rows, row;
    for (int y = 0; y < ys; y++) {
      in >> row;
      rows += row + "\n";
    }
    Board b = Board::parse(xs, ys, rows);
    INFO("position " << positions << "\n" << rows);
    for (int m = 0; m < 8; m++) {
      std::string expected;
      in >> expected;
      std::string got = areaString(b, calculateArea(b, m & 1, m & 2, m & 4, sui));
      INFO("flags " << m);
      CHECK(got == expected);
      if (m == 0) withPassAlive += got.find_first_of("12") != std::string::npos;
    }
    for (int m = 0; m < 4; m++) {
      std::string expected;
      int expectedCount, count = 0;
      in >> expected >> expectedCount;
      std::string got = areaString(b, calculateIndependentLifeArea(b, count, m & 1, m & 2, sui));
      INFO("independent life, flags " << m);
      CHECK(got == expected);
      CHECK(count == expectedCount);
    }
    positions++;
  }
  CHECK(positions == 120);
  CHECK(withPassAlive > 50);
}

TEST_CASE("game state follows KataGo's BoardHistory move by move") {
  std::ifstream in(dataPath("katago_history.txt"));
  REQUIRE(in);
  std::string line;
  GameState h;
  int games = 0, states = 0, encoreStates = 0;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "G") {
      int xs, ys, assume, nh, pla;
      std::string rulesName;
      float komi;
      ls >> xs >> ys >> rulesName >> komi >> assume >> nh;
      Board b(xs, ys);
      for (int i = 0; i < nh; i++) {
        int x, y;
        ls >> x >> y;
        b.setStone(b.loc(x, y), Color::kBlack);
      }
      ls >> pla;
      Rules r = Rules::parse(rulesName);
      r.komi = komi;
      h = GameState(b, static_cast<Color>(pla), r);
      h.setAssumeMultipleStartingBlackMovesAreHandicap(assume);
      games++;
      continue;
    }
    std::string expected = line.substr(line.find("| ") + 2);
    if (tag == "M") {
      int x, y, c, prevent;
      ls >> x >> y >> c >> prevent;
      Loc l = x < 0 ? kPassLoc : h.board().loc(x, y);
      h.playAssumeLegal(l, static_cast<Color>(c), prevent);
    } else {
      h.endAndScoreNow();
    }
    INFO("game " << games << ": " << line.substr(0, line.find(" |")));
    REQUIRE(describe(h) == expected);
    states++;
    encoreStates += h.encorePhase() > 0;
  }
  CHECK(games == 80);
  CHECK(states > 1500);
  CHECK(encoreStates > 100);
}

TEST_CASE("undo restores every field of the state") {
  std::ifstream in(dataPath("katago_history.txt"));
  REQUIRE(in);
  std::string line;
  GameState h;
  std::vector<std::string> seen;
  int checked = 0;
  auto unwind = [&]() {
    // Walk back through the whole game: each undo must give the earlier state exactly.
    for (size_t i = seen.size(); i-- > 1;) {
      REQUIRE(h.undo());
      REQUIRE(describe(h) == seen[i - 1]);
      checked++;
    }
    CHECK_FALSE(h.undo());
  };
  while (std::getline(in, line) && checked < 3000) {
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "G") {
      if (!seen.empty()) unwind();
      int xs, ys, assume, nh, pla;
      std::string rulesName;
      float komi;
      ls >> xs >> ys >> rulesName >> komi >> assume >> nh;
      Board b(xs, ys);
      for (int i = 0; i < nh; i++) {
        int x, y;
        ls >> x >> y;
        b.setStone(b.loc(x, y), Color::kBlack);
      }
      ls >> pla;
      Rules r = Rules::parse(rulesName);
      r.komi = komi;
      h = GameState(b, static_cast<Color>(pla), r);
      h.setAssumeMultipleStartingBlackMovesAreHandicap(assume);
      seen = {describe(h)};
    } else if (tag == "M") {
      int x, y, c, prevent;
      ls >> x >> y >> c >> prevent;
      h.playAssumeLegal(x < 0 ? kPassLoc : h.board().loc(x, y), static_cast<Color>(c), prevent);
      seen.push_back(describe(h));
    }
  }
  CHECK(checked > 1000);
}
