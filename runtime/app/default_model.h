#pragma once

#include <string>
#include <vector>

namespace hoshi::app {

// The file name a default network goes by beside the binary and in the
// package's data folder.
inline constexpr const char* kDefaultModelName = "default_model.bin.gz";

// Where `hoshi gtp` without -model looks for a network, in order, as KataGo
// does: next to the binary, the package's /usr/share/hoshi, then the net the
// source tree ships (its path compiled in; absent on an installed system).
std::vector<std::string> defaultModelCandidates();

// The first candidate that is a regular file, or "" when none is.
std::string findDefaultModel(const std::vector<std::string>& candidates);

}  // namespace hoshi::app
