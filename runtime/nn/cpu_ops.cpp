#include "nn/cpu_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nn/activation.h"

namespace hoshi::nn {

void normActRows(const NormActDesc& n, const float* in, float* out, size_t rows) {
  for (size_t r = 0; r < rows; ++r)
    normActRow(in + r * n.channels, out + r * n.channels, n.scale.data(), n.bias.data(), n.channels,
               n.activation);
}

void addBias(const BiasDesc& bias, float* data, int batch, Activation act) {
  for (int b = 0; b < batch; ++b)
    for (int c = 0; c < bias.channels; ++c) {
      float& v = data[size_t(b) * bias.channels + c];
      v = activate(v + bias.weights[c], act);
    }
}

void addPerPosition(float* plane, const float* perBatch, int batch, int area, int ch) {
  for (int b = 0; b < batch; ++b)
    for (int p = 0; p < area; ++p) {
      float* dst = plane + (size_t(b) * area + p) * ch;
      const float* src = perBatch + size_t(b) * ch;
      for (int c = 0; c < ch; ++c) dst[c] += src[c];
    }
}

void poolPlane(const float* in, int area, int ch, bool valueHead, float* out) {
  const float w = std::sqrt(float(area)) - 14.0f;
  for (int c = 0; c < ch; ++c) {
    float sum = 0, mx = -std::numeric_limits<float>::infinity();
    for (int p = 0; p < area; ++p) {
      const float v = in[size_t(p) * ch + c];
      sum += v;
      mx = std::max(mx, v);
    }
    const float mean = sum / float(area);
    out[c] = mean;
    out[ch + c] = mean * w * 0.1f;
    out[2 * ch + c] = valueHead ? mean * (w * w * 0.01f - 0.1f) : mx;
  }
}

void poolBatch(const float* in, int batch, int area, int ch, bool valueHead, float* out) {
  for (int b = 0; b < batch; ++b)
    poolPlane(in + size_t(b) * area * ch, area, ch, valueHead, out + size_t(b) * 3 * ch);
}

}  // namespace hoshi::nn
