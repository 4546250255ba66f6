// Search::setPosition(state, hidePreRootHistory): the net is not shown the
// moves before the root (KataGo's ignorePreRootHistory, the analysis
// default), while the search keeps the whole game.

#include <catch2/catch.hpp>

#include "search/search.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

const char* const kOpening[] = {"E5", "C3", "G7", "C6", "F3"};

}  // namespace

TEST_CASE(
    "hidden pre-root history: the root is evaluated without it, below it with what "
    "was played since",
    "[search]") {
  auto eval = fakeEvaluator();
  const GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  Search s(eval, deterministicParams(30));
  s.setPosition(state, true);
  s.run(SearchLimits());
  const auto& rootOut = s.root()->nnOutput();
  REQUIRE(rootOut);
  nn::InputOptions none;
  none.maxHistory = 0;
  const nn::NetOutput hidden = eval->evaluate(state, 0, none);
  const nn::NetOutput shown = eval->evaluate(state, 0);
  CHECK(rootOut->whiteWin == Approx(hidden.whiteWin));
  CHECK(rootOut->policy == hidden.policy);
  CHECK(rootOut->policy != shown.policy);

  // A child was evaluated seeing one move: its own.
  const Node* child = nullptr;
  for (int i = 0; i < s.root()->numEdges() && !child; ++i) child = s.root()->edge(i).node.load();
  REQUIRE(child);
  REQUIRE(child->nnOutput());
  GameState next = state;
  REQUIRE(next.play(child->move(), next.toMove()));
  nn::InputOptions one;
  one.maxHistory = 1;
  CHECK(child->nnOutput()->policy == eval->evaluate(next, 0, one).policy);
  CHECK(child->nnOutput()->policy != eval->evaluate(next, 0).policy);

  // Without hiding, the root sees the game.
  Search full(eval, deterministicParams(30));
  full.setPosition(state);
  full.run(SearchLimits());
  CHECK(full.root()->nnOutput()->policy == shown.policy);
}

TEST_CASE("hidden pre-root history: a pass before the root still ends the game", "[search]") {
  // Empty 2x2 board, white passed: black passing ends the game and white
  // wins by komi, whether or not the net is shown white's pass.
  GameState state(Board(2, 2), Color::kWhite, Rules::trompTaylor());
  state.setKomi(7.0f);
  REQUIRE(state.play(kPassLoc, Color::kWhite));
  SearchParams p = deterministicParams(200);
  p.conservativePass = false;  // scored as the board stands
  Search s(fakeEvaluator(), p);
  s.setPosition(state, true);
  s.run(SearchLimits());
  bool sawPass = false;
  for (const MoveInfo& m : collectResult(s, false).moves) {
    if (m.move != kPassLoc) continue;
    sawPass = true;
    CHECK(m.winrate == Approx(0.0));
    CHECK(m.scoreLead == Approx(-7.0));
  }
  CHECK(sawPass);
}

TEST_CASE("hidden pre-root history: only the same root is reused", "[search]") {
  const GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 2);
  Search s(fakeEvaluator(), deterministicParams(100));
  s.setPosition(state, true);
  s.run(SearchLimits());
  const Loc best = bestMove(s);
  s.setPosition(state, true);
  CHECK(s.root()->visits() == 100);
  // Below the old root the net saw moves the new root hides: start afresh.
  GameState next = state;
  REQUIRE(next.play(best, next.toMove()));
  s.setPosition(next, true);
  CHECK(s.root()->visits() == 0);
  // Switching between hiding and showing starts afresh too.
  s.run(SearchLimits());
  s.setPosition(next, false);
  CHECK(s.root()->visits() == 0);
}
