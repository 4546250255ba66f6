#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>

#include "search/puct.h"
#include "search/search.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

TEST_CASE("cpuctUtilityStdevScale scales exploration by the parent's utility stdev", "[search]") {
  SearchParams p;
  CHECK(p.cpuctUtilityStdevScale == 0.85);  // KataGo's default
  p.cpuctUtilityStdevScale = 0;
  NodeStats parent;
  parent.visits = 10;
  parent.weight = 10;
  parent.weightSq = 10;
  parent.utility = 0.2;
  parent.utilitySq = 0.04 + 0.25;               // stdev 0.5
  CHECK(utilityStdevFactor(parent, p) == 1.0);  // off
  p.cpuctUtilityStdevScale = 0.85;
  // Variance with 2 prior samples at 0.4: ((0.04 + 0.16) * 2 + 0.29 * 10) / 11 - 0.04.
  const double stdev = std::sqrt(3.3 / 11 - 0.04);
  CHECK(utilityStdevFactor(parent, p) == Approx(1 + 0.85 * (stdev / 0.4 - 1)));
  // One sample: the prior alone, factor 1; a calm position explores less.
  parent.weight = 1;
  CHECK(utilityStdevFactor(parent, p) == Approx(1.0));
  parent.weight = 1000;
  parent.utilitySq = 0.04 + 0.01;
  CHECK(utilityStdevFactor(parent, p) < 0.5);
}

TEST_CASE("first-play urgency blends the parent's average with its own net value", "[search]") {
  Node node(kNullLoc, Color::kEmpty);
  node.setNnUtility(0.5);  // white's view
  NodeStats parent;
  parent.utility = 0.1;
  SearchParams p;
  CHECK(p.fpuParentWeightByVisitedPolicy);  // KataGo's default
  p.fpuParentWeightByVisitedPolicy = false;
  const double black = sideSign(Color::kBlack);
  CHECK(fpuParentUtility(node, parent, black, 0.5, p) == Approx(-0.1));
  p.fpuParentWeight = 0.3;
  CHECK(fpuParentUtility(node, parent, black, 0.5, p) == Approx(0.3 * -0.5 + 0.7 * -0.1));
  p.fpuParentWeightByVisitedPolicy = true;  // takes precedence: weight 0.5^2 on the average
  CHECK(fpuParentUtility(node, parent, black, 0.5, p) == Approx(0.25 * -0.1 + 0.75 * -0.5));
  CHECK(fpuParentUtility(node, parent, black, 1.0, p) == Approx(-0.1));
  CHECK(fpuParentUtility(node, parent, black, 0.0, p) == Approx(-0.5));
}

TEST_CASE("the FPU and exploration keys change a deterministic search", "[search]") {
  const char* const opening[] = {"E5", "C3", "G7", "C6"};
  GameState state = stateFromMoves(9, Rules::trompTaylor(), opening, 4);
  auto visits = [&](const SearchParams& p) {
    Search s(fakeEvaluator(), p);
    s.setPosition(state);
    const SearchStats st = s.run(SearchLimits());
    CHECK(st.rootVisits == p.maxVisits);
    std::vector<int64_t> v;
    for (const MoveInfo& m : collectResult(s, false).moves) v.push_back(m.visits * 1000 + m.move);
    return v;
  };
  SearchParams base = deterministicParams(300);
  base.fpuParentWeightByVisitedPolicy = false;
  base.cpuctUtilityStdevScale = 0;
  const auto plain = visits(base);
  SearchParams fpu = base;
  fpu.fpuParentWeightByVisitedPolicy = true;
  CHECK(visits(fpu) != plain);
  SearchParams stdev = base;
  stdev.cpuctUtilityStdevScale = 0.85;
  CHECK(visits(stdev) != plain);
}

namespace {

std::map<Loc, float> priorsOf(const Node& node) {
  std::map<Loc, float> priors;
  for (int i = 0; i < node.numEdges(); ++i) priors[node.edge(i).move] = node.edge(i).prior;
  return priors;
}

// Each prior of `hot` is `cold`'s to the power 1/T, normalised (softmax(logits / T)).
void checkTempered(const std::map<Loc, float>& cold, const std::map<Loc, float>& hot, double t) {
  REQUIRE(cold.size() == hot.size());
  REQUIRE(cold.size() > 2);
  double sum = 0;
  for (const auto& [move, p] : cold) sum += std::pow(p, 1.0 / t);
  for (const auto& [move, p] : cold) CHECK(hot.at(move) == Approx(std::pow(p, 1.0 / t) / sum));
}

}  // namespace

TEST_CASE("nnPolicyTemperature tempers every node's policy, the root's temperature on top",
          "[search]") {
  CHECK(SearchParams().nnPolicyTemperature == 1.0);  // KataGo's default
  const char* const moves[] = {"E5", "C3", "G7"};
  const GameState state = stateFromMoves(9, Rules::trompTaylor(), moves, 3);
  auto search = [&](double nnT, double rootT) {
    SearchParams p = deterministicParams(2);
    p.nnPolicyTemperature = nnT;
    p.rootPolicyTemperature = rootT;
    auto s = std::make_unique<Search>(fakeEvaluator(), p);
    s->setPosition(state);
    s->run(SearchLimits());
    return s;
  };
  auto plain = search(1.0, 1.0);
  // The root's temperature cancels the net's there, so both expand the same child.
  auto tempered = search(2.0, 0.5);
  checkTempered(priorsOf(*plain->root()), priorsOf(*tempered->root()), 1.0);
  const Node* plainChild = nullptr;
  const Node* temperedChild = nullptr;
  for (int i = 0; i < plain->root()->numEdges(); ++i) {
    const Node* a = plain->root()->edge(i).node.load();
    if (a == nullptr || a->numEdges() == 0) continue;
    plainChild = a;
    for (int j = 0; j < tempered->root()->numEdges(); ++j)
      if (tempered->root()->edge(j).move == plain->root()->edge(i).move)
        temperedChild = tempered->root()->edge(j).node.load();
  }
  REQUIRE(plainChild != nullptr);
  REQUIRE(temperedChild != nullptr);
  checkTempered(priorsOf(*plainChild), priorsOf(*temperedChild), 2.0);
  // Alone, it tempers the root as well.
  checkTempered(priorsOf(*plain->root()), priorsOf(*search(0.7, 1.0)->root()), 0.7);
}
