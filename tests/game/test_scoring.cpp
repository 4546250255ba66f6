#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "game/scoring.h"
#include "game/sgf.h"

using namespace hoshi;

namespace {

// A finished random game: both sides fill everything but their own eyes.
Board playedOut(int size, std::mt19937& rng) {
  Board b(size, size);
  Color c = Color::kBlack;
  int passes = 0;
  for (int m = 0; m < 6 * size * size && passes < 2; m++) {
    std::vector<Loc> moves;
    for (int y = 0; y < size; y++)
      for (int x = 0; x < size; x++) {
        Loc l = b.loc(x, y);
        if (b.isLegalIgnoringSuperko(l, c, false) && !b.isSimpleEye(l, c)) moves.push_back(l);
      }
    passes = moves.empty() ? passes + 1 : 0;
    b.play(moves.empty() ? kPassLoc : moves[rng() % moves.size()], c);
    c = opponent(c);
  }
  return b;
}

}  // namespace

TEST_CASE("Tromp-Taylor area count and result strings") {
  Board b = Board::parse(5, 5,
                         ".x.o.\n"
                         "xx.oo\n"
                         ".....\n"
                         "ooooo\n"
                         ".o...\n");
  // Black: 3 stones + A5 = 4. White: 9 stones + E5 + A1 + C1-E1 = 14. The
  // region C5, C4, A3-E3 reaches both colours and counts for nobody.
  CHECK(trompTaylorAreaWhiteMinusBlack(b) == 10);
  CHECK(formatScore(3.5f) == "W+3.5");
  CHECK(formatScore(-0.5f) == "B+0.5");
  CHECK(formatScore(-12.0f) == "B+12");
  CHECK(formatScore(0.0f) == "0");
  GameState s(b, Color::kBlack, Rules::trompTaylor());
  CHECK(formatResult(s) == "?");
  CHECK(scoreNowWhiteMinusBlack(s) == 17.5f);
  CHECK_FALSE(s.isGameFinished());  // Scoring a copy leaves the state alone.
  s.setWinnerByResignation(Color::kBlack);
  CHECK(formatResult(s) == "B+R");
}

TEST_CASE("area score of played-out games equals GNU Go's final_score (Chinese rules)") {
  const char* gnugo = "/usr/games/gnugo";
  if (access(gnugo, X_OK) != 0) {
    WARN("GNU Go not installed; skipped");
    return;
  }
  std::mt19937 rng(2024);
  std::vector<std::string> files, expected;
  char dir[] = "/tmp/hoshi_score_XXXXXX";
  REQUIRE(mkdtemp(dir));
  std::string cmds;
  for (int i = 0; i < 12; i++) {
    int size = i % 3 == 0 ? 7 : i % 3 == 1 ? 9 : 11;
    Board b = playedOut(size, rng);
    GameState s(b, Color::kBlack, Rules::parse("chinese"));
    s.setKomi(0.5f);
    std::string path = std::string(dir) + "/g" + std::to_string(i) + ".sgf";
    std::ofstream(path) << sgf::writeGame(sgf::fromGameState(s));
    files.push_back(path);
    expected.push_back(formatScore(static_cast<float>(trompTaylorAreaWhiteMinusBlack(b)) + 0.5f));
    cmds += "loadsgf " + path + "\nfinal_score\n";
  }
  std::string cmdPath = std::string(dir) + "/cmds";
  std::ofstream(cmdPath) << cmds << "quit\n";
  std::string cmd = std::string(gnugo) + " --mode gtp --chinese-rules < " + cmdPath;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::vector<std::string> replies;
  char buf[512];
  while (fgets(buf, sizeof(buf), p)) {
    std::string line(buf);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) replies.push_back(line);
  }
  pclose(p);
  for (const std::string& f : files) std::remove(f.c_str());
  std::remove(cmdPath.c_str());
  rmdir(dir);
  REQUIRE(replies.size() == files.size() * 2 + 1);
  for (size_t i = 0; i < files.size(); i++) {
    INFO("game " << i);
    CHECK(replies[2 * i + 1] == "= " + expected[i]);
  }
}
