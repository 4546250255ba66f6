#pragma once

#include <cstdint>

#include "nn/backend.h"

namespace hoshi::nn {

// Adds `batch` inputs shaped like game positions (on-board mask, sparse
// stones and features) to a computation, for timing: a dense net's speed
// does not depend on the values.
void fillBenchmarkInputs(Computation& comp, const BackendAttributes& attr, int size, int batch,
                         uint32_t seed = 12345);

}  // namespace hoshi::nn
