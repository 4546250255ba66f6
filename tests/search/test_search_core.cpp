#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "search/mcts_player.h"
#include "search/search.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

const char* const kOpening[] = {"E5", "C3", "G7", "C6", "F3"};

// Pinned by running the deterministic mode once (see the signature test).
constexpr int64_t kSignatureNodes = 1000;
constexpr const char* kSignatureMove = "J5";
// 830805790 since the passing hacks (enablePassingHacks), which change the
// fake net's view where a pass would end the game; 255918791 before.
constexpr int64_t kSignatureChecksum = 830805790;

// Folds the root's visit distribution into one number.
int64_t visitChecksum(const SearchResult& r) {
  int64_t sum = 0;
  for (const MoveInfo& m : r.moves) sum = (sum * 31 + m.visits * 1000 + m.move) % 1000000007;
  return sum;
}

}  // namespace

TEST_CASE("deterministic mode reproduces the same tree and move", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  auto run = [&] {
    Search s(fakeEvaluator(), deterministicParams(300));
    s.setPosition(state);
    SearchStats st = s.run(SearchLimits());
    return std::make_tuple(st.nodes, st.rootVisits, bestMove(s),
                           collectResult(s, false).root.utility);
  };
  auto a = run();
  auto b = run();
  CHECK(std::get<0>(a) == std::get<0>(b));
  CHECK(std::get<1>(a) == 300);
  CHECK(std::get<2>(a) == std::get<2>(b));
  CHECK(std::get<3>(a) == std::get<3>(b));
}

// The signature: node count and move of the deterministic mode on a fixed
// position with the fake "random" net. Any change to selection, expansion,
// utility or backup moves it; update it only for an intended change. It runs
// the defaults, KataGo's refinements included (value weighting, noise pruning,
// subtree bias, FPU by visited policy, utility-stdev exploration). The
// search is a graph (useGraphSearch, the default), but with this net no two
// move orders meet within these 1000 visits (nodes == visits), so this is the
// tree's signature too; test_graph_search.cpp pins one where they meet.
TEST_CASE("deterministic node-count signature", "[search][signature]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  Search s(fakeEvaluator(), deterministicParams(1000));
  s.setPosition(state);
  SearchStats st = s.run(SearchLimits());
  CHECK(s.root()->inGraph());
  const int64_t checksum = visitChecksum(collectResult(s, false));
  INFO("nodes " << st.nodes << " best " << locToString(bestMove(s), state.board()) << " checksum "
                << checksum);
  CHECK(st.rootVisits == 1000);
  CHECK(st.playouts == 1000);
  CHECK(st.nodes == kSignatureNodes);
  CHECK(locToString(bestMove(s), state.board()) == kSignatureMove);
  CHECK(checksum == kSignatureChecksum);
}

TEST_CASE("visit and playout limits are exact with one thread", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 3);
  Search s(fakeEvaluator(), deterministicParams(77));
  s.setPosition(state);
  SearchStats st = s.run(SearchLimits());
  CHECK(st.rootVisits == 77);
  CHECK(st.playouts == 77);
  SearchLimits playouts;
  playouts.maxVisits = 1000;
  playouts.maxPlayouts = 20;
  s.clearTree();
  s.setPosition(state);
  st = s.run(playouts);
  CHECK(st.playouts == 20);
  // Child visits add up to the root's minus the root's own evaluation.
  SearchResult r = collectResult(s, false);
  int64_t sum = 0;
  for (const MoveInfo& m : r.moves) sum += m.visits;
  CHECK(sum == r.root.visits - 1);
}

TEST_CASE("the tree is reused after the moves that were searched", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 2);
  Search s(fakeEvaluator(), deterministicParams(400));
  s.setPosition(state);
  s.run(SearchLimits());
  SearchResult r = collectResult(s, false);
  REQUIRE(r.moves.size() >= 1);
  const MoveInfo best = r.moves[0];
  REQUIRE(best.pv.size() >= 2);
  // Play the best move and the reply the tree expects: that grandchild's
  // visits become the new root's.
  GameState next = state;
  REQUIRE(next.play(best.pv[0], next.toMove()));
  REQUIRE(next.play(best.pv[1], next.toMove()));
  s.setPosition(next);
  REQUIRE(s.root() != nullptr);
  CHECK(s.root()->visits() > 0);
  CHECK(s.root()->move() == best.pv[1]);
  // A position that does not continue the game starts afresh.
  s.setPosition(stateFromMoves(9, Rules::trompTaylor(), kOpening, 1));
  CHECK(s.root()->visits() == 0);
}

TEST_CASE("a reused root is evaluated again as the root: a fresh root's priors, its subtree kept",
          "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 2);
  SearchParams p = deterministicParams(400);
  p.rootPolicyTemperature = 2.0;  // root priors differ from an inner node's
  Search s(fakeEvaluator(), p);
  s.setPosition(state);
  s.run(SearchLimits());
  GameState next = state;
  REQUIRE(next.play(bestMove(s), next.toMove()));
  s.setPosition(next);
  const int64_t reused = s.root()->visits();
  REQUIRE(reused > 20);
  std::map<Loc, std::pair<float, const Node*>> before;
  for (int i = 0; i < s.root()->numEdges(); ++i) {
    const Edge& e = s.root()->edge(i);
    before[e.move] = {e.prior, e.node.load()};
  }
  // The same position searched from scratch: its root's priors.
  Search fresh(fakeEvaluator(), p);
  fresh.setPosition(next);
  SearchLimits one;
  one.maxPlayouts = 1;
  fresh.run(one);
  std::map<Loc, float> rootPriors;
  for (int i = 0; i < fresh.root()->numEdges(); ++i)
    rootPriors[fresh.root()->edge(i).move] = fresh.root()->edge(i).prior;
  REQUIRE(rootPriors.size() == before.size());
  int differed = 0;
  for (const auto& [move, old] : before) differed += std::abs(old.first - rootPriors[move]) > 1e-3;
  REQUIRE(differed > 0);

  s.run(one);
  CHECK(s.root()->visits() == reused + 1);
  REQUIRE(s.root()->numEdges() == static_cast<int>(before.size()));
  float last = 2;
  for (int i = 0; i < s.root()->numEdges(); ++i) {
    const Edge& e = s.root()->edge(i);
    INFO(locToString(e.move, next.board()));
    CHECK(e.prior == Approx(rootPriors[e.move]));
    CHECK(e.prior <= last);  // still highest prior first
    last = e.prior;
    // Each visited child is still behind its move.
    const Node* child = e.node.load();
    if (before[e.move].second) CHECK(child == before[e.move].second);
  }
}

TEST_CASE("a filter kept across moves bans its moves at the new root too", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 2);
  Search s(fakeEvaluator(), deterministicParams(400));
  // Black may not play the 3-3 points, at the root only (untilDepth 1).
  MoveFilter filter;
  MoveRule avoid;
  avoid.player = Color::kBlack;
  for (const char* m : {"C3", "G3", "C7", "G7"}) avoid.moves.push_back(parseLoc(m, state.board()));
  avoid.moves.erase(std::remove_if(avoid.moves.begin(), avoid.moves.end(),
                                   [&](Loc l) { return !state.isLegal(l, Color::kBlack); }),
                    avoid.moves.end());
  REQUIRE(!avoid.moves.empty());
  filter.rules.push_back(avoid);
  s.setMoveFilter(filter);
  s.setPosition(state);
  s.run(SearchLimits());
  const SearchResult r = collectResult(s, false);
  REQUIRE(r.moves.size() >= 1);
  REQUIRE(r.moves[0].pv.size() >= 2);
  // Two plies on, black is at the root again; deeper down the old tree the
  // filter did not apply, so a reused root would offer the banned moves.
  GameState next = state;
  REQUIRE(next.play(r.moves[0].pv[0], next.toMove()));
  REQUIRE(next.play(r.moves[0].pv[1], next.toMove()));
  s.setMoveFilter(filter);
  s.setPosition(next);
  s.run(SearchLimits());
  REQUIRE(s.root()->numEdges() > 0);
  for (int i = 0; i < s.root()->numEdges(); ++i) {
    const Loc l = s.root()->edge(i).move;
    INFO(locToString(l, next.board()));
    CHECK(std::find(avoid.moves.begin(), avoid.moves.end(), l) == avoid.moves.end());
  }
}

TEST_CASE("maxVisits counts the visits a reused tree holds, maxPlayouts only new ones",
          "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 2);
  Search s(fakeEvaluator(), deterministicParams(400));
  s.setPosition(state);
  s.run(SearchLimits());
  const Loc best = bestMove(s);
  GameState next = state;
  REQUIRE(next.play(best, next.toMove()));
  s.setPosition(next);
  const int64_t reused = s.root()->visits();
  REQUIRE(reused > 20);
  REQUIRE(reused < 400);
  // Like KataGo's maxVisits: the second search only tops the tree up to 400.
  SearchStats st = s.run(SearchLimits());
  CHECK(st.rootVisits == 400);
  CHECK(st.playouts == 400 - reused);
  // maxPlayouts counts this search's playouts only, whatever the tree holds.
  SearchLimits playouts;
  playouts.maxVisits = 1000000;
  playouts.maxPlayouts = 50;
  st = s.run(playouts);
  CHECK(st.playouts == 50);
  CHECK(st.rootVisits == 450);
}

TEST_CASE("a pass that ends the game is scored by the rules", "[search]") {
  // Empty 2x2 board, white passed: black passing ends the game and white
  // wins by komi under Tromp-Taylor (no stones, no area).
  GameState state(Board(2, 2), Color::kWhite, Rules::trompTaylor());
  state.setKomi(7.0f);
  REQUIRE(state.play(kPassLoc, Color::kWhite));
  GameState after = state;
  REQUIRE(after.play(kPassLoc, Color::kBlack));
  REQUIRE(after.isGameFinished());
  SearchParams p = deterministicParams(200);
  p.conservativePass = false;  // else the root's pass is searched on (below)
  Search s(fakeEvaluator(), p);
  s.setPosition(state);
  s.run(SearchLimits());
  SearchResult r = collectResult(s, false);
  bool sawPass = false;
  for (const MoveInfo& m : r.moves) {
    if (m.move != kPassLoc) continue;
    sawPass = true;
    CHECK(m.winrate == Approx(0.0));
    CHECK(m.scoreLead == Approx(-7.0));
    CHECK(m.scoreStdev == Approx(0.0).margin(1e-6));
  }
  CHECK(sawPass);
  CHECK(bestMove(s) != kPassLoc);
}

TEST_CASE("two threads share batches and respect the visit limit", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  SearchParams p = deterministicParams(400);
  p.numThreads = 2;
  p.maxBatch = 2;
  p.randomizeSymmetry = true;
  Search s(fakeEvaluator("random", 2), p);
  s.setPosition(state);
  SearchStats st = s.run(SearchLimits());
  CHECK(st.rootVisits >= 400);
  CHECK(st.rootVisits <= 402);  // at most one playout in flight per other thread
  CHECK(st.eval.evaluations + st.eval.cacheHits >= st.playouts - 2);
  CHECK(st.eval.batches <= st.eval.evaluations);
}

TEST_CASE("virtual losses spread parallel threads over the tree (b6c96)", "[search]") {
  // A virtual loss must push other threads away from a leaf being evaluated;
  // counted as a win it pulls them onto it and nearly every descent of the
  // other threads collides (two threads then run no faster than one). The
  // real net, so that an evaluation takes long enough for threads to meet.
  const std::string model = testModelPath();
  REQUIRE(!model.empty());  // the shared b6c96 net (or HOSHI_TEST_MODEL)
  nn::EvaluatorOptions eo;
  eo.lanes = 2;
  eo.threadsPastCores = true;  // four threads even on a machine with fewer cores
  auto evaluator = std::shared_ptr<nn::Evaluator>(nn::Evaluator::load(model, eo));
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  SearchParams p = deterministicParams(200);
  p.numThreads = 4;
  p.maxBatch = 4;
  Search s(evaluator, p);
  s.setPosition(state);
  SearchStats st = s.run(SearchLimits());
  CHECK(st.threads == 4);
  CHECK(st.rootVisits >= 200);
  INFO("collisions " << st.collisions << " for " << st.playouts << " playouts");
  CHECK(st.collisions < st.playouts / 2);
}

TEST_CASE("a CPU backend runs no more search threads than cores (b6c96)", "[search]") {
  // Threads past the cores would only wait for a lane (issue 18); the fake
  // backend and an explicit threadsPastCores keep every thread.
  const std::string model = testModelPath();
  REQUIRE(!model.empty());
  nn::EvaluatorOptions eo;
  eo.lanes = 0;
  eo.searchThreads = 64;
  auto evaluator = std::shared_ptr<nn::Evaluator>(nn::Evaluator::load(model, eo));
  const int cores = nn::usableCores();
  CHECK(evaluator->lanes() == std::min(64, cores));
  CHECK(evaluator->usefulSearchThreads(64) == std::min(64, cores));
  CHECK(evaluator->usefulSearchThreads(1) == 1);
  SearchParams p = deterministicParams(40);
  p.numThreads = cores + 3;
  p.maxBatch = 4;
  Search s(evaluator, p);
  s.setPosition(stateFromMoves(9, Rules::trompTaylor(), kOpening, 5));
  SearchStats st = s.run(SearchLimits());
  CHECK(st.threads == cores);
  CHECK(st.rootVisits >= 40);
  CHECK(fakeEvaluator("random", 2)->usefulSearchThreads(cores + 3) == cores + 3);
  eo.threadsPastCores = true;
  auto oversubscribed = nn::Evaluator::load(model, eo);
  CHECK(oversubscribed->usefulSearchThreads(cores + 3) == cores + 3);
}

TEST_CASE("stop() ends an unlimited search from another thread", "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  Search s(fakeEvaluator(), deterministicParams(10));
  s.setPosition(state);
  SearchLimits unlimited;
  unlimited.unlimited = true;
  int calls = 0;
  SearchStats st = s.run(
      unlimited,
      [&](const Search& running) {
        ++calls;
        if (running.root()->visits() >= 50) const_cast<Search&>(running).stop();
      },
      0.01);
  CHECK(calls >= 1);
  CHECK(st.rootVisits >= 50);
}

TEST_CASE("the memory budget stops the tree from growing", "[search]") {
  GameState state = stateFromMoves(19, Rules::trompTaylor(), kOpening, 5);
  SearchParams p = deterministicParams(100000);
  p.maxMemoryMiB = 8;
  p.cacheSizePowerOfTwo = 20;  // would be far over budget: shrunk to fit
  Search s(fakeEvaluator(), p);
  s.setPosition(state);
  SearchStats st = s.run(SearchLimits());
  CHECK(st.stoppedByMemory);
  CHECK(st.rootVisits < 100000);
  CHECK(s.treeBytes() <= size_t(8) << 20);
}

TEST_CASE("resignation needs consecutive lost turns and enough moves", "[search]") {
  SearchParams p = deterministicParams(30);
  p.allowResignation = true;
  p.resignThreshold = 0.999;  // every evaluated position counts as lost
  p.resignConsecTurns = 2;
  MctsPlayer player(fakeEvaluator());
  // Too early in the game: never resign.
  GameState early = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  CHECK_FALSE(player.genmove(early, p, 1e20).resign);
  // 20 stones on the board (more than area / 5 moves).
  GameState late(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  for (int x = 0; x < 9; ++x) {
    REQUIRE(late.play(late.board().loc(x, 1), Color::kBlack));
    REQUIRE(late.play(late.board().loc(x, 7), Color::kWhite));
  }
  REQUIRE(late.play(late.board().loc(4, 4), Color::kBlack));
  REQUIRE(late.play(late.board().loc(3, 4), Color::kWhite));
  MctsPlayer fresh(fakeEvaluator());
  CHECK_FALSE(fresh.genmove(late, p, 1e20).resign);  // first low turn
  CHECK(fresh.genmove(late, p, 1e20).resign);        // second in a row
  p.allowResignation = false;
  CHECK_FALSE(fresh.genmove(late, p, 1e20).resign);
}

TEST_CASE("wideRootNoise widens the root: more moves visited, the signature untouched at 0",
          "[search]") {
  GameState state = stateFromMoves(9, Rules::trompTaylor(), kOpening, 5);
  auto visitedMoves = [&](double noise) {
    SearchParams p = deterministicParams(400);
    p.wideRootNoise = noise;
    Search s(fakeEvaluator(), p);
    s.setPosition(state);
    s.run(SearchLimits());
    int visited = 0, mostVisits = 0;
    for (const MoveInfo& m : collectResult(s, false).moves) {
      visited += m.visits > 0;
      mostVisits = std::max<int>(mostVisits, static_cast<int>(m.visits));
    }
    return std::make_pair(visited, mostVisits);
  };
  const auto plain = visitedMoves(0);
  const auto wide = visitedMoves(1.0);
  INFO("plain " << plain.first << " moves, top " << plain.second << "; wide " << wide.first
                << " moves, top " << wide.second);
  CHECK(wide.first > plain.first);
  CHECK(wide.second < plain.second);
}
