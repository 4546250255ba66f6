#pragma once

// Helpers shared by the nn loader/backend tests: where the real net is, and
// plausible random network inputs.

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace hoshi::test {

inline std::string sharedDir() {
  const char* env = std::getenv("HOSHI_SHARED_DIR");
  return env && *env ? env : HOSHI_SHARED_DIR_DEFAULT;
}

inline std::string b6c96Path() {
  const char* env = std::getenv("HOSHI_TEST_MODEL");
  if (env && *env) return env;
  return sharedDir() + "/models/g170-b6c96-s175395328-d26788732.bin.gz";
}

inline std::string tempPath(const std::string& name) {
  return std::string(HOSHI_BINARY_DIR) + "/nncore-test-" + name;
}

// Inputs that look like a game position: mask plane of ones, disjoint sparse
// stone planes, sparse 0/1 feature planes and small global values.
struct RandomInputs {
  std::vector<float> spatial, global;
};

inline RandomInputs randomInputs(int channels, int globals, int xSize, int ySize, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  const int area = xSize * ySize;
  RandomInputs in;
  in.spatial.assign(size_t(channels) * area, 0.0f);
  for (int p = 0; p < area; ++p) {
    in.spatial[p] = 1.0f;
    float r = u(rng);
    if (channels > 2) {
      if (r < 0.25f)
        in.spatial[area + p] = 1.0f;
      else if (r < 0.5f)
        in.spatial[2 * area + p] = 1.0f;
    }
    for (int c = 3; c < channels; ++c)
      if (u(rng) < 0.08f) in.spatial[size_t(c) * area + p] = 1.0f;
  }
  in.global.resize(globals);
  for (float& g : in.global) g = u(rng) < 0.3f ? u(rng) - 0.5f : 0.0f;
  return in;
}

}  // namespace hoshi::test
