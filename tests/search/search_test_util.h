#pragma once

// Helpers shared by the search tests: evaluators over the weightless fake
// backend (deterministic per position) and over the real model when present.

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "config/options.h"
#include "game/game_state.h"
#include "nn/backend.h"
#include "nn/evaluator.h"
#include "search/search_params.h"

namespace hoshi::search::testing {

// The settings the search layer declares (the program adds the other layers').
inline const config::OptionRegistry& searchOptions() {
  static const config::OptionRegistry registry = [] {
    config::OptionRegistry r;
    declareSearchOptions(r);
    return r;
  }();
  return registry;
}

inline std::shared_ptr<nn::Evaluator> fakeEvaluator(const std::string& mode = "random",
                                                    int maxBatch = 8) {
  nn::BackendOptions bo;
  bo.fakeMode = mode;
  bo.maxBatch = maxBatch;
  nn::EvaluatorOptions eo;
  eo.backend = "fake";
  eo.maxBatch = maxBatch;
  return std::make_shared<nn::Evaluator>(nn::createBackend("fake", nullptr, bo), nullptr, eo);
}

inline std::string sharedDir() {
  const char* env = std::getenv("HOSHI_SHARED_DIR");
  return env ? env : HOSHI_SHARED_DIR_DEFAULT;
}

// The b6c96 net (or HOSHI_TEST_MODEL); empty when not available.
inline std::string testModelPath() {
  const char* env = std::getenv("HOSHI_TEST_MODEL");
  std::string p = env ? env : sharedDir() + "/models/g170-b6c96-s175395328-d26788732.bin.gz";
  return std::ifstream(p).good() ? p : "";
}

// The deterministic mode: one thread, fixed seed, symmetry 0.
inline SearchParams deterministicParams(int64_t visits) {
  SearchParams p;
  p.maxVisits = visits;
  p.numThreads = 1;
  p.randomizeSymmetry = false;
  p.seedGiven = true;
  p.seed = 12345;
  p.maxBatch = 1;
  p.cacheSizePowerOfTwo = 12;
  return p;
}

inline GameState stateFromMoves(int size, const Rules& rules, const char* const* moves, int n) {
  GameState s(Board(size, size), Color::kBlack, rules);
  for (int i = 0; i < n; ++i) {
    Loc l = parseLoc(moves[i], s.board());
    if (!s.play(l, s.toMove()))
      throw std::runtime_error(std::string("illegal test move ") + moves[i]);
  }
  return s;
}

}  // namespace hoshi::search::testing
