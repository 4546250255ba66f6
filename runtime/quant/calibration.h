#pragma once

// Range calibration from sampled activations (percentile, least error or
// max): the activation scales of a QuantTable (nn/quant.h).

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "nn/quant.h"

namespace hoshi::quant {

// Samples of each tensor's values (bounded reservoir), then a scale per tensor.
class RangeCalibrator {
 public:
  explicit RangeCalibrator(size_t maxSamplesPerTensor = 400000);
  // data is [rows][channels]; channels > 0 also tracks per-channel ranges.
  void observe(const std::string& tensor, const float* data, size_t n, int channels = 0);
  // kLeastErrorMaxOut: least error, except the convolution outputs added to
  // the residual trunk ("b<i>.out"), which keep their whole range (a clipped
  // outlier there is carried by every later block). buildQuantTable applies it.
  enum class Method { kPercentile, kLeastError, kMax, kLeastErrorMaxOut };
  // nonNegative: the tensor follows a ReLU (zero point -128). perChannel
  // adds the producer's per-channel factors (see TensorQuant).
  nn::TensorQuant choose(const std::string& tensor, Method method, bool nonNegative,
                         bool perChannel = false) const;
  std::vector<std::string> tensorNames() const;
  // max |value| of each channel (empty unless observed with channels).
  const std::vector<float>* channelMax(const std::string& tensor) const;
  size_t seen(const std::string& tensor) const;
  // Per-channel means of a [rows][channels] tensor (bias correction).
  void observeMeans(const std::string& tensor, const float* data, size_t n, int channels);
  const std::vector<double>* channelMeans(const std::string& tensor) const;

 private:
  struct Samples {
    std::vector<float> values;
    std::vector<uint16_t> channels;  // of each value (when tracked)
    std::vector<float> channelMax;   // max |value| per channel
    size_t seen = 0;
  };
  size_t maxSamples_;
  std::map<std::string, Samples> samples_;
  std::map<std::string, std::pair<std::vector<double>, size_t>> sums_;  // sums, rows
  mutable std::map<std::string, std::vector<double>> means_;
  std::mt19937_64 rng_{0x5eed};
};

const char* methodName(RangeCalibrator::Method m);

}  // namespace hoshi::quant
