#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "search/game_values.h"
#include "search/mcts_player.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

const char* const kMoves[] = {"E5", "C3", "G7", "C6", "F3", "pass", "D4", "pass"};

GameState after(int n) {
  return stateFromMoves(9, Rules::trompTaylor(), kMoves, n);
}

}  // namespace

TEST_CASE("searchFactorWhenWinning: KataGo's ramp over the last three searches", "[search]") {
  const SearchParams p;  // KataGo's defaults: factor 0.4, threshold 0.95
  REQUIRE(p.searchFactorWhenWinning == 0.4);
  REQUIRE(p.searchFactorWhenWinningThreshold == 0.95);
  // Fewer than three searches: no judgement.
  CHECK(winningSearchFactor({0.99, 0.99}, Color::kWhite, p) == 1.0);
  // The least winning of the last three sets the factor, linear from 1 at
  // the threshold to 0.4 at a certain win.
  CHECK(winningSearchFactor({-1.0, 0.99, 1.0, 0.98}, Color::kWhite, p) ==
        Approx(1.0 - 0.6 * 0.03 / 0.05));
  CHECK(winningSearchFactor({1.0, 1.0, 1.0}, Color::kWhite, p) == Approx(0.4));
  // Values are white's view: the same ones are a loss for black.
  CHECK(winningSearchFactor({1.0, 1.0, 1.0}, Color::kBlack, p) == 1.0);
  CHECK(winningSearchFactor({-0.97, -0.99, -0.96}, Color::kBlack, p) ==
        Approx(1.0 - 0.6 * 0.01 / 0.05));
  // A winrate of 95% (win-loss 0.9) is not yet clearly won.
  CHECK(winningSearchFactor({0.9, 0.9, 0.9}, Color::kWhite, p) == 1.0);
  CHECK(winningSearchFactor({0.99, 0.94, 0.99}, Color::kWhite, p) == 1.0);
}

TEST_CASE("searchFactorAfterOnePass and ...TwoPass follow the opponent's passes", "[search]") {
  const SearchParams p;
  CHECK(passSearchFactor(after(5), p) == 1.0);
  CHECK(passSearchFactor(after(6), p) == p.searchFactorAfterOnePass);  // the opponent passed
  CHECK(passSearchFactor(after(7), p) == 1.0);
  // It passed again, on its next turn.
  CHECK(passSearchFactor(after(8), p) == p.searchFactorAfterTwoPass);
}

TEST_CASE("resignation needs resignConsecTurns searches below the threshold", "[search]") {
  SearchParams p;
  p.resignThreshold = -0.9;
  p.resignConsecTurns = 3;
  CHECK_FALSE(lostForTurns({-0.95, -0.95}, Color::kWhite, p));
  CHECK(lostForTurns({0.5, -0.95, -0.92, -0.99}, Color::kWhite, p));
  CHECK_FALSE(lostForTurns({-0.95, -0.85, -0.99}, Color::kWhite, p));
  CHECK_FALSE(lostForTurns({-0.95, -0.95, -0.99}, Color::kBlack, p));  // black is winning
  CHECK(lostForTurns({0.95, 0.95, 0.99}, Color::kBlack, p));
}

TEST_CASE("a player's game values last as long as its game", "[search]") {
  GameValues v;
  v.record(after(2), 0.1);
  v.record(after(4), 0.2);
  v.follow(after(6));  // the same game, moves on
  CHECK(v.values() == std::vector<double>{0.1, 0.2});
  v.record(after(6), 2.0);  // clamped to a certain win
  CHECK(v.values() == std::vector<double>{0.1, 0.2, 1.0});
  v.follow(after(3));  // undone past the last search
  CHECK(v.values().empty());
  v.record(after(4), 0.3);
  v.follow(GameState(Board(9, 9), Color::kBlack, Rules::trompTaylor()));  // a new game
  CHECK(v.values().empty());
}

TEST_CASE("genmove searches less once its last three searches beat the threshold", "[search]") {
  SearchParams p = deterministicParams(200);
  p.searchFactorWhenWinningThreshold = 0;  // for white: its last three values are above 0
  p.enablePassingHacks = false;            // the fake net's values these turns rely on
  MctsPlayer player(fakeEvaluator());
  GameState state = after(0);
  std::vector<int64_t> playouts;
  std::vector<double> whiteValues;
  for (int turn = 0; turn < 8; ++turn) {
    player.clearCache();  // a fresh tree: the budget alone sets the playouts
    const Decision d = player.genmove(state, p, 1e9);
    playouts.push_back(d.stats.playouts);
    const double winrate = collectResult(player.search(), false, 1, 1).root.winrate;
    whiteValues.push_back((state.toMove() == Color::kWhite ? 1 : -1) * (2 * winrate - 1));
    REQUIRE(state.play(d.move, state.toMove()));
  }
  int reduced = 0;
  for (int turn = 0; turn < 8; ++turn) {
    const std::vector<double> before(whiteValues.begin(), whiteValues.begin() + turn);
    const Color pla = turn % 2 ? Color::kWhite : Color::kBlack;
    const double factor = winningSearchFactor(before, pla, p);
    INFO("turn " << turn << " factor " << factor);
    CHECK(playouts[turn] == static_cast<int64_t>(std::ceil(200 * factor)));
    reduced += factor < 1;
  }
  CHECK(reduced > 0);
  // A new game forgets them.
  player.clearCache();
  CHECK(player.genmove(after(0), p, 1e9).stats.playouts == 200);
}
