#pragma once

// The INT8 recipe of `hoshi quantize` (XNNPACK runs the candidate nets).

#include <memory>

#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "quant/quantize.h"

namespace hoshi::quant {

// Quantizes source (FP32, any KataGo net) as options say and writes
// options.out, with w's metadata plus the recipe's choices and its held-out
// check. Prints each choice's measurements on stdout. Throws
// std::runtime_error.
void quantizeInt8(const QuantizeOptions& options, std::shared_ptr<const nn::ModelDesc> source,
                  nn::HoshiWriteOptions& w);

}  // namespace hoshi::quant
