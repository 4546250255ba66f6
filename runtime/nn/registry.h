#pragma once

// Factories of the compiled-in backends; nn/registry.cpp lists them by name
// (createBackend / backendNames in nn/backend.h are the public entry).

#include <memory>

#include "nn/backend.h"

namespace hoshi::nn {

std::unique_ptr<Backend> createEigenBackend(std::shared_ptr<const ModelDesc> model,
                                            const BackendOptions& options);
std::unique_ptr<Backend> createFakeBackend(std::shared_ptr<const ModelDesc> model,
                                           const BackendOptions& options);

}  // namespace hoshi::nn
