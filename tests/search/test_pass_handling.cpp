// KataGo's pass handling at the end of a game (its GTP defaults):
// conservativePass searches on behind a root pass that would end the game,
// a friendly pass (friendlyPassOk rules) is searched on at any depth, and
// the net is told of both.

#include <catch2/catch.hpp>

#include "search/search.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

// The root's child behind a pass (null if the pass was never visited).
const Node* passChild(const Search& s) {
  const Node* root = s.root();
  for (int i = 0; i < root->numEdges(); ++i)
    if (root->edge(i).move == kPassLoc) return root->edge(i).node.load();
  return nullptr;
}

// An empty 3x3 board after white's pass: black passing would end the game.
GameState afterWhitePass(const char* rules) {
  GameState state(Board(3, 3), Color::kWhite, Rules::parse(rules));
  state.setKomi(7.0f);
  REQUIRE(state.play(kPassLoc, Color::kWhite));
  REQUIRE(state.passWouldEndGame(Color::kBlack));
  return state;
}

}  // namespace

TEST_CASE("conservativePass: a root pass that would end the game is searched on", "[search]") {
  const GameState state = afterWhitePass("tromp-taylor");
  for (bool conservative : {false, true}) {
    SearchParams p = deterministicParams(300);
    p.conservativePass = conservative;
    Search s(fakeEvaluator(), p);
    s.setPosition(state);
    s.run(SearchLimits());
    const Node* pass = passChild(s);
    REQUIRE(pass);
    INFO("conservativePass " << conservative);
    // Scored as the board stands (white by komi), or judged by the net with
    // the game going on behind it.
    CHECK(pass->isTerminal() == !conservative);
    if (conservative) CHECK(pass->numEdges() > 0);
  }
}

TEST_CASE("conservativePass: a tree is not reused where a root pass would end the game",
          "[search]") {
  GameState state(Board(3, 3), Color::kWhite, Rules::parse("tromp-taylor"));
  Search s(fakeEvaluator(), deterministicParams(300));
  s.setPosition(state);
  s.run(SearchLimits());
  REQUIRE(passChild(s));
  // White passes: below the old root, black's pass after it was scored.
  GameState next = state;
  REQUIRE(next.play(kPassLoc, Color::kWhite));
  s.setPosition(next);
  CHECK(s.root()->visits() == 0);
}

TEST_CASE("a friendly pass is searched on at any depth, a third pass ends the game", "[search]") {
  // Chinese rules allow a friendly pass: black's pass answering white's does
  // not end the game in the search, even with conservativePass off; under
  // Tromp-Taylor it does.
  for (const char* rules : {"chinese", "tromp-taylor"}) {
    SearchParams p = deterministicParams(3000);
    p.conservativePass = false;
    Search s(fakeEvaluator("uniform"), p);  // every move tried in time, passes too
    s.setPosition(afterWhitePass(rules));
    s.run(SearchLimits());
    const Node* pass = passChild(s);
    REQUIRE(pass);
    const bool friendly = std::string(rules) == "chinese";
    INFO(rules);
    CHECK(pass->isTerminal() == !friendly);
    if (!friendly) continue;
    REQUIRE(pass->numEdges() > 0);

    // White's pass after it is the third: that one ends the game.
    const Node* third = nullptr;
    for (int i = 0; i < pass->numEdges(); ++i)
      if (pass->edge(i).move == kPassLoc) third = pass->edge(i).node.load();
    REQUIRE(third);
    CHECK(third->isTerminal());
  }
}
