#pragma once

// Shape checks for a ModelDesc that did not come through the KataGo parser
// (a Hoshi model file): every tensor holds as many values as its dimensions
// say, and the layers fit together the way parseModel requires of a KataGo
// file. The backends rely on both; a file that breaks them would otherwise
// make them read or write out of bounds.

#include "nn/model.h"

namespace hoshi::nn {

// Throws std::runtime_error naming the first layer that does not fit.
// int8Elsewhere: a convolution may have no FP32 weights at all (a Hoshi file
// loaded keeping its INT8 weights apart; the reader checked their count).
void checkModelShapes(const ModelDesc& model, bool int8Elsewhere = false);

}  // namespace hoshi::nn
