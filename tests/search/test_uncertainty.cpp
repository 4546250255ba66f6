#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "search/policy_optimism.h"
#include "search/search.h"
#include "search/search_result.h"
#include "search/uncertainty.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

TEST_CASE("uncertainty weight: coeff / (u + coeff / maxWeight)", "[search]") {
  SearchParams p;
  nn::NetOutput out;
  out.whiteScoreSelfplay = 0;
  out.shorttermWinlossError = 0.2f;
  out.shorttermScoreError = 3.0f;
  CHECK(uncertaintyWeight(p, out, 0.0, 81) == 1.0);  // off by default
  p.useUncertainty = true;
  const double u = 0.2 + scoreUtilityDerivative(p, 0.0, 0.0, 81) * 3.0;
  CHECK(uncertaintyWeight(p, out, 0.0, 81) == Approx(0.25 / (u + 0.25 / 8.0)));
  // The score derivative at the centre: 2/pi / width for each term.
  const double wStatic = 9.0, wDynamic = 0.75 * 9.0;
  CHECK(scoreUtilityDerivative(p, 0.0, 0.0, 81) ==
        Approx(0.1 * 0.63661977 / wStatic + 0.3 * 0.63661977 / wDynamic));
  // A certain evaluation weighs uncertaintyMaxWeight; a net without the heads 1.
  out.shorttermWinlossError = 0;
  out.shorttermScoreError = 0;
  CHECK(uncertaintyWeight(p, out, 0.0, 81) == Approx(8.0));
  out.shorttermWinlossError = -1;
  CHECK(uncertaintyWeight(p, out, 0.0, 81) == 1.0);
  // Exponent 0.5: the square root of the uncertainty.
  out.shorttermWinlossError = 0.16f;
  out.shorttermScoreError = 0;
  p.uncertaintyExponent = 0.5;
  CHECK(uncertaintyWeight(p, out, 0.0, 81) == Approx(0.25 / (0.4 + 0.25 / 8.0)).epsilon(1e-5));
}

// b6c96 (version 8) has no short-term error heads; the version-17 test net has.
TEST_CASE("useUncertainty weights a net's evaluations by its short-term errors",
          "[search][model]") {
  const std::string path = sharedDir() + "/models/b7c96h3tfrs-test5-cnorm.bin.gz";
  if (!std::ifstream(path).good()) {
    WARN("no version-17 test net: skipped");
    return;
  }
  nn::EvaluatorOptions eo;
  eo.backend = "eigen";
  eo.maxBatch = 1;
  std::shared_ptr<nn::Evaluator> eval = nn::Evaluator::load(path, eo);
  const char* const opening[] = {"E5", "C3", "G7"};
  GameState state = stateFromMoves(9, Rules::trompTaylor(), opening, 3);
  const nn::NetOutput root = eval->evaluate(state, 0);
  REQUIRE(root.shorttermWinlossError >= 0);
  SearchParams p = deterministicParams(60);
  p.useUncertainty = true;
  Search s(eval, p);
  s.setPosition(state);
  s.run(SearchLimits());
  const NodeStats st = s.root()->stats();
  CHECK(st.visits == 60);
  // Every weight lies in (0, uncertaintyMaxWeight] and they differ.
  CHECK(st.weight > 0);
  CHECK(st.weight <= 8.0 * 60);
  CHECK(st.weight * st.weight / st.weightSq < 60.0 - 1e-6);
  // Off: every evaluation weighs 1.
  p.useUncertainty = false;
  Search plain(eval, p);
  plain.setPosition(state);
  plain.run(SearchLimits());
  CHECK(plain.root()->stats().weight ==
        Approx(60.0));  // value weighting rescales in floating point
}

TEST_CASE("a version-8 net has no short-term errors: useUncertainty changes nothing",
          "[search][model]") {
  const std::string path = testModelPath();
  if (path.empty()) {
    WARN("no b6c96 model: skipped");
    return;
  }
  nn::EvaluatorOptions eo;
  std::shared_ptr<nn::Evaluator> eval = nn::Evaluator::load(path, eo);
  const char* const opening[] = {"E5"};
  GameState state = stateFromMoves(9, Rules::trompTaylor(), opening, 1);
  CHECK(eval->evaluate(state, 0).shorttermWinlossError < 0);
  SearchParams p = deterministicParams(30);
  p.useUncertainty = true;
  Search s(eval, p);
  s.setPosition(state);
  s.run(SearchLimits());
  CHECK(s.root()->stats().weight == Approx(30.0));
}

TEST_CASE("policy optimism: its own cache keys, and a v12+ net's root policy changes",
          "[search][model]") {
  const Hash128 key(12, 34);
  CHECK(optimismKey(key, 0.0) == key);
  CHECK(!(optimismKey(key, 0.2) == key));
  CHECK(!(optimismKey(key, 0.2) == optimismKey(key, 1.0)));
  const std::string path = sharedDir() + "/models/b7c96h6kv3qk32v16tflrs-fson-bnh.bin.gz";
  if (!std::ifstream(path).good()) {
    WARN("no version-17 test net: skipped");
    return;
  }
  nn::EvaluatorOptions eo;
  std::shared_ptr<nn::Evaluator> eval = nn::Evaluator::load(path, eo);
  const char* const opening[] = {"E5", "C3", "G7"};
  GameState state = stateFromMoves(9, Rules::trompTaylor(), opening, 3);
  auto rootPriors = [&](double optimism) {
    SearchParams p = deterministicParams(2);
    p.rootPolicyOptimism = optimism;
    Search s(eval, p);
    s.setPosition(state);
    s.run(SearchLimits());
    std::vector<std::pair<Loc, float>> priors;
    for (int i = 0; i < s.root()->numEdges(); ++i)
      priors.emplace_back(s.root()->edge(i).move, s.root()->edge(i).prior);
    std::sort(priors.begin(), priors.end());
    return priors;
  };
  const auto plain = rootPriors(0.0);
  const auto optimistic = rootPriors(1.0);
  REQUIRE(plain.size() == optimistic.size());
  double diff = 0;
  for (size_t i = 0; i < plain.size(); ++i)
    diff += std::abs(plain[i].second - optimistic[i].second);
  CHECK(diff > 1e-3);
}
