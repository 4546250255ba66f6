// The weightless fake backend and the registry.

#include <catch2/catch.hpp>

#include <algorithm>

#include "nn/backend.h"
#include "nn/model.h"
#include "nn/test_model_common.h"

using namespace hoshi;

namespace {

std::vector<float> run(nn::Backend& backend, const test::RandomInputs& in) {
  auto comp = backend.newComputation(9, 9);
  comp->addInput(in.spatial.data(), in.global.data());
  comp->compute();
  std::vector<float> all(comp->policy(0), comp->policy(0) + 81);
  all.insert(all.end(), comp->value(0), comp->value(0) + 3);
  all.push_back(comp->policyPass(0)[0]);
  all.insert(all.end(), comp->scoreValue(0), comp->scoreValue(0) + 4);
  all.insert(all.end(), comp->ownership(0), comp->ownership(0) + 81);
  return all;
}

}  // namespace

TEST_CASE("registry lists eigen but not the test-only fake, refuses unknown names",
          "[nn][backend]") {
  auto names = nn::backendNames();
  REQUIRE(names.size() >= 1);
  CHECK(names[0] == "eigen");
  CHECK(std::find(names.begin(), names.end(), "fake") == names.end());
  CHECK(nn::createBackend("fake", nullptr, {}) != nullptr);
  CHECK_THROWS_WITH(nn::createBackend("nonexistent", nullptr, {}),
                    Catch::Contains("unknown backend"));
  CHECK_THROWS_WITH(nn::createBackend("eigen", nullptr, {}), Catch::Contains("needs a model"));
}

TEST_CASE("fake backend is deterministic by input", "[nn][backend][fake]") {
  nn::BackendOptions opts;
  opts.fakeMode = "random";
  auto a = nn::createBackend("fake", nullptr, opts);
  auto b = nn::createBackend("fake", nullptr, opts);
  CHECK(a->attributes().numInputChannels == 22);
  CHECK(a->attributes().numScoreValueChannels == 4);
  auto in1 = test::randomInputs(22, 19, 9, 9, 1);
  auto in2 = test::randomInputs(22, 19, 9, 9, 2);
  std::vector<float> r1 = run(*a, in1);
  CHECK(r1 == run(*b, in1));
  CHECK(r1 == run(*a, in1));
  std::vector<float> r2 = run(*a, in2);
  CHECK(r1 != r2);
  for (float v : r1) {
    CHECK(v >= -2.0f);
    CHECK(v <= 2.0f);
  }
  // A one-point change of the input changes the answer.
  in1.spatial[81 + 40] = 1.0f - in1.spatial[81 + 40];
  CHECK(run(*a, in1) != r1);
}

TEST_CASE("uniform fake backend returns zero logits", "[nn][backend][fake]") {
  nn::BackendOptions opts;
  opts.fakeMode = "uniform";
  opts.maxBatch = 2;
  auto backend = nn::createBackend("fake", nullptr, opts);
  auto in = test::randomInputs(22, 19, 9, 9, 4);
  for (float v : run(*backend, in)) CHECK(v == 0.0f);
  auto comp = backend->newComputation(9, 9);
  comp->addInput(in.spatial.data(), in.global.data());
  comp->addInput(in.spatial.data(), in.global.data());
  CHECK_THROWS_AS(comp->addInput(in.spatial.data(), in.global.data()), std::length_error);
  opts.fakeMode = "bogus";
  CHECK_THROWS_AS(nn::createBackend("fake", nullptr, opts), std::invalid_argument);
}

TEST_CASE("fake backend takes its shapes from a model when given one", "[nn][backend][fake]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  auto backend = nn::createBackend("fake", model, {});
  CHECK(backend->attributes().modelVersion == 8);
  CHECK(backend->attributes().numPolicyChannels == 1);
}
