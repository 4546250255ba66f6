#pragma once

// What `hoshi benchmark` measures, as its flags say (cmd_benchmark.cpp
// parses them for both modes; the search one runs in cmd_benchmark_search.cpp).

#include <string>
#include <vector>

namespace hoshi::app {

struct SearchBenchArgs {
  std::string model;
  std::string config;
  std::vector<std::string> overrides;
  std::vector<int> threads = {1, 2};
  int visits = 800;
  double netSeconds = 3;  // longest timing of the network alone at each layout
};

// The full-search benchmark; returns the exit code.
int runSearchBenchmark(const SearchBenchArgs& args);

}  // namespace hoshi::app
