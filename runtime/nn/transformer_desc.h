#pragma once

// Layer descriptions of KataGo's model version 17 transformer trunks:
// pre-norm attention and feed-forward residual blocks over the board points
// as a sequence, and the RMS-norm trunk tip. model.h only forward-declares
// these (a conv block carries none), so layers that need them include this.

#include <string>
#include <vector>

#include "nn/model.h"

namespace hoshi::nn {

// Per-point RMS norm without bias: y[c] = x[c] / rms(x) * weight[c].
struct RmsNormDesc {
  std::string name;
  int channels = 0;
  float epsilon = 0.0f;
  std::vector<float> weight;
};

enum class RopeKind { kNone, kFixed, kLearned };

// Multi-head self-attention with grouped key/value heads: query head h reads
// key/value head h / (heads / kvHeads). Rotary position encoding rotates
// channel pairs (2p, 2p+1) of every query and key head by an angle that
// depends on the point's (x, y).
struct AttentionDesc {
  int heads = 0;
  int kvHeads = 0;
  int qkHeadDim = 0;  // query and key channels per head
  int vHeadDim = 0;   // value channels per head
  RopeKind rope = RopeKind::kNone;
  float ropeTheta = 0.0f;  // kFixed: base of the frequency ladder
  // kLearned: [kvHeads][qkHeadDim / 2][2] angular speeds along x and y.
  std::vector<float> ropeFreqs;
  RmsNormDesc preNorm;
  MatMulDesc query, key, value, output;
};

// Gated feed-forward (SwiGLU): x += W2 (silu(W1 t) * (Wg t)), t = norm(x).
struct FeedForwardDesc {
  int hiddenChannels = 0;
  RmsNormDesc preNorm;
  MatMulDesc linear1, gate, linear2;
};

// Trunk tip RMS norm with gamma, beta and the tip activation. Per point
// (spatial = false) or over every point and channel of a position
// (spatial = true).
struct TipRmsNormDesc {
  std::string name;
  int channels = 0;
  float epsilon = 0.0f;
  bool spatial = false;
  std::vector<float> gamma;
  std::vector<float> beta;
  Activation activation = Activation::kIdentity;
};

}  // namespace hoshi::nn
