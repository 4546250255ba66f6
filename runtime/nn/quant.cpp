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

void scaleOutputs(ConvDesc& conv, const std::vector<float>& scale) {
  if (conv.weights.empty()) return;  // INT8 weights kept apart: the file is folded already
  const size_t per = size_t(conv.inChannels) * conv.kernelY * conv.kernelX;
  for (int o = 0; o < conv.outChannels; ++o)
    for (size_t i = 0; i < per; ++i) conv.weights[o * per + i] *= scale[o];
}

namespace {

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

}  // namespace hoshi::nn
