#include "nn/bench_inputs.h"

#include <random>
#include <vector>

namespace hoshi::nn {

void fillBenchmarkInputs(Computation& comp, const BackendAttributes& attr, int size, int batch,
                         uint32_t seed) {
  std::mt19937 rng(seed);
  const int area = size * size;
  for (int b = 0; b < batch; ++b) {
    std::vector<float> spatial(size_t(attr.numInputChannels) * area, 0.0f);
    for (int p = 0; p < area; ++p) {
      spatial[p] = 1.0f;
      int r = int(rng() % 8);
      if (r < 2 && attr.numInputChannels > 2) spatial[size_t(1 + r) * area + p] = 1.0f;
    }
    std::vector<float> global(attr.numInputGlobalChannels, 0.0f);
    comp.addInput(spatial.data(), global.data());
  }
}

}  // namespace hoshi::nn
