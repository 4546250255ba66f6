#pragma once

// The search's settings as one plain value: every option of the program
// (config::Params, snapshotted when a search starts, so kata-set-param never
// changes a running search) plus what the search derives from them. The
// search layer declares its settings (name, range, default, help) once, in
// search_params.cpp and engine_options.cpp; the numbers there are KataGo's
// GTP defaults for the same names. A default-constructed SearchParams holds
// those declared defaults, so no default is written twice.

#include <cstdint>

#include "config/options.h"

namespace hoshi::search {

struct SearchParams : config::Params {
  // The declared defaults of the search and network settings.
  SearchParams();
  explicit SearchParams(const config::Params& settings);

  // Derived from the settings by the constructors; tests may set them directly.
  int numThreads;           // numSearchThreads
  int maxBatch;             // nnMaxBatchSize
  int cacheSizePowerOfTwo;  // nnCacheSizePowerOfTwo
  bool randomizeSymmetry;   // nnRandomize; false: always symmetry 0 (deterministic)
  uint64_t seed;            // FNV-1a of searchRandSeed
  bool seedGiven;           // searchRandSeed is not empty
};

SearchParams searchParamsFrom(const config::Params& p);

// The search layer's settings: the engine's (rules, board, memory,
// pondering, what analysis reports; engine_options.cpp), then the search's
// own (limits, PUCT, utility, time, strength refinements).
void declareSearchOptions(config::OptionRegistry& registry);
void declareEngineOptions(config::OptionRegistry& registry);

}  // namespace hoshi::search
