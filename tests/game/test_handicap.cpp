#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "game/handicap.h"

using namespace hoshi;

namespace {

std::string joined(const std::vector<Loc>& locs, int size) {
  std::string s;
  for (Loc l : locs) s += (s.empty() ? "" : " ") + locToString(l, size, size);
  return s;
}

std::string fixedOrError(int size, int n) {
  try {
    return joined(fixedHandicapPoints(size, size, n), size);
  } catch (const std::invalid_argument&) {
    return "invalid";
  }
}

}  // namespace

TEST_CASE("fixed handicap on 9x9, 13x13 and 19x19 (GTP specification)") {
  CHECK(fixedOrError(19, 2) == "Q16 D4");
  CHECK(fixedOrError(19, 3) == "D16 Q16 D4");
  CHECK(fixedOrError(19, 4) == "D16 Q16 D4 Q4");
  CHECK(fixedOrError(19, 5) == "D16 Q16 K10 D4 Q4");
  CHECK(fixedOrError(19, 6) == "D16 Q16 D10 Q10 D4 Q4");
  CHECK(fixedOrError(19, 7) == "D16 Q16 D10 K10 Q10 D4 Q4");
  CHECK(fixedOrError(19, 8) == "D16 K16 Q16 D10 Q10 D4 K4 Q4");
  CHECK(fixedOrError(19, 9) == "D16 K16 Q16 D10 K10 Q10 D4 K4 Q4");
  CHECK(fixedOrError(13, 5) == "D10 K10 G7 D4 K4");
  CHECK(fixedOrError(13, 9) == "D10 G10 K10 D7 G7 K7 D4 G4 K4");
  CHECK(fixedOrError(9, 2) == "G7 C3");
  CHECK(fixedOrError(9, 9) == "C7 E7 G7 C5 E5 G5 C3 E3 G3");
  CHECK(fixedOrError(19, 1) == "invalid");
  CHECK(fixedOrError(19, 10) == "invalid");
  CHECK(fixedOrError(6, 2) == "invalid");
  CHECK(fixedOrError(10, 5) == "invalid");
}

TEST_CASE("fixed handicap equals GNU Go's on every size from 5 to 19") {
  const char* gnugo = "/usr/games/gnugo";
  if (access(gnugo, X_OK) != 0) {
    WARN("GNU Go not installed; skipped");
    return;
  }
  char path[] = "/tmp/hoshi_handicap_XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::vector<std::pair<int, int>> cases;
  {
    std::ofstream cmds(path);
    for (int size = 5; size <= 19; size++)
      for (int n = 2; n <= 10; n++) {
        cmds << "boardsize " << size << "\nclear_board\nfixed_handicap " << n << "\n";
        cases.emplace_back(size, n);
      }
    cmds << "quit\n";
  }
  std::string cmd = std::string(gnugo) + " --mode gtp < " + path;
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
  std::remove(path);
  // Each case got three replies (boardsize, clear_board, fixed_handicap), then quit.
  REQUIRE(replies.size() == cases.size() * 3 + 1);
  for (size_t i = 0; i < cases.size(); i++) {
    const std::string& r = replies[i * 3 + 2];
    std::string expected = r[0] == '=' ? r.substr(2) : "invalid";
    INFO(cases[i].first << "x" << cases[i].first << " handicap " << cases[i].second);
    CHECK(fixedOrError(cases[i].first, cases[i].second) == expected);
  }
}

TEST_CASE("free handicap placement and validation") {
  auto nine = freeHandicapPoints(19, 19, 9);
  CHECK(joined(nine, 19) == fixedOrError(19, 9));
  auto twelve = freeHandicapPoints(19, 19, 12);
  REQUIRE(twelve.size() == 12);
  Board b(19, 19);
  CHECK(checkFreeHandicap(b, twelve).empty());
  for (Loc l : twelve) {
    int x = b.x(l), y = b.y(l);
    CHECK(std::min({x, y, 18 - x, 18 - y}) >= 2);  // Nothing on the first two lines.
  }
  // Capped at a quarter of the board (KataGo's limit).
  CHECK(freeHandicapPoints(5, 5, 9).size() == 6);
  CHECK(freeHandicapPoints(19, 19, 50).size() == 30);
  CHECK_THROWS_AS(freeHandicapPoints(19, 19, 1), std::invalid_argument);

  Board nb(9, 9);
  CHECK(checkFreeHandicap(nb, {parseLoc("C3", nb)}) != "");
  CHECK(checkFreeHandicap(nb, {parseLoc("C3", nb), parseLoc("C3", nb)}).find("repeated") !=
        std::string::npos);
  CHECK(checkFreeHandicap(nb, {parseLoc("C3", nb), kPassLoc}) != "");
  CHECK(checkFreeHandicap(nb, {parseLoc("C3", nb), parseLoc("G7", nb)}).empty());
  nb.setStone(parseLoc("E5", nb), Color::kWhite);
  CHECK(checkFreeHandicap(nb, {parseLoc("C3", nb), parseLoc("G7", nb)}) == "board is not empty");
}
