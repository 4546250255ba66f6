#pragma once

// The weightless fake backend ("fake", nnBackend = fake): for search, GTP
// and analysis tests and soaks; not listed to users (hoshi info).

#include <memory>

#include "nn/backend.h"
#include "nn/registry.h"

namespace hoshi::nn {

// The backend's factory (the one shape, nn/registry.h). model may be null
// (the shapes of a version-8 net); BackendOptions::fakeMode is "uniform" or
// "random", anything else throws std::invalid_argument.
std::unique_ptr<Backend> createFakeBackend(std::shared_ptr<const ModelDesc> model,
                                           const BackendOptions& options);

// Adds "fake" (unlisted, takes any model version) to the registry.
void registerFakeBackend(BackendRegistry& registry);

}  // namespace hoshi::nn
