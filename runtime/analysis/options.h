#pragma once

// The JSON analysis engine (hoshi analysis): threads, history, TCP service limits: declared here
// once (name, range, default, help).

#include "config/options.h"

namespace hoshi::analysis {

void declareAnalysisOptions(config::OptionRegistry& registry);

}  // namespace hoshi::analysis
