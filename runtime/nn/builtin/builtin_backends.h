#pragma once

// Every backend compiled into this build, registered in the order users see
// them (eigen, fake, cuda, xnnpack): the one place that names them all. Its
// library, hoshi_nn_builtin, links the backend libraries, which link
// hoshi_nn, so nn/ itself depends on none of them. A program calls this once
// when it starts (app/main.cpp, the test mains), before any createBackend.

#include "nn/registry.h"

namespace hoshi::nn {

// Calling it again does nothing.
void registerBuiltinBackends(BackendRegistry& registry = backendRegistry());

}  // namespace hoshi::nn
