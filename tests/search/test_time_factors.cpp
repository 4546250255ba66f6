#include <catch2/catch.hpp>

#include <cmath>

#include "config/options.h"
#include "search/engine.h"
#include "search/mcts_player.h"
#include "search/time_factors.h"
#include "search/time_manager.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

TEST_CASE("midgameTimeFactor peaks at midgameTurnPeakTime, scaled by board area", "[search]") {
  SearchParams p;
  CHECK(midgameTimeMultiplier(p, 65, 361) == 1.0);  // factor 1: off
  p.midgameTimeFactor = 2.0;
  CHECK(midgameTimeMultiplier(p, 0, 361) == 1.0);
  CHECK(midgameTimeMultiplier(p, 65, 361) == Approx(1.5));
  CHECK(midgameTimeMultiplier(p, 130, 361) == Approx(2.0));
  CHECK(midgameTimeMultiplier(p, 230, 361) == Approx(1.0 + std::exp(-1.0)));
  // 9x9: the peak is at 130 * 81 / 361 = 29.2 turns.
  CHECK(midgameTimeMultiplier(p, 29, 81) == Approx(1.0 + 29 / (130.0 * 81 / 361)));
  // The clock's share grows with it, but never past what the clock holds.
  MoveClock clock;
  clock.kind = MoveClock::Kind::kAbsolute;
  clock.mainTime = 100;
  clock.secondsLeft = 100;
  GameState state(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  const double plain = moveTimeBudget(clock, state, 1.0);
  CHECK(moveTimeBudget(clock, state, 1.0, 2.0) == Approx(2 * plain));
  CHECK(moveTimeBudget(clock, state, 1.0, 1000.0) == Approx(99.0));
}

TEST_CASE("obviousness: policy entropy and the search's surprise", "[search]") {
  Node root(kNullLoc, Color::kEmpty);
  Board b(9, 9);
  std::atomic<int64_t> nodes{0};
  root.expand({{b.loc(4, 4), 0.9f}, {b.loc(2, 2), 0.1f}}, nullptr);
  auto visit = [&](int i, int n) {
    Node* c = root.childAt(i, Color::kBlack, nodes);
    for (int k = 0; k < n; ++k) c->addSample(Sample());
  };
  visit(0, 90);
  visit(1, 10);
  SearchParams p;
  p.useLcbForSelection = false;  // play selection values = visits, for exact figures
  PolicySurprise s = policySurprise(root, Color::kBlack, p);
  REQUIRE(s.valid);
  CHECK(s.surprise == Approx(0.0).margin(1e-6));  // the search agrees with the policy
  const double entropy = -(0.9 * std::log(0.9) + 0.1 * std::log(0.1));
  CHECK(s.policyEntropy == Approx(entropy).epsilon(1e-5));
  CHECK(obviousMoveMultiplier(p, s) == 1.0);  // factor 1: off
  p.obviousMovesTimeFactor = 0.5;
  const double w = std::exp(-entropy / 0.30);
  CHECK(obviousMoveMultiplier(p, s) == Approx(1.0 - 0.5 * w).epsilon(1e-5));
  // The search preferring the policy's second choice is a surprise.
  visit(1, 200);
  s = policySurprise(root, Color::kBlack, p);
  const double t0 = 90.0 / 300, t1 = 210.0 / 300;
  CHECK(s.surprise == Approx(t0 * std::log(t0 / 0.9) + t1 * std::log(t1 / 0.1)).epsilon(1e-5));
  CHECK(obviousMoveMultiplier(p, s) > 0.99);
}

TEST_CASE("genmove with obviousMovesTimeFactor stays within the clock's budget", "[search]") {
  const char* const opening[] = {"E5", "C3"};
  GameState state = stateFromMoves(9, Rules::trompTaylor(), opening, 2);
  SearchParams p = deterministicParams(1000000);
  p.obviousMovesTimeFactor = 0.2;
  MctsPlayer player(fakeEvaluator());
  const Decision d = player.genmove(state, p, 0.4);
  CHECK(d.stats.seconds >= 0.4 * 0.2 * 0.9);
  CHECK(d.stats.seconds <= 0.4 + 0.25);
  CHECK(d.stats.playouts > 0);
  CHECK(state.isLegal(d.move, state.toMove()));
}

TEST_CASE("the engine's move budget applies midgameTimeFactor, for genmove and its kin alike",
          "[search]") {
  auto engineWith = [&](const char* factor) {
    config::OptionSet options(searchOptions());
    options.set("defaultBoardSize", "9", "test");
    options.set("lagBuffer", "0", "test");
    options.set("midgameTimeFactor", factor, "test");
    auto e = std::make_unique<Engine>(options.params());
    TimeControls tc;
    tc.kind = TimeControls::Kind::kAbsolute;
    tc.mainTime = 600;
    e->setTimeControls(tc);
    return e;
  };
  auto plain = engineWith("1");
  auto scaled = engineWith("2");
  const char* const moves[] = {"E5", "C3", "G7", "C7", "G3", "E3", "E7", "C5", "G5", "D4"};
  Color c = Color::kBlack;
  for (const char* m : moves) {
    const Loc l = parseLoc(m, plain->board());
    plain->play(c, l);
    scaled->play(c, l);
    c = opponent(c);
  }
  const GameState& s = plain->state();
  const double base = plain->moveBudget(c, s);
  REQUIRE(base > 0);
  REQUIRE(base < 600);
  SearchParams p = searchParamsFrom(scaled->params());
  const double m = midgameTimeMultiplier(p, 10, 81);
  REQUIRE(m > 1.2);
  CHECK(scaled->moveBudget(c, s) == Approx(base * m));
}
