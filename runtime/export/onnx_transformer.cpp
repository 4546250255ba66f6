#ifdef HOSHI_WITH_ONNX
#include "export/onnx_transformer.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace hoshi::exporter {

namespace {

constexpr DType kF = DType::kFloat;

std::string reshape(OnnxGraph& g, const std::string& x, const std::vector<int64_t>& shape,
                    const std::string& hint) {
  return g.op("Reshape", {x, g.int64s(shape)}, hint, kF);
}

std::string transpose(OnnxGraph& g, const std::string& x, const std::vector<int64_t>& perm,
                      const std::string& hint) {
  onnx::NodeProto* n = g.node("Transpose", {x}, hint, kF);
  OnnxGraph::setInts(n, "perm", perm);
  return g.out(n);
}

// [N, C, H, W] -> [N, H*W, C] and back (to the shape of `like`).
std::string toSequence(OnnxGraph& g, const std::string& x, const std::string& hint) {
  return transpose(g, reshape(g, x, {0, 0, -1}, hint + ".flat"), {0, 2, 1}, hint + ".seq");
}

std::string fromSequence(OnnxGraph& g, const std::string& s, const std::string& like,
                         const std::string& hint) {
  const std::string t = transpose(g, s, {0, 2, 1}, hint + ".chw");
  const std::string shape = g.op("Shape", {like}, hint + ".shape", kF);
  return g.op("Reshape", {t, shape}, hint + ".planes", kF);
}

std::string matMul(OnnxGraph& g, const std::string& x, const nn::MatMulDesc& m) {
  const std::string w = g.weights(m.name + ".w", {m.inChannels, m.outChannels}, m.weights, kF);
  return g.op("MatMul", {x, w}, m.name, kF);
}

// Per point over the last axis: x / sqrt(mean(x^2) + eps) * weight.
std::string rmsNorm(OnnxGraph& g, const nn::RmsNormDesc& n, const std::string& x) {
  const std::string sq = g.op("Mul", {x, x}, n.name + ".sq", kF);
  onnx::NodeProto* mean = g.node("ReduceMean", {sq}, n.name + ".meansq", kF);
  OnnxGraph::setInts(mean, "axes", {-1});
  OnnxGraph::setInt(mean, "keepdims", 1);
  const std::string rms =
      g.op("Sqrt", {g.op("Add", {g.out(mean), g.scalar(n.epsilon, kF)}, n.name + ".eps", kF)},
           n.name + ".rms", kF);
  const std::string y = g.op("Div", {x, rms}, n.name + ".normed", kF);
  return g.op("Mul", {y, g.weights(n.name + ".weight", {n.channels}, n.weight, kF)},
              n.name + ".scaled", kF);
}

// [N, HW, heads * dim] -> [N, heads, HW, dim].
std::string splitHeads(OnnxGraph& g, const std::string& x, int heads, int dim,
                       const std::string& hint) {
  return transpose(g, reshape(g, x, {0, 0, heads, dim}, hint + ".heads"), {0, 2, 1, 3},
                   hint + ".hfirst");
}

struct Rope {
  std::string cos, sin;  // [T, HW, pairs, 1]
};

// Angles of every point: x * fx[t][p] + y * fy[t][p] (fixed theta: the first
// half of the pairs turns with y, the second with x).
Rope ropeTables(OnnxGraph& g, const SequenceContext& ctx, const nn::AttentionDesc& a,
                const std::string& hint) {
  const int pairs = a.qkHeadDim / 2, half = pairs / 2;
  const int tables = a.rope == nn::RopeKind::kLearned ? a.kvHeads : 1;
  std::vector<float> fx(size_t(tables) * pairs), fy(fx.size());
  for (int t = 0; t < tables; ++t)
    for (int p = 0; p < pairs; ++p) {
      const size_t i = size_t(t) * pairs + p;
      if (a.rope == nn::RopeKind::kLearned) {
        fx[i] = a.ropeFreqs[i * 2];
        fy[i] = a.ropeFreqs[i * 2 + 1];
      } else {
        const int k = p < half ? p : p - half;
        const float freq = 1.0f / std::pow(a.ropeTheta, float(2 * k) / float(pairs));
        (p < half ? fy[i] : fx[i]) = freq;
        (p < half ? fx[i] : fy[i]) = 0.0f;
      }
    }
  const std::string xs = reshape(g, ctx.xs, {1, -1, 1}, hint + ".x");
  const std::string ys = reshape(g, ctx.ys, {1, -1, 1}, hint + ".y");
  const std::string ax =
      g.op("Mul", {xs, g.weights(hint + ".fx", {tables, 1, pairs}, fx, kF)}, hint + ".ax", kF);
  const std::string ay =
      g.op("Mul", {ys, g.weights(hint + ".fy", {tables, 1, pairs}, fy, kF)}, hint + ".ay", kF);
  const std::string angle = reshape(g, g.op("Add", {ax, ay}, hint + ".angle", kF),
                                    {tables, -1, pairs, 1}, hint + ".angle4");
  return {g.op("Cos", {angle}, hint + ".cos", kF), g.op("Sin", {angle}, hint + ".sin", kF)};
}

// Rotates the channel pairs of v [N, heads, HW, dim]; head h uses table
// h / headsPerTable (one table: all heads).
std::string rotate(OnnxGraph& g, const Rope& rope, const std::string& v, int heads, int dim,
                   int tables, int headsPerTable, const std::string& hint) {
  std::string c = rope.cos, s = rope.sin;
  if (tables > 1) {
    std::vector<int64_t> idx(heads);
    for (int h = 0; h < heads; ++h) idx[h] = h / headsPerTable;
    if (headsPerTable > 1) {
      c = g.op("Gather", {c, g.int64s(idx)}, hint + ".cos", kF);
      s = g.op("Gather", {s, g.int64s(idx)}, hint + ".sin", kF);
    }
  }
  const std::string p = reshape(g, v, {0, 0, 0, dim / 2, 2}, hint + ".pairs");
  const std::string v0 =
      g.op("Slice", {p, g.int64s({0}), g.int64s({1}), g.int64s({4})}, hint + ".v0", kF);
  const std::string v1 =
      g.op("Slice", {p, g.int64s({1}), g.int64s({2}), g.int64s({4})}, hint + ".v1", kF);
  const std::string r0 = g.op(
      "Sub", {g.op("Mul", {v0, c}, hint + ".v0c", kF), g.op("Mul", {v1, s}, hint + ".v1s", kF)},
      hint + ".r0", kF);
  const std::string r1 = g.op(
      "Add", {g.op("Mul", {v0, s}, hint + ".v0s", kF), g.op("Mul", {v1, c}, hint + ".v1c", kF)},
      hint + ".r1", kF);
  onnx::NodeProto* cat = g.node("Concat", {r0, r1}, hint + ".rotated", kF);
  OnnxGraph::setInt(cat, "axis", 4);
  return reshape(g, g.out(cat), {0, 0, 0, dim}, hint + ".roped");
}

}  // namespace

SequenceContext makeSequenceContext(OnnxGraph& g, const std::string& spatial,
                                    const std::string& mask, const std::string& maskSum) {
  SequenceContext ctx;
  ctx.mask = mask;
  ctx.maskSum = maskSum;
  const std::string shape = g.op("Shape", {spatial}, "board_shape", kF);
  auto axis = [&](int64_t i, const std::string& hint) {
    const std::string n = g.op("Gather", {shape, g.int64s({i})}, hint, kF);
    const std::string r = g.op("Range",
                               {g.op("Squeeze", {g.int64s({0})}, hint + ".zero", kF),
                                g.op("Squeeze", {n}, hint + ".n", kF),
                                g.op("Squeeze", {g.int64s({1})}, hint + ".one", kF)},
                               hint + ".range", kF);
    onnx::NodeProto* f = g.node("Cast", {r}, hint + ".coords", kF);
    OnnxGraph::setInt(f, "to", onnx::TensorProto::FLOAT);
    return g.out(f);
  };
  const std::string ys = reshape(g, axis(2, "rows"), {-1, 1}, "row_coords");
  const std::string xs = reshape(g, axis(3, "cols"), {1, -1}, "col_coords");
  const std::string zero = g.scalar(0.0f, kF);
  const std::string yGrid =
      g.op("Add", {ys, g.op("Mul", {xs, zero}, "cols_zero", kF)}, "row_grid", kF);
  const std::string xGrid =
      g.op("Add", {xs, g.op("Mul", {ys, zero}, "rows_zero", kF)}, "col_grid", kF);
  ctx.ys = reshape(g, yGrid, {-1}, "point_rows");
  ctx.xs = reshape(g, xGrid, {-1}, "point_cols");
  const std::string flat = reshape(g, mask, {0, 1, 1, -1}, "key_mask");
  ctx.keyBias =
      g.op("Mul", {g.op("Sub", {flat, g.scalar(1.0f, kF)}, "key_off", kF), g.scalar(1e9f, kF)},
           "key_bias", kF);
  return ctx;
}

std::string attentionBlock(OnnxGraph& g, const SequenceContext& ctx, const nn::AttentionDesc& a,
                           const std::string& x, const std::string& name) {
  if (a.qkHeadDim % 2 || a.heads % a.kvHeads)
    throw std::runtime_error("layer '" + name + "': unexpected attention head shapes");
  const std::string in = g.as(x, kF);
  const std::string t = rmsNorm(g, a.preNorm, toSequence(g, in, name));
  std::string q = splitHeads(g, matMul(g, t, a.query), a.heads, a.qkHeadDim, name + ".q");
  std::string k = splitHeads(g, matMul(g, t, a.key), a.kvHeads, a.qkHeadDim, name + ".k");
  std::string v = splitHeads(g, matMul(g, t, a.value), a.kvHeads, a.vHeadDim, name + ".v");
  const int group = a.heads / a.kvHeads;
  if (a.rope != nn::RopeKind::kNone) {
    const Rope rope = ropeTables(g, ctx, a, name + ".rope");
    const int tables = a.rope == nn::RopeKind::kLearned ? a.kvHeads : 1;
    q = rotate(g, rope, q, a.heads, a.qkHeadDim, tables, group, name + ".qrot");
    k = rotate(g, rope, k, a.kvHeads, a.qkHeadDim, tables, 1, name + ".krot");
  }
  if (group > 1) {  // query head h reads key/value head h / group
    std::vector<int64_t> idx(a.heads);
    for (int h = 0; h < a.heads; ++h) idx[h] = h / group;
    onnx::NodeProto* gk = g.node("Gather", {k, g.int64s(idx)}, name + ".kgroups", kF);
    OnnxGraph::setInt(gk, "axis", 1);
    onnx::NodeProto* gv = g.node("Gather", {v, g.int64s(idx)}, name + ".vgroups", kF);
    OnnxGraph::setInt(gv, "axis", 1);
    k = g.out(gk);
    v = g.out(gv);
  }
  const std::string scores =
      g.op("MatMul", {q, transpose(g, k, {0, 1, 3, 2}, name + ".kt")}, name + ".scores", kF);
  const std::string scaled = g.op(
      "Mul", {scores, g.scalar(1.0f / std::sqrt(float(a.qkHeadDim)), kF)}, name + ".scaled", kF);
  onnx::NodeProto* sm = g.node(
      "Softmax", {g.op("Add", {scaled, ctx.keyBias}, name + ".masked", kF)}, name + ".p", kF);
  OnnxGraph::setInt(sm, "axis", -1);
  const std::string heads = g.op("MatMul", {g.out(sm), v}, name + ".attended", kF);
  const std::string merged = reshape(g, transpose(g, heads, {0, 2, 1, 3}, name + ".pfirst"),
                                     {0, 0, a.heads * a.vHeadDim}, name + ".merged");
  const std::string out = fromSequence(g, matMul(g, merged, a.output), in, name);
  return g.op("Add", {in, out}, name + ".residual", kF);
}

std::string feedForwardBlock(OnnxGraph& g, const nn::FeedForwardDesc& f, const std::string& x,
                             const std::string& name) {
  const std::string in = g.as(x, kF);
  const std::string t = rmsNorm(g, f.preNorm, toSequence(g, in, name));
  const std::string up = matMul(g, t, f.linear1);
  const std::string silu =
      g.op("Mul", {up, g.op("Sigmoid", {up}, name + ".sigmoid", kF)}, name + ".silu", kF);
  const std::string gated = g.op("Mul", {silu, matMul(g, t, f.gate)}, name + ".gated", kF);
  const std::string out = fromSequence(g, matMul(g, gated, f.linear2), in, name);
  return g.op("Add", {in, out}, name + ".residual", kF);
}

std::string tipRmsNorm(OnnxGraph& g, const SequenceContext& ctx, const nn::TipRmsNormDesc& n,
                       const std::string& x) {
  const std::string in = g.as(x, kF);
  const std::string sq = g.op("Mul", {in, in}, n.name + ".sq", kF);
  std::string meanSq;
  if (n.spatial) {  // over the board's points and every channel
    const std::string onBoard = g.op("Mul", {sq, ctx.mask}, n.name + ".sq_board", kF);
    onnx::NodeProto* sum = g.node("ReduceSum", {onBoard, g.int64s({1, 2, 3})}, n.name + ".sum", kF);
    OnnxGraph::setInt(sum, "keepdims", 0);
    const std::string count =
        g.op("Mul", {ctx.maskSum, g.scalar(float(n.channels), kF)}, n.name + ".count", kF);
    meanSq = reshape(g, g.op("Div", {g.out(sum), count}, n.name + ".mean", kF), {-1, 1, 1, 1},
                     n.name + ".mean4");
  } else {
    onnx::NodeProto* mean = g.node("ReduceMean", {sq}, n.name + ".meansq", kF);
    OnnxGraph::setInts(mean, "axes", {1});
    OnnxGraph::setInt(mean, "keepdims", 1);
    meanSq = g.out(mean);
  }
  const std::string rms =
      g.op("Sqrt", {g.op("Add", {meanSq, g.scalar(n.epsilon, kF)}, n.name + ".eps", kF)},
           n.name + ".rms", kF);
  const int64_t c = n.channels;
  const std::string y = g.op("Mul",
                             {g.op("Div", {in, rms}, n.name + ".normed", kF),
                              g.weights(n.name + ".gamma", {1, c, 1, 1}, n.gamma, kF)},
                             n.name + ".gamma_mul", kF);
  return g.op("Add", {y, g.weights(n.name + ".beta", {1, c, 1, 1}, n.beta, kF)},
              n.name + ".beta_add", kF);
}

}  // namespace hoshi::exporter
#endif  // HOSHI_WITH_ONNX
