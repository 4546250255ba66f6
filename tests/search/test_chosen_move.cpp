// chosenMoveTemperature*: the decay of the temperature over a game, and
// sampling root moves by visits^(1/T) (tests over the weightless fake net).

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "search/mcts_player.h"
#include "search/search.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

TEST_CASE("chosen move: the temperature halves every halflife, scaled by board side",
          "[search][chosen_move]") {
  SearchParams p;
  p.chosenMoveTemperatureEarly = 0.8;
  p.chosenMoveTemperature = 0.2;
  p.chosenMoveTemperatureHalflife = 19;
  CHECK(chosenMoveTemperature(p, 0, 361) == Approx(0.8));
  CHECK(chosenMoveTemperature(p, 19, 361) == Approx(0.5));
  CHECK(chosenMoveTemperature(p, 38, 361) == Approx(0.35));
  // 9x9: a halflife of 19 * 9 / 19 = 9 moves (KataGo scales by the side,
  // sqrt(area) / 19, not by the area).
  CHECK(chosenMoveTemperature(p, 0, 81) == Approx(0.8));
  CHECK(chosenMoveTemperature(p, 9, 81) == Approx(0.5));
  CHECK(chosenMoveTemperature(p, 8, 81) == Approx(0.2 + 0.6 * std::pow(0.5, 8 / 9.0)));
  CHECK(chosenMoveTemperature(p, 1000, 81) == Approx(0.2));
  CHECK(chosenMoveTemperature(SearchParams(), 0, 361) == 0.0);
}

TEST_CASE("chosen move: drawn by visits^(1/T), the most visited at T 0", "[search][chosen_move]") {
  GameState state(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  SearchParams p = deterministicParams(400);
  // The plain rule; with LCB the best-bound move's share is lifted
  // (test_play_selection.cpp).
  p.useLcbForSelection = false;
  Search s(fakeEvaluator(), p);
  s.setPosition(state);
  s.run(SearchLimits());
  const SearchResult r = collectResult(s, false);
  REQUIRE(r.moves.size() >= 2);
  const Loc best = bestMove(s);
  CHECK(sampleChosenMove(s, 0, 0.999) == best);
  // T 1: each move's share of the draws is its share of the play selection
  // values: the edges' weights (the visits less what noise pruning took),
  // each but the heaviest's less what exploration forced on it. Walking u
  // over [0, 1) in even steps gives each move exactly its share (to a step).
  std::map<Loc, int> drawn;
  const int steps = 4000;
  for (int i = 0; i < steps; ++i) ++drawn[sampleChosenMove(s, 1.0, (i + 0.5) / steps)];
  double total = 0;
  int reduced = 0;
  for (const MoveInfo& m : r.moves) total += m.playSelectionValue;
  for (const MoveInfo& m : r.moves) {
    INFO("move visits " << m.visits << " weight " << m.edgeWeight << " value "
                        << m.playSelectionValue << " of " << total);
    CHECK(m.edgeWeight <= double(m.edgeVisits) + 1e-9);
    CHECK(m.playSelectionValue <= std::ceil(m.edgeWeight));
    reduced += m.playSelectionValue < m.edgeWeight - 1;
    CHECK(drawn[m.move] == Approx(double(steps) * m.playSelectionValue / total).margin(1.5));
  }
  CHECK(reduced > 0);
  // T 0.05: shares go as value^20, so the first move takes nearly all.
  double mass = 0;
  for (const MoveInfo& m : r.moves)
    mass += std::pow(m.playSelectionValue / r.moves[0].playSelectionValue, 20.0);
  int bestCount = 0;
  for (int i = 0; i < steps; ++i) bestCount += sampleChosenMove(s, 0.05, (i + 0.5) / steps) == best;
  CHECK(bestCount == Approx(steps / mass).margin(1.5));
  CHECK(bestCount > steps * 0.9);
}

TEST_CASE("chosen move: genmove with a temperature varies the opening, seeded repeatably",
          "[search][chosen_move]") {
  GameState state(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  SearchParams p = deterministicParams(200);
  auto firstMoves = [&](double early, uint64_t seed) {
    p.chosenMoveTemperatureEarly = early;
    p.seed = seed;
    std::set<Loc> moves;
    std::vector<Loc> order;
    for (int game = 0; game < 12; ++game) {
      MctsPlayer player(fakeEvaluator());
      const Loc m = player.genmove(state, p, 1e9, nullptr, 1.0).move;
      moves.insert(m);
      order.push_back(m);
      p.seed += 1;
    }
    return std::make_pair(moves.size(), order);
  };
  CHECK(firstMoves(0, 1).first == 1);  // no temperature: the same move every time
  const auto warm = firstMoves(2.0, 1);
  CHECK(warm.first >= 3);
  CHECK(firstMoves(2.0, 1).second == warm.second);  // same seeds, same choices
}
