#pragma once

// Post-training quantization pieces shared by the Hoshi model file, the
// XNNPACK backend and `hoshi quantize` / `hoshi compare`:
//  - folding the batch norm that follows a convolution into its weights,
//  - per-output-channel INT8 weight scales,
//  - the activation scales of every quantized tensor (QuantTable),
//  - range calibration from sampled activations (percentile or least error).
//
// Tensor names are structural, not the KataGo layer names: "b<i>.in" (block
// i's normalised input), "b<i>.c1" (gpool block: conv1 before the bias),
// "b<i>.mid" (conv2's input), "b<i>.gpool", "b<i>.out" (conv2's output).
// Convolutions are named "b<i>.conv1", "b<i>.conv2", "b<i>.gpoolConv".

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "nn/model.h"

namespace hoshi::nn {

// INT8 activations: post-ReLU tensors are unsigned in effect (zero point
// -128, range [0, 255 * scale]); the others are symmetric (zero point 0).
struct TensorQuant {
  float scale = 1.0f;
  int zeroPoint = 0;  // -128 or 0
};

struct QuantTable {
  std::map<std::string, TensorQuant> tensors;
  // Convolutions run in INT8; every other one stays in floating point
  // (mixed precision: the quantizer leaves out layers too sensitive).
  std::set<std::string> int8Convs;

  bool has(const std::string& tensor) const { return tensors.count(tensor) != 0; }
  const TensorQuant& at(const std::string& tensor) const;
  bool quantizedConv(const std::string& conv) const { return int8Convs.count(conv) != 0; }
};

std::string blockTensor(int block, const char* what);

// Returns a copy where every norm that directly follows a convolution (block
// midNorm after conv1, gpoolNorm after gpoolConv) has its scale moved into
// the convolution's output channels (and the gpool bias columns), leaving
// scale 1. Same function up to rounding; a folded model folds to itself.
ModelDesc foldNorms(const ModelDesc& model);

// Per-output-channel symmetric INT8: scale[o] = max|w[o]| / 127.
struct QuantizedWeights {
  std::vector<int8_t> values;  // same layout as ConvDesc::weights
  std::vector<float> scales;   // [outChannels]
};
QuantizedWeights quantizeConvWeights(const ConvDesc& conv);
std::vector<float> dequantizeConvWeights(const QuantizedWeights& q, int outChannels);

// Samples of each tensor's values (bounded reservoir), then a scale per tensor.
class RangeCalibrator {
 public:
  explicit RangeCalibrator(size_t maxSamplesPerTensor = 400000);
  void observe(const std::string& tensor, const float* data, size_t n);
  enum class Method { kPercentile, kLeastError, kMax };
  // nonNegative: the tensor follows a ReLU (zero point -128).
  TensorQuant choose(const std::string& tensor, Method method, bool nonNegative) const;
  std::vector<std::string> tensorNames() const;
  size_t seen(const std::string& tensor) const;

 private:
  struct Samples {
    std::vector<float> values;
    size_t seen = 0;
  };
  size_t maxSamples_;
  std::map<std::string, Samples> samples_;
  std::mt19937_64 rng_{0x5eed};
};

const char* methodName(RangeCalibrator::Method m);

}  // namespace hoshi::nn
