// Throughput of the CUDA backend on b6c96 at 19x19, batches 1, 8 and 32, in
// FP16 and FP32 (and with CUDA graphs). Hidden ([.bench]): scripts/gpu-check
// runs it beside `hoshi benchmark`, so the numbers never depend on the app.

#include <chrono>
#include <cstdio>

#include "nn/cuda/cuda_test_common.h"

using namespace hoshi;

namespace {

// Seconds per compute() of a full batch, measured over at least minSeconds.
double secondsPerBatch(nn::Backend& backend, int batch, double minSeconds) {
  auto comp = backend.newComputation(19, 19);
  std::vector<test::RandomInputs> inputs;
  for (int i = 0; i < batch; ++i) inputs.push_back(test::randomInputs(22, 19, 19, 19, 42 + i));
  auto fill = [&] {
    comp->clear();
    for (const auto& in : inputs) comp->addInput(in.spatial.data(), in.global.data());
  };
  for (int warm = 0; warm < 3; ++warm) {
    fill();
    comp->compute();
  }
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  int runs = 0;
  double elapsed = 0;
  do {
    fill();
    comp->compute();
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < minSeconds);
  return elapsed / runs;
}

}  // namespace

TEST_CASE("cuda throughput on b6c96 19x19", "[.bench][nn_cuda]") {
  if (!test::haveGpuOrSkip()) return;
  auto model = nn::loadModelFile(test::b6c96Path());
  std::printf("device: %s\n", nn::cudaDeviceDescription(0).c_str());
  struct Mode {
    const char* name;
    bool fp16, graphs;
  };
  for (Mode mode :
       {Mode{"fp16", true, false}, Mode{"fp32", false, false}, Mode{"fp16+graphs", true, true}}) {
    for (int batch : {1, 8, 32}) {
      auto backend = test::cudaBackend(model, mode.fp16, batch, mode.graphs);
      double s = secondsPerBatch(*backend, batch, 1.5);
      std::printf("cuda %-12s batch %2d: %8.3f ms/batch %9.0f positions/s\n", mode.name, batch,
                  s * 1e3, batch / s);
      std::fflush(stdout);
      CHECK(s > 0);
    }
  }
}
