#pragma once

// Activation functions of KataGo nets, shared by the Eigen kernels.

#include <algorithm>
#include <cmath>

#include "nn/model.h"

namespace hoshi::nn {

inline float activate(float x, Activation a) {
  switch (a) {
    case Activation::kIdentity:
      return x;
    case Activation::kRelu:
      return x > 0.0f ? x : 0.0f;
    case Activation::kMish: {
      // Same overflow guard as the reference: softplus is linear past 20.
      float sp = std::log1p(std::exp(std::min(x, 20.0f))) + (std::max(x, 20.0f) - 20.0f);
      return x * std::tanh(sp);
    }
    case Activation::kSilu:
      return x / (1.0f + std::exp(-x));
  }
  return x;
}

// dst[c] = act(src[c] * scale[c] + bias[c]) for n channels (in place allowed).
inline void normActRow(const float* src, float* dst, const float* scale, const float* bias, int n,
                       Activation a) {
  if (a == Activation::kRelu) {
    for (int c = 0; c < n; ++c) dst[c] = std::max(src[c] * scale[c] + bias[c], 0.0f);
  } else {
    for (int c = 0; c < n; ++c) dst[c] = activate(src[c] * scale[c] + bias[c], a);
  }
}

}  // namespace hoshi::nn
