// The CUDA backend's raw outputs against the Eigen FP32 reference on random
// inputs: the real b6c96 net in FP32 and FP16, random nets of every
// architecture (versions 8..16: gpool, nested bottlenecks, mish/silu, 5x5
// initial convs, pass MLP), batching, CUDA graphs, and the clean failure
// without a GPU.

#include <algorithm>
#include <cmath>
#include <fstream>

#include "nn/model_writer.h"
#include "nn/cuda/cuda_test_common.h"

using namespace hoshi;

namespace {

struct Worst {
  double policy = 0, pass = 0, value = 0, score = 0, ownership = 0;
};

// Largest |cuda - eigen| / max(1, |eigen|) per output kind over `count`
// random positions evaluated in one batch.
Worst compareRaw(std::shared_ptr<const nn::ModelDesc> model, nn::Backend& cuda, int xSize,
                 int ySize, int count, uint64_t seed) {
  auto eigen = test::eigenBackend(model, count);
  auto ce = eigen->newComputation(xSize, ySize);
  auto cc = cuda.newComputation(xSize, ySize);
  for (int i = 0; i < count; ++i) {
    auto in = test::randomInputs(model->numInputChannels, model->numInputGlobalChannels, xSize,
                                 ySize, seed + i);
    ce->addInput(in.spatial.data(), in.global.data());
    cc->addInput(in.spatial.data(), in.global.data());
  }
  ce->compute();
  cc->compute();
  const int area = xSize * ySize;
  Worst w;
  auto upd = [](double& worst, const float* got, const float* want, int n) {
    for (int k = 0; k < n; ++k) {
      REQUIRE(std::isfinite(got[k]));
      worst = std::max(
          worst, std::abs(double(got[k]) - want[k]) / std::max(1.0, std::abs(double(want[k]))));
    }
  };
  for (int i = 0; i < count; ++i) {
    upd(w.policy, cc->policy(i), ce->policy(i), model->numPolicyChannels * area);
    upd(w.pass, cc->policyPass(i), ce->policyPass(i), model->numPolicyChannels);
    upd(w.value, cc->value(i), ce->value(i), model->numValueChannels);
    upd(w.score, cc->scoreValue(i), ce->scoreValue(i), model->numScoreValueChannels);
    upd(w.ownership, cc->ownership(i), ce->ownership(i), area);
  }
  return w;
}

void requireWithin(const Worst& w, double tol) {
  INFO("worst relative error: policy " << w.policy << " pass " << w.pass << " value " << w.value
                                       << " score " << w.score << " ownership " << w.ownership);
  CHECK(w.policy <= tol);
  CHECK(w.pass <= tol);
  CHECK(w.value <= tol);
  CHECK(w.score <= tol);
  CHECK(w.ownership <= tol);
}

}  // namespace

TEST_CASE("cuda backend fails cleanly or reports a device", "[nn_cuda]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  std::string why;
  if (nn::cudaDeviceCount(&why) == 0) {
    WARN("no GPU on this machine (" << why << "): checking the clean refusal only");
    nn::BackendOptions o;
    o.precision = "fp16";
    try {
      nn::createBackend("cuda", model, o);
      FAIL("cuda backend was created without a GPU");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("no usable GPU") != std::string::npos);
    }
    // A machine without an NVIDIA driver has no CUDA device: said so, not
    // the runtime's "driver version is insufficient".
    if (!std::ifstream("/proc/driver/nvidia/version").good()) {
      CHECK(why == "no CUDA device: no NVIDIA driver is loaded on this machine");
    }
    return;
  }
  INFO(nn::cudaDeviceDescription(0));
  nn::BackendOptions o;
  o.precision = "int8";
  CHECK_THROWS_AS(nn::createBackend("cuda", model, o), std::runtime_error);
  o.precision = "fp16";
  o.device = 1000;
  CHECK_THROWS_AS(nn::createBackend("cuda", model, o), std::runtime_error);
  o.device = 0;
  auto backend = nn::createBackend("cuda", model, o);
  CHECK(backend->attributes().name == "cuda");
  CHECK(backend->attributes().numPolicyChannels == model->numPolicyChannels);
  CHECK_THROWS_AS(backend->newComputation(20, 19), std::invalid_argument);
  CHECK_THROWS_AS(backend->newComputation(19, 1), std::invalid_argument);
  auto comp = backend->newComputation(9, 9);
  auto in = test::randomInputs(22, 19, 9, 9, 3);
  for (int i = 0; i < o.maxBatch; ++i) comp->addInput(in.spatial.data(), in.global.data());
  CHECK_THROWS_AS(comp->addInput(in.spatial.data(), in.global.data()), std::length_error);
}

TEST_CASE("cuda fp32 matches eigen on b6c96", "[nn_cuda]") {
  if (!test::haveGpuOrSkip()) return;
  auto model = nn::loadModelFile(test::b6c96Path());
  auto cuda = test::cudaBackend(model, false, 8);
  requireWithin(compareRaw(model, *cuda, 19, 19, 8, 100), 2e-3);
  requireWithin(compareRaw(model, *cuda, 9, 9, 3, 200), 2e-3);
  requireWithin(compareRaw(model, *cuda, 7, 13, 2, 300), 2e-3);
  requireWithin(compareRaw(model, *cuda, 2, 2, 1, 400), 2e-3);
}

TEST_CASE("cuda fp16 stays close to eigen on b6c96", "[nn_cuda]") {
  if (!test::haveGpuOrSkip()) return;
  auto model = nn::loadModelFile(test::b6c96Path());
  auto cuda = test::cudaBackend(model, true, 8);
  // Raw logits through six blocks of FP16 storage: a loose bound here; the
  // golden-position test checks what matters (top move, winrate, lead).
  requireWithin(compareRaw(model, *cuda, 19, 19, 8, 500), 0.15);
  requireWithin(compareRaw(model, *cuda, 13, 13, 5, 600), 0.15);
}

TEST_CASE("cuda graphs replay the same results", "[nn_cuda]") {
  if (!test::haveGpuOrSkip()) return;
  auto model = nn::loadModelFile(test::b6c96Path());
  for (bool fp16 : {false, true}) {
    INFO("fp16 " << fp16);
    auto cuda = test::cudaBackend(model, fp16, 4, true);
    // First run of a batch size is eager, the second captures, the third replays.
    for (int run = 0; run < 3; ++run)
      requireWithin(compareRaw(model, *cuda, 19, 19, 3, 700 + run), fp16 ? 0.15 : 2e-3);
  }
}

TEST_CASE("cuda results do not depend on the batch", "[nn_cuda]") {
  if (!test::haveGpuOrSkip()) return;
  auto model = nn::loadModelFile(test::b6c96Path());
  for (bool fp16 : {false, true}) {
    INFO("fp16 " << fp16);
    auto backend = test::cudaBackend(model, fp16, 8);
    auto in = test::randomInputs(22, 19, 19, 19, 5);
    auto other = test::randomInputs(22, 19, 19, 19, 6);
    auto single = backend->newComputation(19, 19);
    single->addInput(in.spatial.data(), in.global.data());
    single->compute();
    auto batch = backend->newComputation(19, 19);
    for (int i = 0; i < 7; ++i) batch->addInput(other.spatial.data(), other.global.data());
    batch->addInput(in.spatial.data(), in.global.data());
    batch->compute();
    const double margin = fp16 ? 2e-2 : 1e-4;
    for (int p = 0; p < 361; ++p)
      REQUIRE(batch->policy(7)[p] == Approx(single->policy(0)[p]).margin(margin));
    REQUIRE(batch->value(7)[0] == Approx(single->value(0)[0]).margin(margin));
    // A reused computation (clear) gives the same again.
    batch->clear();
    batch->addInput(in.spatial.data(), in.global.data());
    batch->compute();
    REQUIRE(batch->scoreValue(0)[2] == Approx(single->scoreValue(0)[2]).margin(margin));
  }
}

TEST_CASE("cuda fp32 matches eigen on random nets of versions 8..16", "[nn_cuda][writer]") {
  if (!test::haveGpuOrSkip()) return;
  for (int version = 8; version <= 16; ++version) {
    test::WriterSpec spec;
    spec.version = version;
    spec.seed = 91 + version;
    spec.blocks = {test::WriterBlock::kOrdinary, test::WriterBlock::kGlobalPooling,
                   test::WriterBlock::kNested};
    spec.initialKernel = version % 2 ? 5 : 3;
    if (version >= 11) spec.activation = version % 2 ? "ACTIVATION_MISH" : "ACTIVATION_SILU";
    auto model =
        std::make_shared<const nn::ModelDesc>(nn::parseModel(test::writeModelBytes(spec), true));
    INFO("version " << version);
    auto cuda = test::cudaBackend(model, false, 3);
    requireWithin(compareRaw(model, *cuda, 9, 9, 3, 800), 2e-3);
    requireWithin(compareRaw(model, *cuda, 5, 11, 1, 900), 2e-3);
    auto half = test::cudaBackend(model, true, 2);
    requireWithin(compareRaw(model, *half, 9, 9, 2, 1000), 0.15);
  }
}

TEST_CASE("cuda backend refuses version 17 transformer nets clearly", "[nn_cuda]") {
  auto model = nn::loadModelFile(test::sharedDir() + "/models/b7c96h3tfrs-test5-cnorm.bin.gz");
  REQUIRE(model->hasTransformerLayers());
  try {
    test::cudaBackend(model, true, 1);
    FAIL("cuda backend accepted a transformer net");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("version 17") != std::string::npos);
  }
}
