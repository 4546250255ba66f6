#pragma once

// The QuantTable (nn/quant.h) of a folded model from calibrated ranges:
// which convolutions run in INT8 and the scale of every tensor they read or
// write. No backend is involved.

#include <set>
#include <string>
#include <vector>

#include "nn/model.h"
#include "nn/quant.h"
#include "quant/calibration.h"

namespace hoshi::quant {

// Every block convolution in INT8 except keepFloat; scales by `method`.
nn::QuantTable buildQuantTable(const nn::ModelDesc& model, const RangeCalibrator& ranges,
                               RangeCalibrator::Method method,
                               const std::set<std::string>& keepFloat = {}, bool perChannel = true);

// Names of the convolutions buildQuantTable may quantize, in network order.
std::vector<std::string> quantizableConvs(const nn::ModelDesc& model);

}  // namespace hoshi::quant
