#pragma once

// GPTQ weights (quant/gptq.h) for the INT8 convolutions of a folded
// model, from their FP32 inputs on calibration positions seen through the
// XNNPACK FP32 net's taps.

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nn/evaluator.h"
#include "nn/model.h"
#include "quant/gptq.h"

namespace hoshi::quant {

struct GptqLayer {
  std::string conv;
  double rtnError = 0, gptqError = 0;  // convOutputError on the calibration inputs
};

struct GptqResult {
  std::shared_ptr<const nn::ModelDesc> model;  // int8Convs hold dequantized GPTQ weights
  std::vector<GptqLayer> layers;
};

// A copy of model (folded) where each convolution of int8Convs has its
// GPTQ INT8 weights, dequantized: quantizeConvWeights of them, as the
// backend and the Hoshi file writer do, gives those INT8 values back. The
// moments come from at most maxPositions of inputs.
GptqResult gptqModel(std::shared_ptr<const nn::ModelDesc> model,
                     const std::set<std::string>& int8Convs,
                     const std::vector<nn::EncodedPosition>& inputs, size_t maxPositions = 200,
                     const GptqOptions& options = {},
                     const std::function<void(int, int)>& progress = {});

}  // namespace hoshi::quant
