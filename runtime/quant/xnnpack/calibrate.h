#pragma once

// Post-training quantization with the XNNPACK FP32 net as the reference:
// activation ranges sampled through its taps (a QuantTable from them:
// quant/table.h), and a per-layer error trace of an INT8 net against the
// FP32 one.

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "quant/calibration.h"

namespace hoshi::quant {

// Ranges of every tensor an INT8 convolution reads or writes, from FP32
// forward passes over the inputs.
RangeCalibrator calibrate(std::shared_ptr<const nn::ModelDesc> model,
                          const std::vector<nn::EncodedPosition>& inputs, int threads,
                          const std::function<void(int, int)>& progress = {});

}  // namespace hoshi::quant
namespace hoshi::nn::xnn {
class XnnpackBackend;
}  // namespace hoshi::nn::xnn
namespace hoshi::quant {

// Runs every input once through backend, batched by board shape (inputs are
// in their symmetry's frame). Before a batch computes: beforeBatch(count,
// height, width); after it: afterBatch(inputs done, inputs in all). Either may
// be empty.
void forEachBatch(nn::xnn::XnnpackBackend& backend, const std::vector<nn::EncodedPosition>& inputs,
                  const std::function<void(int, int, int)>& beforeBatch,
                  const std::function<void(int, int)>& afterBatch);

struct LayerError {
  std::string tensor;
  double relativeRms = 0;  // sqrt(sum (test - ref)^2 / sum ref^2)
  double maxAbs = 0;
};

// Runs ref (FP32) and test (with quant, INT8) over the inputs and compares
// every tapped tensor, in network order.
std::vector<LayerError> traceLayers(std::shared_ptr<const nn::ModelDesc> ref,
                                    std::shared_ptr<const nn::ModelDesc> test,
                                    std::shared_ptr<const nn::QuantTable> quant,
                                    const std::vector<nn::EncodedPosition>& inputs);

}  // namespace hoshi::quant
