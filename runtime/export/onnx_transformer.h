#pragma once

// Model version 17 layers in ONNX (attention with grouped key/value heads and
// rotary position encoding, SwiGLU feed-forward, RMS norms), computed in FP32
// whatever the export precision. The trunk stays [N, C, H, W] between blocks;
// each block works on the points as a sequence [N, H*W, C]. Keys off the board
// (padding) get no attention weight. Only onnx_*.cpp include it.

#include <string>

#include "export/onnx_graph.h"
#include "nn/transformer_desc.h"

namespace hoshi::exporter {

struct SequenceContext {
  std::string xs, ys;   // [H*W] FP32 point coordinates (column, row)
  std::string keyBias;  // [N, 1, 1, H*W]: 0 on the board, -1e9 off it
  std::string mask;     // [N, 1, H, W]
  std::string maskSum;  // [N, 1]
};

// mask [N, 1, H, W] and maskSum [N, 1] FP32 from the caller; spatial is the
// graph input (for its dynamic height and width).
SequenceContext makeSequenceContext(OnnxGraph& g, const std::string& spatial,
                                    const std::string& mask, const std::string& maskSum);

// x + block(x) for x [N, C, H, W]; returns the FP32 sum.
std::string attentionBlock(OnnxGraph& g, const SequenceContext& ctx, const nn::AttentionDesc& a,
                           const std::string& x, const std::string& name);
std::string feedForwardBlock(OnnxGraph& g, const nn::FeedForwardDesc& f, const std::string& x,
                             const std::string& name);
// The trunk tip: RMS norm (per point or over the board), gamma, beta and the
// activation; without the mask (the caller applies it).
std::string tipRmsNorm(OnnxGraph& g, const SequenceContext& ctx, const nn::TipRmsNormDesc& n,
                       const std::string& x);

}  // namespace hoshi::exporter
