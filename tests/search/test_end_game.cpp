#include <catch2/catch.hpp>

#include "search/end_game.h"

using namespace hoshi;
using namespace hoshi::search;

namespace {

// Black wall on column B, white wall on column D, a lone white stone at A5
// inside black's side; column C is dame.
const char* kRows =
    "OX.O.\n"
    ".X.O.\n"
    ".X.O.\n"
    ".X.O.\n"
    ".X.O.\n";

// What a net would say: columns A-B black's, C shared, D-E white's.
std::vector<float> handOwnership(float sekiValue = 0.0f) {
  std::vector<float> own(25);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) own[y * 5 + x] = x <= 1 ? -0.9f : (x == 2 ? sekiValue : 0.9f);
  return own;
}

}  // namespace

TEST_CASE("chains are judged by their average ownership", "[endgame]") {
  Board b = Board::parse(5, 5, kRows);
  auto status = stoneStatuses(b, handOwnership());
  CHECK(status[0] == StoneStatus::kDead);   // A5, white in black's area
  CHECK(status[1] == StoneStatus::kAlive);  // B5, black wall
  CHECK(status[3] == StoneStatus::kAlive);  // D5, white wall
  CHECK(status[2] == StoneStatus::kAlive);  // C5, empty
  // A chain on points nobody owns is in seki.
  Board seki = Board::parse(5, 5, "..X..\n..X..\n.....\n.....\n.....\n");
  auto s2 = stoneStatuses(seki, handOwnership(0.1f));
  CHECK(s2[2] == StoneStatus::kSeki);
  CHECK(s2[7] == StoneStatus::kSeki);
}

TEST_CASE("score with the dead stones removed, area and territory", "[endgame]") {
  Board b = Board::parse(5, 5, kRows);
  Rules area = Rules::parse("chinese");
  area.komi = 0.5f;
  GameState s(b, Color::kBlack, area);
  auto status = stoneStatuses(b, handOwnership());
  // Area: black 5 stones + 5 (column A, the dead stone removed); white 5 + 5.
  CHECK(scoreWithDeadRemoved(s, status) == Approx(0.5));
  // Everything alive: column A is dame and the A5 stone counts for white.
  std::vector<StoneStatus> allAlive(25, StoneStatus::kAlive);
  CHECK(scoreWithDeadRemoved(s, allAlive) == Approx(6.5));

  Rules territory = Rules::parse("japanese");
  territory.komi = 0.5f;
  GameState t(b, Color::kBlack, territory);
  // Territory: white 5 (column E); black 5 (column A) + 1 prisoner.
  CHECK(scoreWithDeadRemoved(t, status) == Approx(-0.5));
}
