#pragma once

// Eigen FP32 computation of the version 17 trunk layers on NHWC activations
// ([batch][y][x][channels], the board points of one position form the
// sequence). Attention only ever sees the points of the real board, so no
// padding mask is needed: that is KataGo's masked computation restricted to
// the board.

#include <cstddef>
#include <vector>

#include "nn/transformer_desc.h"

namespace hoshi::nn {

class ThreadPool;

// Rotary encoding angles of one attention block at one board size:
// cos/sin [table][pair][point], one table per kv head (learned frequencies)
// or a single table shared by every head (fixed theta).
struct RopeTable {
  int tables = 0;
  int pairs = 0;
  int area = 0;
  std::vector<float> cos, sin;
};

RopeTable makeRopeTable(const AttentionDesc& a, int ySize, int xSize);

// Scratch floats the block needs for `batch` positions of `area` points.
size_t attentionScratchFloats(const AttentionDesc& a, int channels, int batch, int area);
size_t feedForwardScratchFloats(const FeedForwardDesc& f, int channels, int batch, int area);

// trunk[b][p][c] += attention(rmsNorm(trunk)) for c < channels.
void runAttention(const AttentionDesc& a, const RopeTable& rope, float* trunk, int channels,
                  int batch, int area, float* scratch, ThreadPool& pool);
// trunk += linear2(silu(linear1(t)) * gate(t)), t = rmsNorm(trunk).
void runFeedForward(const FeedForwardDesc& f, float* trunk, int channels, int batch, int area,
                    float* scratch, ThreadPool& pool);
// out = act(rmsNorm(in) * gamma + beta); in and out may alias.
void applyTipRmsNorm(const TipRmsNormDesc& n, const float* in, float* out, int batch, int area,
                     ThreadPool& pool);

}  // namespace hoshi::nn
