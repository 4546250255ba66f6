#pragma once

// What the INT8 tests share: where the shared data and b6c96 are, the net
// (as loaded and norm-folded, once per test binary), and positions encoded
// for it, each under its own symmetry (i % 8 unless given).

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "game/game_state.h"
#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "nn/test_model_common.h"

namespace hoshi::nn::test {

// Where the shared data and b6c96 are: the nn tests' helpers.
using hoshi::test::sharedDir;

inline std::string modelPath() {
  return hoshi::test::b6c96Path();
}

inline bool exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// A scratch file in the build tree: prefix names the test file.
inline std::string tempPath(const std::string& prefix, const std::string& name) {
  return std::string(HOSHI_BINARY_DIR) + "/" + prefix + name;
}

inline std::shared_ptr<const ModelDesc> model() {
  static const std::shared_ptr<const ModelDesc> m = loadModelFile(modelPath());
  return m;
}

inline std::shared_ptr<const ModelDesc> folded() {
  static const auto m = std::make_shared<ModelDesc>(foldNorms(*model()));
  return m;
}

inline std::vector<EncodedPosition> encode(const std::vector<GameState>& states,
                                           const std::vector<int>& symmetries = {}) {
  Evaluator encoder(createBackend("fake", nullptr, BackendOptions()), folded(), EvaluatorOptions());
  std::vector<EncodedPosition> out;
  for (size_t i = 0; i < states.size(); ++i)
    out.push_back(encoder.encode(states[i], symmetries.empty() ? int(i % 8) : symmetries[i]));
  return out;
}

// The outputs of model on backend: INT8 with quant, FP32 without.
inline std::vector<NetOutput> run(std::shared_ptr<const ModelDesc> model,
                                  std::shared_ptr<const QuantTable> quant,
                                  const std::string& backend,
                                  const std::vector<EncodedPosition>& inputs) {
  BackendOptions o;
  o.precision = quant ? "int8" : "fp32";
  o.quant = std::move(quant);
  Evaluator ev(createBackend(backend, model, o), model, EvaluatorOptions());
  return ev.computeBatch(inputs);
}

// hoshi ARGS (through the emulator of a cross build), stdout and stderr;
// empty with a warning when the binary is not built.
inline std::string runHoshi(const std::string& args, int* status) {
  const std::string hoshi = std::string(HOSHI_BINARY_DIR) + "/hoshi";
  if (!exists(hoshi)) {
    WARN("skipped: " << hoshi << " not built");
    return "";
  }
  const std::string prefix = HOSHI_RUN_PREFIX;
  FILE* p =
      ::popen(((prefix.empty() ? "" : prefix + " ") + hoshi + " " + args + " 2>&1").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  *status = ::pclose(p);
  return out;
}

}  // namespace hoshi::nn::test
