#pragma once

// The network's settings: declared here once (name, range, default, help)
// and turned into the evaluator's options in one place.

#include "config/options.h"
#include "nn/evaluator.h"

namespace hoshi::nn {

void declareNetworkOptions(config::OptionRegistry& registry);

// nnBackend, nnThreads, nnMaxBatchSize, nnLanes, nnPrecision, nnAutoCacheDir,
// cudaDevice, and numSearchThreads (the positions "auto" measures with).
EvaluatorOptions evaluatorOptionsFrom(const config::Params& p);

}  // namespace hoshi::nn
