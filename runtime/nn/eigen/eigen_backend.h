#pragma once

// The Eigen FP32 backend ("eigen"): every model version on the CPU, the
// reference every other backend is checked against.

#include <memory>

#include "nn/backend.h"
#include "nn/registry.h"

namespace hoshi::nn {

// The backend's factory (the one shape, nn/registry.h). Throws
// std::runtime_error without a model, std::invalid_argument for threads,
// maxBatch or lanes out of range.
std::unique_ptr<Backend> createEigenBackend(std::shared_ptr<const ModelDesc> model,
                                            const BackendOptions& options);

// Adds "eigen" (listed, computes version 17 layers) to the registry.
void registerEigenBackend(BackendRegistry& registry);

}  // namespace hoshi::nn
