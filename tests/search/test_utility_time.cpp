#include <catch2/catch.hpp>

#include <cmath>

#include "search/nn_cache.h"
#include "search/time_manager.h"
#include "search/utility.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;

TEST_CASE("score value saturates like arctan and averages over the score spread", "[utility]") {
  CHECK(scoreValue(0, 0, 0, 1, 361) == Approx(0.0).margin(1e-12));
  // Without spread it is 2/pi atan(score / (scale sqrt(area))).
  CHECK(scoreValue(19, 0, 0, 1, 361) == Approx(0.5));  // atan(1) = pi/4
  CHECK(scoreValue(-19, 0, 0, 1, 361) == Approx(-0.5));
  CHECK(scoreValue(9.5, 0, -9.5, 1, 361) == Approx(0.5));  // centred
  // With spread: compare with a brute-force integral over the normal density.
  const double mean = 6, sd = 8, width = 0.75 * 19;
  double sum = 0, norm = 0;
  for (double z = -8; z <= 8; z += 0.001) {
    const double w = std::exp(-0.5 * z * z);
    sum += w * std::atan((mean + sd * z) / width);
    norm += w;
  }
  CHECK(scoreValue(mean, sd, 0, 0.75, 361) == Approx(2 / M_PI * sum / norm).epsilon(2e-3));
}

TEST_CASE("utility of a finished game follows the winner and the score", "[utility]") {
  SearchParams p;
  GameState s(Board(2, 2), Color::kWhite, Rules::trompTaylor());
  s.setKomi(7.0f);
  REQUIRE(s.play(kPassLoc, Color::kWhite));
  REQUIRE(s.play(kPassLoc, Color::kBlack));
  REQUIRE(s.isGameFinished());
  Utility u(p, 4, 0.0);
  Sample smp = u.fromFinishedGame(s);
  CHECK(smp.winLoss == 1.0);
  CHECK(smp.lead == Approx(7.0));
  const double expected =
      1.0 + 0.1 * 2 / M_PI * std::atan(7.0 / 2.0) + 0.3 * 2 / M_PI * std::atan(7.0 / (0.75 * 2.0));
  CHECK(smp.utility == Approx(expected));
}

TEST_CASE("time budget per clock kind", "[time]") {
  GameState empty19(Board(19, 19), Color::kBlack, Rules::trompTaylor());
  // 19x19 at move 0: 0.5 * 0.75 * 361 = 135.375 own moves expected.
  CHECK(expectedOwnMovesLeft(empty19) == Approx(135.375));
  MoveClock none;
  CHECK(moveTimeBudget(none, empty19, 1.0) > 1e10);

  MoveClock absolute;
  absolute.kind = MoveClock::Kind::kAbsolute;
  absolute.mainTime = 1354;
  CHECK(moveTimeBudget(absolute, empty19, 1.0) == Approx(1354 / 135.375));
  absolute.secondsLeft = 20.0;
  CHECK(moveTimeBudget(absolute, empty19, 1.0) == Approx(20.0 / 135.375));
  absolute.secondsLeft = 0.5;
  CHECK(moveTimeBudget(absolute, empty19, 1.0) == Approx(0.05));  // the floor

  MoveClock byo;
  byo.kind = MoveClock::Kind::kByoYomi;
  byo.mainTime = 0;
  byo.periodTime = 30;
  byo.periods = 5;
  byo.secondsLeft = 30;
  byo.stonesLeft = 5;  // in byo-yomi, 5 periods left
  CHECK(moveTimeBudget(byo, empty19, 1.0) == Approx(24.0));

  MoveClock canadian;
  canadian.kind = MoveClock::Kind::kCanadian;
  canadian.mainTime = 0;
  canadian.periodTime = 300;
  canadian.periodStones = 25;
  canadian.secondsLeft = 100;
  canadian.stonesLeft = 10;
  CHECK(moveTimeBudget(canadian, empty19, 1.0) == Approx(10.0));

  // Fischer (kata-time_settings): an even share plus most of the increment,
  // never past the clock, and fischer-capped's max time per move.
  MoveClock fischer;
  fischer.kind = MoveClock::Kind::kFischer;
  fischer.mainTime = 1354;
  fischer.increment = 10;
  CHECK(moveTimeBudget(fischer, empty19, 1.0) == Approx(1354 / 135.375 + 8.0));
  fischer.secondsLeft = 5;
  CHECK(moveTimeBudget(fischer, empty19, 1.0) == Approx(4.0));  // 5 s left, 1 s lag
  fischer.secondsLeft = 600;
  fischer.maxTimePerMove = 3;
  CHECK(moveTimeBudget(fischer, empty19, 1.0) == Approx(2.0));
}

TEST_CASE("the network cache keys on what the net sees", "[cache]") {
  GameState a(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  GameState b = a;
  b.setKomi(6.5f);
  const Hash128 ka = nnCacheKey(a, rulesCacheKey(a));
  CHECK(ka == nnCacheKey(a, rulesCacheKey(a)));
  CHECK(ka != nnCacheKey(b, rulesCacheKey(b)));
  GameState c = a;
  REQUIRE(c.play(c.board().loc(4, 4), Color::kBlack));
  CHECK(ka != nnCacheKey(c, rulesCacheKey(c)));

  NnCache cache(4);
  auto out = std::make_shared<nn::NetOutput>();
  out->whiteWin = 0.25f;
  cache.insert(ka, out);
  REQUIRE(cache.find(ka) != nullptr);
  CHECK(cache.find(ka)->whiteWin == 0.25f);
  CHECK(cache.find(nnCacheKey(c, rulesCacheKey(c))) == nullptr);
  NnCache off(0);
  off.insert(ka, out);
  CHECK(off.find(ka) == nullptr);
}
