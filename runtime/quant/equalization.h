#pragma once

// Changes to a folded model that make its INT8 version closer to FP32:
// bias correction and cross-layer equalization.

#include <set>
#include <string>

#include "nn/model.h"
#include "quant/calibration.h"

namespace hoshi::quant {

// Bias correction: INT8 weights shift each output channel by about
// sum(dequantized - original weights) . E[input]; adds the opposite to the
// bias that follows each convolution in int8Convs (for conv2, every later
// consumer of the residual trunk). model must be folded.
void correctQuantizationBias(nn::ModelDesc& model, const std::set<std::string>& int8Convs,
                             const RangeCalibrator& means);

// Cross-layer equalization (as in SmoothQuant): for each INT8 convolution
// input ("b<i>.in", "b<i>.mid"), channel c of the tensor is divided by
// s[c] = max|x[c]|^alpha / max|w[.,c]|^(1 - alpha) (in the norm or the
// convolution that writes it; ReLU commutes with a positive scale) and the
// reading convolutions' input channel c multiplied by it. The FP32 function
// is unchanged; the per-tensor INT8 activation ranges become more even.
// model must be folded; ranges must hold per-channel maxima of those tensors
// (calibrate). alpha in (0, 1]; 0 returns the model unchanged. Tensors
// after a norm whose activation is not ReLU or identity are left alone.
nn::ModelDesc equalizeChannels(const nn::ModelDesc& model, const RangeCalibrator& ranges,
                               double alpha);

}  // namespace hoshi::quant
