#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>

#include "game/sgf.h"

using namespace hoshi;
using namespace hoshi::sgf;

namespace {

std::string sharedDir() {
  const char* env = std::getenv("HOSHI_SHARED_DIR");
  return env && *env ? env : HOSHI_SHARED_DIR_DEFAULT;
}

void listFiles(const std::string& dir, const std::string& suffix, std::vector<std::string>& out) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode))
      listFiles(path, suffix, out);
    else if (name.size() > suffix.size() &&
             name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(path);
  }
  closedir(d);
}

bool sameMoves(const std::vector<Move>& a, const std::vector<Move>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (a[i].loc != b[i].loc || a[i].color != b[i].color) return false;
  return true;
}

void requireSameGame(const Game& a, const Game& b) {
  REQUIRE(a.xSize == b.xSize);
  REQUIRE(a.ySize == b.ySize);
  REQUIRE(a.komi == b.komi);
  REQUIRE(a.handicap == b.handicap);
  REQUIRE(a.rules == b.rules);
  REQUIRE(a.playerToMove == b.playerToMove);
  REQUIRE(sameMoves(a.setup, b.setup));
  REQUIRE(a.info == b.info);
  REQUIRE(a.steps.size() == b.steps.size());
  for (size_t i = 0; i < a.steps.size(); i++) {
    REQUIRE(a.steps[i].hasMove == b.steps[i].hasMove);
    REQUIRE(a.steps[i].playerToMove == b.steps[i].playerToMove);
    REQUIRE(sameMoves(a.steps[i].setup, b.steps[i].setup));
    if (a.steps[i].hasMove) REQUIRE(sameMoves({a.steps[i].move}, {b.steps[i].move}));
  }
}

std::string errorOf(const std::string& text) {
  try {
    Game g = parseGame(text);
    replay(g, rulesFor(g, Rules::trompTaylor()));
  } catch (const SgfError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("SGF syntax: escapes, compressed lists, passes, variations") {
  Game g = parseGame(
      "junk before (;FF[4]GM[1]SZ[9]KM[6.5]RU[Japanese]PB[Black \\] Player]C[soft\\\nbreak]"
      "AB[cc:dd][gg]AW[ee]\n;W[ff];B[];W[tt](;B[aa];W[ba])(;B[ab]))");
  CHECK(g.xSize == 9);
  CHECK(*g.komi == 6.5f);
  CHECK(g.rules == "Japanese");
  CHECK(g.infoValue("PB") == "Black ] Player");
  CHECK(g.infoValue("C") == "softbreak");
  REQUIRE(g.setup.size() == 6);  // cc, dc, cd, dd, gg, ee
  CHECK(g.setup[0].loc == Board(9, 9).loc(2, 2));
  CHECK(g.setup[3].loc == Board(9, 9).loc(3, 3));
  REQUIRE(g.numMoves() == 5);
  CHECK(g.steps[1].move.loc == kPassLoc);
  CHECK(g.steps[2].move.loc == kPassLoc);               // tt is a pass on boards up to 19x19
  CHECK(g.steps[3].move.loc == Board(9, 9).loc(0, 0));  // main line = first variation
  GameState s = replay(g, rulesFor(g, Rules::trompTaylor()));
  CHECK(s.rules().scoring == ScoringRule::kTerritory);
  CHECK(s.komi() == 6.5f);
  CHECK(s.board().at(parseLoc("A9", s.board())) == Color::kBlack);
  CHECK(s.board().at(parseLoc("B9", s.board())) == Color::kWhite);
  CHECK(s.toMove() == Color::kBlack);

  Game r = parseGame("(;SZ[7:5];B[fd])");
  CHECK(r.xSize == 7);
  CHECK(r.ySize == 5);
  CHECK(replay(r, Rules()).board().at(parseLoc("F2", 7, 5)) == Color::kBlack);
}

TEST_CASE("broken SGFs give clear errors") {
  CHECK(errorOf("").find("no game tree") != std::string::npos);
  CHECK(errorOf("(;SZ[9];B[aa]").find("missing ')'") != std::string::npos);
  CHECK(errorOf("(;SZ[9];B[aa").find("unterminated") != std::string::npos);
  CHECK(errorOf("(;SZ[9]\n;B[aa]x)").find("line 2") != std::string::npos);
  CHECK(errorOf("(;SZ[9];B[jj])").find("off the 9x9 board") != std::string::npos);
  CHECK(errorOf("(;SZ[25])").find("not supported") != std::string::npos);
  CHECK(errorOf("(;SZ[abc])").find("bad SZ") != std::string::npos);
  CHECK(errorOf("(;GM[2])").find("not a game of Go") != std::string::npos);
  CHECK(errorOf("(;KM[six])").find("bad KM") != std::string::npos);
  CHECK(errorOf("(;SZ[9];B[aa]W[bb])") == "");  // Two moves in a node: tolerated, played in order.
  CHECK(parseGame("(;SZ[9];B[aa]W[bb])").numMoves() == 2);
  CHECK(errorOf("(;SZ[9];B[aa];W[aa])").find("move 2 (W A9) is illegal: the point is occupied") !=
        std::string::npos);
  CHECK(errorOf("(;SZ[9];B)").find("has no value") != std::string::npos);
  CHECK(errorOf("(;SZ[9]AB[a])").find("bad point") != std::string::npos);
  CHECK(errorOf("()").find("without nodes") != std::string::npos);
  std::string deep;
  for (int i = 0; i < 5000; i++) deep += "(;";
  CHECK(errorOf(deep).find("nested too deeply") != std::string::npos);
  CHECK_THROWS_AS(loadGameFile("/nonexistent/x.sgf"), SgfError);
}

TEST_CASE("loadsgf N stops before move N with its colour to play") {
  Game g = parseGame("(;SZ[9];B[ee];W[cc];B[gg];W[cg])");
  GameState s = replay(g, Rules(), 3);
  CHECK(s.moves().size() == 2);
  CHECK(s.toMove() == Color::kBlack);
  CHECK(replay(g, Rules(), 1).moves().empty());
  CHECK(replay(g, Rules(), 0).moves().size() == 4);
  CHECK(replay(g, Rules(), 99).moves().size() == 4);
  // Handicap set-up: white moves first.
  Game h = parseGame("(;SZ[9]HA[2]AB[cc][gg])");
  CHECK(replay(h, Rules()).toMove() == Color::kWhite);
  Game pl = parseGame("(;SZ[9]AB[cc]AW[gg]PL[W])");
  CHECK(replay(pl, Rules()).toMove() == Color::kWhite);
}

TEST_CASE("GameState -> SGF -> GameState round trips") {
  std::mt19937 rng(7);
  const char* names[] = {"japanese", "chinese",     "tromp-taylor",
                         "aga",      "new-zealand", "stone-scoring"};
  for (int game = 0; game < 30; game++) {
    int xs = 5 + game % 15, ys = game % 4 == 0 ? 5 + (game * 3) % 15 : xs;
    Rules rules = Rules::parse(names[game % 6]);
    rules.komi = 0.5f * (game % 17);
    Board start(xs, ys);
    if (game % 5 == 0) {
      start.setStone(start.loc(2, 2), Color::kBlack);
      start.setStone(start.loc(xs - 3, ys - 3), Color::kBlack);
    }
    GameState s(start, game % 5 == 0 ? Color::kWhite : Color::kBlack, rules);
    for (int m = 0; m < xs * ys && !s.isGameFinished(); m++) {
      std::vector<Loc> legal;
      for (int y = 0; y < ys; y++)
        for (int x = 0; x < xs; x++)
          if (s.isLegal(start.loc(x, y), s.toMove())) legal.push_back(start.loc(x, y));
      Loc l = legal.empty() || rng() % 25 == 0 ? kPassLoc : legal[rng() % legal.size()];
      REQUIRE(s.play(l, s.toMove()));
    }
    std::string text = writeGame(fromGameState(s));
    Game back = parseGame(text);
    GameState r = replay(back, rulesFor(back, Rules()));
    INFO(text);
    CHECK(r.rules() == s.rules());
    CHECK(r.board().samePosition(s.board()));
    CHECK(r.toMove() == s.toMove());
    CHECK(sameMoves(r.moves(), s.moves()));
    CHECK(r.initialBoard().samePosition(s.initialBoard()));
    CHECK(r.isGameFinished() == s.isGameFinished());
    CHECK(r.finalWhiteMinusBlackScore() == s.finalWhiteMinusBlackScore());
    CHECK(r.encorePhase() == s.encorePhase());
  }
}

TEST_CASE("every regression and professional SGF loads, replays and round-trips") {
  std::vector<std::string> files;
  listFiles(sharedDir() + "/regress", ".sgf", files);
  listFiles(sharedDir() + "/sgf", ".sgf", files);
  listFiles("/usr/share/goban", ".mgt", files);
  listFiles("/usr/share/goban", ".sgf", files);
  if (files.empty()) {
    WARN("no SGF files found; skipped");
    return;
  }
  int moves = 0;
  std::vector<std::string> corrupt;
  for (const std::string& path : files) {
    INFO(path);
    Game g = loadGameFile(path);
    Game again = parseGame(writeGame(g));
    requireSameGame(g, again);
    Rules rules = rulesFor(g, Rules::trompTaylor());
    try {
      GameState s = replay(g, rules);
      moves += static_cast<int>(s.moves().size());
      GameState s2 = replay(again, rules);
      REQUIRE(s2.board().samePosition(s.board()));
      REQUIRE(sameMoves(s2.moves(), s.moves()));
    } catch (const SgfError& e) {
      // A record that plays on an occupied point is refused (GNU Go warns and skips it).
      REQUIRE(std::string(e.what()).find("the point is occupied") != std::string::npos);
      corrupt.push_back(path.substr(path.rfind('/') + 1));
    }
  }
  // Records that replay a move on an occupied point (GNU Go 3.8 warns on each
  // of them: "Move off board or on occupied position found in sgf-file").
  const std::vector<std::string> knownCorrupt = {"T-22-4.mgt", "M-77-1.mgt", "M-77-2.mgt",
                                                 "M-77-4.mgt", "M-65-5.sgf"};
  for (const std::string& c : corrupt) {
    INFO(c);
    CHECK(std::find(knownCorrupt.begin(), knownCorrupt.end(), c) != knownCorrupt.end());
  }
  CHECK(files.size() > 800);
  WARN("SGF corpus: " << files.size() << " files, " << moves << " moves replayed");
}
