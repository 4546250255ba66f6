// The Eigen backend against the naive reference forward pass, on the real
// b6c96 net and on random nets of every supported architecture.

#include <catch2/catch.hpp>
#include <cmath>
#include <thread>

#include "nn/backend.h"
#include "nn/model.h"
#include "nn/model_writer.h"
#include "nn/test_backend_naive.h"
#include "nn/test_model_common.h"

using namespace hoshi;

namespace {

std::vector<double> softmax(const float* logits, int n, float pass) {
  std::vector<double> p(n + 1);
  double mx = pass;
  for (int i = 0; i < n; ++i) mx = std::max(mx, double(logits[i]));
  double sum = 0;
  for (int i = 0; i <= n; ++i) {
    p[i] = std::exp((i < n ? logits[i] : pass) - mx);
    sum += p[i];
  }
  for (double& v : p) v /= sum;
  return p;
}

std::vector<double> softmax(const std::vector<double>& logits, int n, double pass) {
  std::vector<float> f(logits.begin(), logits.begin() + n);
  return softmax(f.data(), n, float(pass));
}

struct Tolerance {
  double logit;  // raw outputs, absolute, scaled by max(1, |reference|)
  double prob;   // policy probabilities, absolute
};

// Evaluates `count` random positions in one batch and checks each entry.
void compareWithNaive(std::shared_ptr<const nn::ModelDesc> model, int xSize, int ySize, int threads,
                      int count, Tolerance tol) {
  nn::BackendOptions opts;
  opts.threads = threads;
  opts.maxBatch = count;
  auto backend = nn::createBackend("eigen", model, opts);
  auto comp = backend->newComputation(xSize, ySize);
  std::vector<test::RandomInputs> inputs;
  for (int i = 0; i < count; ++i) {
    inputs.push_back(test::randomInputs(model->numInputChannels, model->numInputGlobalChannels,
                                        xSize, ySize, 1000 + i));
    comp->addInput(inputs.back().spatial.data(), inputs.back().global.data());
  }
  comp->compute();
  test::NaiveNet naive(*model, xSize, ySize);
  const int area = xSize * ySize;
  auto close = [&](double got, double want) {
    return std::abs(got - want) <= tol.logit * std::max(1.0, std::abs(want));
  };
  for (int i = 0; i < count; ++i) {
    test::NaiveOutput ref = naive.run(inputs[i].spatial.data(), inputs[i].global.data());
    INFO("entry " << i << " size " << xSize << "x" << ySize);
    for (int c = 0; c < model->numPolicyChannels; ++c) {
      for (int p = 0; p < area; ++p)
        REQUIRE(close(comp->policy(i)[c * area + p], ref.policy[c * area + p]));
      REQUIRE(close(comp->policyPass(i)[c], ref.pass[c]));
    }
    for (int c = 0; c < 3; ++c) REQUIRE(close(comp->value(i)[c], ref.value[c]));
    for (int c = 0; c < model->numScoreValueChannels; ++c)
      REQUIRE(close(comp->scoreValue(i)[c], ref.score[c]));
    for (int p = 0; p < area; ++p) REQUIRE(close(comp->ownership(i)[p], ref.ownership[p]));
    std::vector<double> got = softmax(comp->policy(i), area, comp->policyPass(i)[0]);
    std::vector<double> want = softmax(ref.policy, area, ref.pass[0]);
    double worst = 0;
    for (int p = 0; p <= area; ++p) worst = std::max(worst, std::abs(got[p] - want[p]));
    CHECK(worst < tol.prob);
  }
}

}  // namespace

TEST_CASE("eigen backend matches the naive forward pass on b6c96", "[nn][eigen]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  const Tolerance tol{2e-4, 1e-5};
  SECTION("19x19, one thread, batch 2") {
    compareWithNaive(model, 19, 19, 1, 2, tol);
  }
  SECTION("19x19, two threads, batch 3") {
    compareWithNaive(model, 19, 19, 2, 3, tol);
  }
  SECTION("9x9") {
    compareWithNaive(model, 9, 9, 1, 1, tol);
  }
  SECTION("rectangular 7x13") {
    compareWithNaive(model, 7, 13, 2, 2, tol);
  }
  SECTION("smallest 2x2") {
    compareWithNaive(model, 2, 2, 1, 1, tol);
  }
}

TEST_CASE("eigen backend runs random nets of versions 8..16", "[nn][eigen][writer]") {
  const Tolerance tol{2e-4, 1e-5};
  for (int version = 8; version <= 16; ++version) {
    test::WriterSpec spec;
    spec.version = version;
    spec.seed = 77 + version;
    spec.blocks = {test::WriterBlock::kOrdinary, test::WriterBlock::kGlobalPooling,
                   test::WriterBlock::kNested};
    spec.initialKernel = version % 2 ? 5 : 3;
    if (version >= 11) spec.activation = version % 2 ? "ACTIVATION_MISH" : "ACTIVATION_SILU";
    auto model =
        std::make_shared<const nn::ModelDesc>(nn::parseModel(test::writeModelBytes(spec), true));
    INFO("version " << version);
    compareWithNaive(model, 9, 9, 1, 2, tol);
    compareWithNaive(model, 5, 11, 2, 1, tol);
  }
}

TEST_CASE("eigen backend gives the same answer whatever the batch and threads", "[nn][eigen]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  auto in = test::randomInputs(22, 19, 19, 19, 5);
  auto other = test::randomInputs(22, 19, 19, 19, 6);
  nn::BackendOptions one;
  one.threads = 1;
  one.maxBatch = 1;
  auto singleBackend = nn::createBackend("eigen", model, one);
  auto single = singleBackend->newComputation(19, 19);
  single->addInput(in.spatial.data(), in.global.data());
  single->compute();
  nn::BackendOptions many;
  many.threads = 2;
  many.maxBatch = 4;
  auto backend = nn::createBackend("eigen", model, many);
  auto batch = backend->newComputation(19, 19);
  batch->addInput(other.spatial.data(), other.global.data());
  batch->addInput(in.spatial.data(), in.global.data());
  batch->compute();
  for (int p = 0; p < 361; ++p)
    REQUIRE(batch->policy(1)[p] == Approx(single->policy(0)[p]).margin(1e-4));
  REQUIRE(batch->value(1)[0] == Approx(single->value(0)[0]).margin(1e-4));
  // Reuse after clear, and a full computation refuses more input.
  batch->clear();
  for (int i = 0; i < 4; ++i) batch->addInput(in.spatial.data(), in.global.data());
  REQUIRE_THROWS_AS(batch->addInput(in.spatial.data(), in.global.data()), std::length_error);
  batch->compute();
  REQUIRE(batch->value(3)[1] == Approx(single->value(0)[1]).margin(1e-4));
  REQUIRE_THROWS_AS(backend->newComputation(20, 19), std::invalid_argument);
  REQUIRE_THROWS_AS(backend->newComputation(19, 1), std::invalid_argument);
}

TEST_CASE("eigen backend lanes run computations at once with the same answers", "[nn][eigen]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  nn::BackendOptions one;
  one.maxBatch = 1;
  auto reference = nn::createBackend("eigen", model, one);
  nn::BackendOptions laned;
  laned.threads = 3;  // lanes of 2 and 1 workers
  laned.lanes = 2;
  laned.maxBatch = 1;
  auto backend = nn::createBackend("eigen", model, laned);
  REQUIRE(backend->attributes().lanes == 2);
  REQUIRE(reference->attributes().lanes == 1);
  // Four threads share two lanes: two at a time run, the others wait.
  constexpr int kThreads = 4;
  std::vector<std::vector<float>> got(kThreads), want(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto in = test::randomInputs(22, 19, 19, 19, 40 + t);
      for (int rep = 0; rep < 3; ++rep) {
        auto comp = backend->newComputation(19, 19);
        comp->addInput(in.spatial.data(), in.global.data());
        comp->compute();
        got[t].assign(comp->policy(0), comp->policy(0) + 361);
        got[t].push_back(comp->value(0)[0]);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    auto in = test::randomInputs(22, 19, 19, 19, 40 + t);
    auto comp = reference->newComputation(19, 19);
    comp->addInput(in.spatial.data(), in.global.data());
    comp->compute();
    want[t].assign(comp->policy(0), comp->policy(0) + 361);
    want[t].push_back(comp->value(0)[0]);
    REQUIRE(got[t].size() == want[t].size());
    for (size_t i = 0; i < want[t].size(); ++i) REQUIRE(got[t][i] == Approx(want[t][i]).margin(1e-4));
  }
  nn::BackendOptions bad = laned;
  bad.lanes = 0;
  REQUIRE_THROWS_AS(nn::createBackend("eigen", model, bad), std::invalid_argument);
}
