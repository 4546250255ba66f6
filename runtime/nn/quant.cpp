#include "nn/quant.h"

#include <algorithm>
#include <cmath>
#include <functional>
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
  if (conv.weights.empty()) return;  // INT8 weights kept apart: the file is folded already
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
      for (int o = 0; o < m.outChannels; ++o)
        m.weights[size_t(i) * m.outChannels + o] *= b.midNorm.scale[o];
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

bool isFolded(const ModelDesc& model) {
  auto ones = [](const NormActDesc& n) {
    return std::all_of(n.scale.begin(), n.scale.end(), [](float v) { return v == 1.0f; });
  };
  std::function<bool(const BlockDesc&)> folded = [&](const BlockDesc& b) {
    for (const BlockDesc& inner : b.inner)
      if (!folded(inner)) return false;
    if (b.kind == BlockKind::kNestedBottleneck) return true;
    return ones(b.midNorm) && (b.kind != BlockKind::kGlobalPooling || ones(b.gpoolNorm));
  };
  return std::all_of(model.trunk.blocks.begin(), model.trunk.blocks.end(), folded);
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

void RangeCalibrator::observe(const std::string& tensor, const float* data, size_t n,
                              int channels) {
  Samples& s = samples_[tensor];
  if (channels > 0) s.channelMax.resize(size_t(channels), 0.0f);
  for (size_t i = 0; i < n; ++i) {
    const uint16_t c = channels > 0 ? uint16_t(i % size_t(channels)) : 0;
    if (channels > 0) s.channelMax[c] = std::max(s.channelMax[c], std::fabs(data[i]));
    ++s.seen;
    size_t slot = s.values.size();
    if (slot >= maxSamples_) {
      // Reservoir sampling: every value seen so far is kept with equal chance.
      slot = size_t(rng_() % s.seen);
      if (slot >= maxSamples_) continue;
    } else {
      s.values.push_back(0);
      s.channels.push_back(0);
    }
    s.values[slot] = data[i];
    s.channels[slot] = c;
  }
}

const std::vector<float>* RangeCalibrator::channelMax(const std::string& tensor) const {
  auto it = samples_.find(tensor);
  return it == samples_.end() || it->second.channelMax.empty() ? nullptr : &it->second.channelMax;
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

void RangeCalibrator::observeMeans(const std::string& tensor, const float* data, size_t n,
                                   int channels) {
  auto& [sums, rows] = sums_[tensor];
  sums.resize(size_t(channels), 0.0);
  for (size_t r = 0; r < n / size_t(channels); ++r)
    for (int c = 0; c < channels; ++c) sums[size_t(c)] += data[r * channels + c];
  rows += n / size_t(channels);
  means_.erase(tensor);
}

const std::vector<double>* RangeCalibrator::channelMeans(const std::string& tensor) const {
  auto it = sums_.find(tensor);
  if (it == sums_.end() || it->second.second == 0) return nullptr;
  auto& m = means_[tensor];
  if (m.empty())
    for (double s : it->second.first) m.push_back(s / double(it->second.second));
  return &m;
}

namespace {

// Per output channel: -(dequantized - original weights) . mean input.
std::vector<float> biasShift(const ConvDesc& conv, const std::vector<double>& mean) {
  QuantizedWeights q = quantizeConvWeights(conv);
  std::vector<float> deq = dequantizeConvWeights(q, conv.outChannels);
  const size_t taps = size_t(conv.kernelY) * conv.kernelX;
  std::vector<float> shift(size_t(conv.outChannels), 0.0f);
  for (int o = 0; o < conv.outChannels; ++o) {
    double s = 0;
    for (int i = 0; i < conv.inChannels; ++i)
      for (size_t t = 0; t < taps; ++t) {
        const size_t k = (size_t(o) * conv.inChannels + i) * taps + t;
        s += (double(deq[k]) - conv.weights[k]) * mean[size_t(i)];
      }
    shift[size_t(o)] = float(-s);
  }
  return shift;
}

}  // namespace

void correctQuantizationBias(ModelDesc& model, const std::set<std::string>& int8Convs,
                             const RangeCalibrator& means) {
  auto& blocks = model.trunk.blocks;
  for (size_t i = 0; i < blocks.size(); ++i) {
    BlockDesc& b = blocks[i];
    const int bi = int(i);
    const std::vector<double>* in = means.channelMeans(blockTensor(bi, "in"));
    const std::vector<double>* mid = means.channelMeans(blockTensor(bi, "mid"));
    if (int8Convs.count(blockTensor(bi, "conv1")) && in) {
      std::vector<float> d = biasShift(b.conv1, *in);
      for (size_t c = 0; c < d.size(); ++c) b.midNorm.bias[c] += d[c];
    }
    if (int8Convs.count(blockTensor(bi, "gpoolConv")) && in) {
      std::vector<float> d = biasShift(b.gpoolConv, *in);
      for (size_t c = 0; c < d.size(); ++c) b.gpoolNorm.bias[c] += d[c];
    }
    if (int8Convs.count(blockTensor(bi, "conv2")) && mid) {
      // The shift lands in the trunk: every later norm reading it absorbs it.
      std::vector<float> d = biasShift(b.conv2, *mid);
      auto absorb = [&](NormActDesc& n) {
        for (size_t c = 0; c < d.size(); ++c) n.bias[c] += n.scale[c] * d[c];
      };
      for (size_t j = i + 1; j < blocks.size(); ++j) absorb(blocks[j].preNorm);
      absorb(model.trunk.tipNorm);
    }
  }
}

namespace {

bool positivelyHomogeneous(Activation a) {
  return a == Activation::kRelu || a == Activation::kIdentity;
}

// max |w[o][c][taps]| over o and taps, per input channel c.
void inputChannelMax(const ConvDesc& conv, std::vector<float>& out) {
  const size_t taps = size_t(conv.kernelY) * conv.kernelX;
  out.resize(size_t(conv.inChannels), 0.0f);
  for (int o = 0; o < conv.outChannels; ++o)
    for (int c = 0; c < conv.inChannels; ++c)
      for (size_t t = 0; t < taps; ++t)
        out[size_t(c)] = std::max(
            out[size_t(c)], std::fabs(conv.weights[(size_t(o) * conv.inChannels + c) * taps + t]));
}

void scaleInputs(ConvDesc& conv, const std::vector<float>& s) {
  const size_t taps = size_t(conv.kernelY) * conv.kernelX;
  for (int o = 0; o < conv.outChannels; ++o)
    for (int c = 0; c < conv.inChannels; ++c)
      for (size_t t = 0; t < taps; ++t)
        conv.weights[(size_t(o) * conv.inChannels + c) * taps + t] *= s[size_t(c)];
}

// s[c] from activation and weight maxima; empty when it cannot be chosen.
std::vector<float> smoothing(const std::vector<float>* act, const std::vector<float>& w,
                             double alpha) {
  if (!act || act->size() != w.size()) return {};
  std::vector<float> s(w.size(), 1.0f);
  for (size_t c = 0; c < w.size(); ++c)
    if ((*act)[c] > 1e-6f && w[c] > 1e-9f)
      s[c] = float(std::pow(double((*act)[c]), alpha) / std::pow(double(w[c]), 1.0 - alpha));
  // Only ratios matter; keep the geometric mean at 1 (weights stay near their scale).
  double logSum = 0;
  for (float v : s) logSum += std::log(double(v));
  const float norm = float(std::exp(logSum / double(s.size())));
  for (float& v : s) v = std::clamp(v / norm, 1e-3f, 1e3f);
  return s;
}

}  // namespace

ModelDesc equalizeChannels(const ModelDesc& model, const RangeCalibrator& ranges, double alpha) {
  ModelDesc out = model;
  if (alpha <= 0) return out;
  for (size_t i = 0; i < out.trunk.blocks.size(); ++i) {
    BlockDesc& b = out.trunk.blocks[i];
    if (b.kind == BlockKind::kNestedBottleneck) continue;
    const bool gpool = b.kind == BlockKind::kGlobalPooling;
    const int bi = int(i);
    std::vector<float> w, wg;
    if (positivelyHomogeneous(b.preNorm.activation)) {
      inputChannelMax(b.conv1, w);
      if (gpool) {
        inputChannelMax(b.gpoolConv, wg);
        for (size_t c = 0; c < w.size(); ++c) w[c] = std::max(w[c], wg[c]);
      }
      std::vector<float> s = smoothing(ranges.channelMax(blockTensor(bi, "in")), w, alpha);
      if (!s.empty()) {
        for (size_t c = 0; c < s.size(); ++c) b.preNorm.scale[c] /= s[c], b.preNorm.bias[c] /= s[c];
        scaleInputs(b.conv1, s);
        if (gpool) scaleInputs(b.gpoolConv, s);
      }
    }
    if (!positivelyHomogeneous(b.midNorm.activation)) continue;
    inputChannelMax(b.conv2, w);
    std::vector<float> s = smoothing(ranges.channelMax(blockTensor(bi, "mid")), w, alpha);
    if (s.empty()) continue;
    std::vector<float> inv(s.size());
    for (size_t c = 0; c < s.size(); ++c) inv[c] = 1.0f / s[c];
    scaleOutputs(b.conv1, inv);
    // Folded: midNorm's scale is 1 (it lives in conv1), so only the bias moves.
    for (size_t c = 0; c < s.size(); ++c) b.midNorm.bias[c] *= inv[c];
    if (gpool) {
      MatMulDesc& m = b.gpoolToBias;
      for (int r = 0; r < m.inChannels; ++r)
        for (int o = 0; o < m.outChannels; ++o)
          m.weights[size_t(r) * m.outChannels + o] *= inv[size_t(o)];
    }
    scaleInputs(b.conv2, s);
  }
  return out;
}

const char* methodName(RangeCalibrator::Method m) {
  switch (m) {
    case RangeCalibrator::Method::kPercentile:
      return "percentile";
    case RangeCalibrator::Method::kLeastError:
      return "mse";
    case RangeCalibrator::Method::kMax:
      return "max";
    case RangeCalibrator::Method::kLeastErrorMaxOut:
      return "mse-maxout";
  }
  return "?";
}

namespace {

float chooseClip(const std::vector<float>& values, RangeCalibrator::Method method,
                 bool nonNegative) {
  std::vector<float> mags;
  mags.reserve(values.size());
  for (float v : values) mags.push_back(nonNegative ? std::max(v, 0.0f) : std::fabs(v));
  std::sort(mags.begin(), mags.end());
  const float maxMag = std::max(mags.back(), 1e-6f);
  float clip = maxMag;
  if (method == RangeCalibrator::Method::kPercentile) {
    clip = mags[size_t(0.9999 * double(mags.size() - 1))];
  } else if (method == RangeCalibrator::Method::kLeastError ||
             method == RangeCalibrator::Method::kLeastErrorMaxOut) {
    double best = 1e300;
    for (int k = 100; k >= 10; --k) {
      const float c = maxMag * float(k) / 100.0f;
      double e = clipError(values, c, nonNegative);
      if (e < best) best = e, clip = c;
    }
  }
  return std::max(clip, 1e-6f);
}

}  // namespace

TensorQuant RangeCalibrator::choose(const std::string& tensor, Method method, bool nonNegative,
                                    bool perChannel) const {
  auto it = samples_.find(tensor);
  if (it == samples_.end() || it->second.values.empty())
    throw std::runtime_error("calibration saw no values of tensor '" + tensor + "'");
  const Samples& s = it->second;
  const float levels = nonNegative ? 255.0f : 127.0f;
  TensorQuant q;
  q.scale = chooseClip(s.values, method, nonNegative) / levels;
  q.zeroPoint = nonNegative ? -128 : 0;
  if (perChannel && !s.channelMax.empty()) {
    // Each channel stretched to the widest one's range, then one clip for all.
    const float widest =
        std::max(*std::max_element(s.channelMax.begin(), s.channelMax.end()), 1e-6f);
    for (float m : s.channelMax) q.channel.push_back(std::max(m / widest, 1.0f / 64.0f));
    std::vector<float> normalised(s.values.size());
    for (size_t i = 0; i < s.values.size(); ++i)
      normalised[i] = s.values[i] / q.channel[s.channels[i]];
    q.outScale = chooseClip(normalised, method, nonNegative) / levels;
  }
  return q;
}

}  // namespace hoshi::nn
