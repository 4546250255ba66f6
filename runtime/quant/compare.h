#pragma once

// `hoshi compare`: how far one model (or backend, or precision) is from a
// reference on real positions: policy top-1 agreement and KL divergence,
// winrate, lead and ownership errors, and for an INT8 Hoshi file a
// per-layer error trace (which layer's quantization hurts). The command
// (app/) only parses its flags into CompareOptions.

#include <cstdint>
#include <string>
#include <vector>

namespace hoshi::quant {

struct CompareOptions {
  std::string ref, test, refBackend = "eigen", testBackend, golden, dump;
  std::vector<std::string> positions;
  int n = 2000, trace = 16, threads = 1;
  uint64_t seed = 2;
};

// Prints the comparison on stdout (progress on stderr) and, with
// options.dump, one line a position to that file. Throws std::runtime_error.
void compareModels(const CompareOptions& options);

}  // namespace hoshi::quant
