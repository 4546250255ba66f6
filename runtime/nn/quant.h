#pragma once

// The run-time INT8 pieces shared by the Hoshi model file, the XNNPACK
// backend and the offline quantizer (runtime/quant):
//  - folding the batch norm that follows a convolution into its weights,
//  - per-output-channel INT8 weight scales,
//  - the activation scales of every quantized tensor (QuantTable).
// Range calibration, equalization and bias correction are offline: quant/.
//
// Tensor names are structural, not the KataGo layer names: "b<i>.in" (block
// i's normalised input), "b<i>.c1" (gpool block: conv1 before the bias),
// "b<i>.mid" (conv2's input), "b<i>.gpool", "b<i>.out" (conv2's output).
// Convolutions are named "b<i>.conv1", "b<i>.conv2", "b<i>.gpoolConv".

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nn/model.h"

namespace hoshi::nn {

// INT8 activations: post-ReLU tensors are unsigned in effect (zero point
// -128, range [0, 255 * scale]); the others are symmetric (zero point 0).
//
// A convolution writing the tensor may quantise it per channel: its output
// channel o is scaled by 1 / channel[o] inside the convolution (weights and
// bias; free for per-output-channel INT8 weights), quantised with outScale,
// and multiplied back by channel[o] when dequantised. Readers of the tensor
// use the per-tensor scale.
struct TensorQuant {
  float scale = 1.0f;
  int zeroPoint = 0;           // -128 or 0
  float outScale = 0.0f;       // 0: same as scale
  std::vector<float> channel;  // empty: per tensor
  float producerScale() const { return outScale > 0 ? outScale : scale; }
};

// Per-output-channel symmetric INT8: scale[o] = max|w[o]| / 127.
struct QuantizedWeights {
  std::vector<int8_t> values;  // same layout as ConvDesc::weights
  std::vector<float> scales;   // [outChannels]
};

struct QuantTable {
  std::map<std::string, TensorQuant> tensors;
  // Convolutions with INT8 weights, run in INT8 unless in floatActConvs;
  // every other one stays in floating point, stored FP16 (mixed precision:
  // the quantizer leaves out layers too sensitive).
  std::set<std::string> int8Convs;
  // Convolutions of int8Convs whose weights are INT8 (in the file: no size
  // cost) but whose activations stay float: the XNNPACK backend dequantizes
  // their weights once and runs them in FP32 (mixed precision for layers
  // whose INT8 activations cost too much accuracy).
  std::set<std::string> floatActConvs;
  // The INT8 weights of int8Convs as a Hoshi file stores them, when the
  // model was loaded without FP32 copies (their ConvDesc::weights are then
  // empty). Empty for a table the quantizer builds in memory.
  std::map<std::string, QuantizedWeights> weights;

  bool has(const std::string& tensor) const { return tensors.count(tensor) != 0; }
  const TensorQuant& at(const std::string& tensor) const;
  // INT8 weights (stored so in a Hoshi file), whatever the activations.
  bool quantizedConv(const std::string& conv) const { return int8Convs.count(conv) != 0; }
  bool floatActivations(const std::string& conv) const { return floatActConvs.count(conv) != 0; }
  // INT8 weights and INT8 activations (an XNNPACK qc8 operator).
  bool int8Activations(const std::string& conv) const {
    return quantizedConv(conv) && !floatActivations(conv);
  }
};

std::string blockTensor(int block, const char* what);

// Multiplies output channel o of conv's weights by scale[o] (nothing for a
// convolution whose INT8 weights are kept apart).
void scaleOutputs(ConvDesc& conv, const std::vector<float>& scale);

// Returns a copy where every norm that directly follows a convolution (block
// midNorm after conv1, gpoolNorm after gpoolConv) has its scale moved into
// the convolution's output channels (and the gpool bias columns), leaving
// scale 1. Same function up to rounding; a folded model folds to itself.
ModelDesc foldNorms(const ModelDesc& model);
// True when foldNorms would change nothing (every such norm has scale 1).
bool isFolded(const ModelDesc& model);

QuantizedWeights quantizeConvWeights(const ConvDesc& conv);
std::vector<float> dequantizeConvWeights(const QuantizedWeights& q, int outChannels);

}  // namespace hoshi::nn
