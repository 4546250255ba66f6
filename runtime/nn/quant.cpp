#include "nn/quant.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hoshi::nn {

const TensorQuant& QuantTable::at(const std::string& tensor) const {
  auto it = tensors.find(tensor);
  if (it == tensors.end())
    throw std::runtime_error("quantization table has no scale for tensor '" + tensor + "'");
  return it->second;
}

std::string blockTensor(int block, const char* what) {
  return "b" + std::to_string(block) + "." + what;
}

namespace {

void scaleOutputs(ConvDesc& conv, const std::vector<float>& scale) {
  const size_t per = size_t(conv.inChannels) * conv.kernelY * conv.kernelX;
  for (int o = 0; o < conv.outChannels; ++o)
    for (size_t i = 0; i < per; ++i) conv.weights[o * per + i] *= scale[o];
}

void foldBlock(BlockDesc& b) {
  for (BlockDesc& inner : b.inner) foldBlock(inner);
  if (b.kind == BlockKind::kNestedBottleneck) return;  // conv1 feeds inner blocks, not a norm
  scaleOutputs(b.conv1, b.midNorm.scale);
  if (b.kind == BlockKind::kGlobalPooling) {
    // The pooled bias is added before midNorm, so it takes the same scale.
    MatMulDesc& m = b.gpoolToBias;
    for (int i = 0; i < m.inChannels; ++i)
      for (int o = 0; o < m.outChannels; ++o) m.weights[size_t(i) * m.outChannels + o] *= b.midNorm.scale[o];
    scaleOutputs(b.gpoolConv, b.gpoolNorm.scale);
    std::fill(b.gpoolNorm.scale.begin(), b.gpoolNorm.scale.end(), 1.0f);
  }
  std::fill(b.midNorm.scale.begin(), b.midNorm.scale.end(), 1.0f);
}

// Quantization error of clipping at `clip` (one step = clip / levels).
double clipError(const std::vector<float>& v, float clip, bool nonNegative) {
  const float step = clip / (nonNegative ? 255.0f : 127.0f);
  if (step <= 0) return 1e300;
  double err = 0;
  for (float x : v) {
    float q = std::nearbyint(x / step);
    q = nonNegative ? std::clamp(q, 0.0f, 255.0f) : std::clamp(q, -127.0f, 127.0f);
    double d = double(x) - double(q) * step;
    err += d * d;
  }
  return err;
}

}  // namespace

ModelDesc foldNorms(const ModelDesc& model) {
  ModelDesc out = model;
  for (BlockDesc& b : out.trunk.blocks) foldBlock(b);
  return out;
}

QuantizedWeights quantizeConvWeights(const ConvDesc& conv) {
  QuantizedWeights q;
  const size_t per = size_t(conv.inChannels) * conv.kernelY * conv.kernelX;
  q.values.resize(conv.weights.size());
  q.scales.resize(conv.outChannels);
  for (int o = 0; o < conv.outChannels; ++o) {
    float mx = 0;
    for (size_t i = 0; i < per; ++i) mx = std::max(mx, std::fabs(conv.weights[o * per + i]));
    // Clip where it lowers the squared rounding error (rare large weights
    // otherwise coarsen the whole channel). An all-zero channel keeps a
    // harmless non-zero scale.
    float s = mx > 0 ? mx / 127.0f : 1.0f;
    if (mx > 0) {
      const float* w = conv.weights.data() + o * per;
      double best = 1e300;
      for (int k = 100; k >= 50; k -= 2) {
        const float step = mx * float(k) / 100.0f / 127.0f;
        double err = 0;
        for (size_t i = 0; i < per; ++i) {
          const float r = std::clamp(std::nearbyint(w[i] / step), -127.0f, 127.0f);
          err += double(w[i] - r * step) * double(w[i] - r * step);
        }
        if (err < best) best = err, s = step;
      }
    }
    q.scales[o] = s;
    for (size_t i = 0; i < per; ++i) {
      float r = std::nearbyint(conv.weights[o * per + i] / s);
      q.values[o * per + i] = int8_t(std::clamp(r, -127.0f, 127.0f));
    }
  }
  return q;
}

std::vector<float> dequantizeConvWeights(const QuantizedWeights& q, int outChannels) {
  std::vector<float> w(q.values.size());
  const size_t per = q.values.size() / size_t(outChannels);
  for (int o = 0; o < outChannels; ++o)
    for (size_t i = 0; i < per; ++i) w[o * per + i] = float(q.values[o * per + i]) * q.scales[o];
  return w;
}

RangeCalibrator::RangeCalibrator(size_t maxSamplesPerTensor) : maxSamples_(maxSamplesPerTensor) {}

void RangeCalibrator::observe(const std::string& tensor, const float* data, size_t n) {
  Samples& s = samples_[tensor];
  for (size_t i = 0; i < n; ++i) {
    ++s.seen;
    if (s.values.size() < maxSamples_) {
      s.values.push_back(data[i]);
    } else {
      // Reservoir sampling: every value seen so far is kept with equal chance.
      uint64_t j = rng_() % s.seen;
      if (j < maxSamples_) s.values[j] = data[i];
    }
  }
}

std::vector<std::string> RangeCalibrator::tensorNames() const {
  std::vector<std::string> names;
  for (const auto& kv : samples_) names.push_back(kv.first);
  return names;
}

size_t RangeCalibrator::seen(const std::string& tensor) const {
  auto it = samples_.find(tensor);
  return it == samples_.end() ? 0 : it->second.seen;
}

const char* methodName(RangeCalibrator::Method m) {
  switch (m) {
    case RangeCalibrator::Method::kPercentile:
      return "percentile";
    case RangeCalibrator::Method::kLeastError:
      return "mse";
    case RangeCalibrator::Method::kMax:
      return "max";
  }
  return "?";
}

TensorQuant RangeCalibrator::choose(const std::string& tensor, Method method,
                                    bool nonNegative) const {
  auto it = samples_.find(tensor);
  if (it == samples_.end() || it->second.values.empty())
    throw std::runtime_error("calibration saw no values of tensor '" + tensor + "'");
  std::vector<float> mags;
  mags.reserve(it->second.values.size());
  for (float v : it->second.values) mags.push_back(nonNegative ? std::max(v, 0.0f) : std::fabs(v));
  std::sort(mags.begin(), mags.end());
  const float maxMag = std::max(mags.back(), 1e-6f);
  float clip = maxMag;
  if (method == Method::kPercentile) {
    clip = mags[size_t(0.9999 * double(mags.size() - 1))];
  } else if (method == Method::kLeastError) {
    double best = 1e300;
    for (int k = 100; k >= 10; --k) {
      const float c = maxMag * float(k) / 100.0f;
      double e = clipError(it->second.values, c, nonNegative);
      if (e < best) best = e, clip = c;
    }
  }
  clip = std::max(clip, 1e-6f);
  TensorQuant q;
  q.scale = clip / (nonNegative ? 255.0f : 127.0f);
  q.zeroPoint = nonNegative ? -128 : 0;
  return q;
}

}  // namespace hoshi::nn
