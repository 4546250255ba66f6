// Emulation only: the zero-copy path (integrated GPU, Jetson) and the copy
// path (discrete GPU) give the Eigen reference's answers, and the work really
// went through the backend's GEMMs.

#include <cmath>

#include "nn/cuda/cuda_test_common.h"
#include "nn/cuda/emulated/fake_cuda.h"

using namespace hoshi;

TEST_CASE("emulated cuda: zero-copy and copy paths match eigen", "[nn_cuda][emulated]") {
  auto model = nn::loadModelFile(test::b6c96Path());
  auto in = test::randomInputs(22, 19, 9, 9, 11);
  auto eigen = test::eigenBackend(model, 2);
  auto ref = eigen->newComputation(9, 9);
  ref->addInput(in.spatial.data(), in.global.data());
  ref->compute();
  for (bool integrated : {true, false}) {
    INFO("integrated " << integrated);
    test::setEmulatedIntegrated(integrated);
    auto cuda = test::cudaBackend(model, false, 2);
    CHECK((cuda->attributes().device.find("zero-copy") != std::string::npos) == integrated);
    const long gemmsBefore = test::emulatedGemmCount();
    auto comp = cuda->newComputation(9, 9);
    comp->addInput(in.spatial.data(), in.global.data());
    comp->compute();
    CHECK(test::emulatedGemmCount() > gemmsBefore);
    for (int p = 0; p < 81; ++p)
      REQUIRE(comp->policy(0)[p] == Approx(ref->policy(0)[p]).margin(1e-3));
    for (int c = 0; c < 3; ++c) REQUIRE(comp->value(0)[c] == Approx(ref->value(0)[c]).margin(1e-3));
    for (int c = 0; c < model->numScoreValueChannels; ++c)
      REQUIRE(comp->scoreValue(0)[c] == Approx(ref->scoreValue(0)[c]).margin(1e-3));
    for (int p = 0; p < 81; ++p)
      REQUIRE(comp->ownership(0)[p] == Approx(ref->ownership(0)[p]).margin(1e-3));
  }
  test::setEmulatedIntegrated(false);
}
