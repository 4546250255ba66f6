#include "quant/equalization.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/quant.h"

namespace hoshi::quant {

using namespace nn;

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

}  // namespace hoshi::quant
