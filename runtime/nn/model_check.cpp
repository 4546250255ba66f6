#include "nn/model_check.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace hoshi::nn {
namespace {

constexpr int kMaxChannels = 4096;
constexpr int kMaxKernel = 9;
constexpr int kMaxNesting = 4;

[[noreturn]] void fail(const std::string& layer, const std::string& what) {
  throw std::runtime_error("layer '" + layer + "': " + what);
}

void requireEq(const std::string& layer, const char* what, int64_t got, int64_t want) {
  if (got != want)
    fail(layer,
         std::string(what) + " is " + std::to_string(got) + ", expected " + std::to_string(want));
}

void requireChannels(const std::string& layer, const char* what, int n, int hi = kMaxChannels) {
  if (n < 1 || n > hi) fail(layer, std::string(what) + " " + std::to_string(n) + " out of range");
}

// A NaN or infinity in the weights would only show as garbage moves later.
void requireFinite(const std::string& layer, const std::vector<float>& values) {
  for (float v : values) {
    if (!std::isfinite(v)) fail(layer, "NaN or infinite weight");
  }
}

void checkConv(const ConvDesc& c, int in, bool int8Elsewhere) {
  if (c.kernelY < 1 || c.kernelY > kMaxKernel || c.kernelX < 1 || c.kernelX > kMaxKernel ||
      c.kernelY % 2 == 0 || c.kernelX % 2 == 0)
    fail(c.name, "bad kernel size");
  requireChannels(c.name, "output channels", c.outChannels);
  requireEq(c.name, "input channels", c.inChannels, in);
  if (c.weights.empty() && int8Elsewhere) return;
  requireEq(c.name, "weight count", int64_t(c.weights.size()),
            int64_t(c.outChannels) * c.inChannels * c.kernelY * c.kernelX);
  requireFinite(c.name, c.weights);
}

void checkNorm(const NormActDesc& n, int channels) {
  requireEq(n.name, "channels", n.channels, channels);
  requireEq(n.name, "scale count", int64_t(n.scale.size()), channels);
  requireEq(n.name, "bias count", int64_t(n.bias.size()), channels);
  requireFinite(n.name, n.scale);
  requireFinite(n.name, n.bias);
}

void checkMatMul(const MatMulDesc& m, int in, int out) {
  requireEq(m.name, "input channels", m.inChannels, in);
  requireEq(m.name, "output channels", m.outChannels, out);
  requireEq(m.name, "weight count", int64_t(m.weights.size()), int64_t(in) * out);
  requireFinite(m.name, m.weights);
}

void checkBias(const BiasDesc& b, int channels) {
  requireEq(b.name, "channels", b.channels, channels);
  requireEq(b.name, "weight count", int64_t(b.weights.size()), channels);
  requireFinite(b.name, b.weights);
}

// A layer the block's kind does not use must be absent: backends size their
// buffers over every layer's channels, used or not.
void requireUnused(const std::string& block, const ConvDesc& c, const NormActDesc& n,
                   const MatMulDesc& m) {
  if (c.inChannels || c.outChannels || c.kernelY || c.kernelX || !c.weights.empty() || n.channels ||
      !n.scale.empty() || !n.bias.empty() || m.inChannels || m.outChannels || !m.weights.empty())
    fail(block, "holds global pooling layers its kind does not use");
}

void checkBlock(const BlockDesc& b, int channels, int depth, bool int8Elsewhere) {
  if (b.attention || b.feedForward) fail(b.name, "transformer blocks are not supported here");
  checkNorm(b.preNorm, channels);
  checkConv(b.conv1, channels, int8Elsewhere);
  const int mid = b.conv1.outChannels;
  if (b.kind == BlockKind::kGlobalPooling) {
    checkConv(b.gpoolConv, channels, int8Elsewhere);
    checkNorm(b.gpoolNorm, b.gpoolConv.outChannels);
    checkMatMul(b.gpoolToBias, 3 * b.gpoolConv.outChannels, mid);
  } else {
    requireUnused(b.name, b.gpoolConv, b.gpoolNorm, b.gpoolToBias);
  }
  if (b.kind == BlockKind::kNestedBottleneck) {
    if (depth >= kMaxNesting) fail(b.name, "nested blocks too deep");
    if (b.inner.empty()) fail(b.name, "nested block without inner blocks");
    for (const BlockDesc& inner : b.inner) checkBlock(inner, mid, depth + 1, int8Elsewhere);
  } else if (!b.inner.empty()) {
    fail(b.name, "inner blocks in a block that is not nested");
  }
  checkNorm(b.midNorm, mid);
  checkConv(b.conv2, mid, int8Elsewhere);
  requireEq(b.conv2.name, "output channels", b.conv2.outChannels, channels);
}

void checkTrunk(const ModelDesc& m, bool int8Elsewhere) {
  const TrunkDesc& t = m.trunk;
  requireChannels(t.name, "trunk channels", t.trunkChannels);
  checkConv(t.initialConv, m.numInputChannels, int8Elsewhere);
  requireEq(t.initialConv.name, "output channels", t.initialConv.outChannels, t.trunkChannels);
  checkMatMul(t.initialMatMul, m.numInputGlobalChannels, t.trunkChannels);
  if (t.blocks.empty()) fail(t.name, "no blocks");
  for (const BlockDesc& b : t.blocks) checkBlock(b, t.trunkChannels, 0, int8Elsewhere);
  if (t.tipRmsNorm) fail(t.name, "RMS-norm tip is not supported here");
  checkNorm(t.tipNorm, t.trunkChannels);
}

void checkPolicyHead(const ModelDesc& m, bool int8Elsewhere) {
  const PolicyHeadDesc& p = m.policyHead;
  const int tc = m.trunk.trunkChannels;
  requireChannels(p.name, "policy channels", p.policyChannels, 4);
  requireEq(p.name, "model policy channels", m.numPolicyChannels, p.policyChannels);
  checkConv(p.p1Conv, tc, int8Elsewhere);
  checkConv(p.g1Conv, tc, int8Elsewhere);
  const int p1 = p.p1Conv.outChannels, g1 = p.g1Conv.outChannels;
  checkNorm(p.g1Norm, g1);
  checkMatMul(p.gpoolToBias, 3 * g1, p1);
  checkNorm(p.p1Norm, p1);
  checkConv(p.p2Conv, p1, int8Elsewhere);
  requireEq(p.p2Conv.name, "output channels", p.p2Conv.outChannels, p.policyChannels);
  if (p.hasPassMlp) {
    requireChannels(p.gpoolToPass.name, "output channels", p.gpoolToPass.outChannels);
    checkMatMul(p.gpoolToPass, 3 * g1, p.gpoolToPass.outChannels);
    checkBias(p.passBias, p.gpoolToPass.outChannels);
    checkMatMul(p.gpoolToPass2, p.gpoolToPass.outChannels, p.policyChannels);
  } else {
    checkMatMul(p.gpoolToPass, 3 * g1, p.policyChannels);
  }
}

void checkValueHead(const ModelDesc& m, bool int8Elsewhere) {
  const ValueHeadDesc& v = m.valueHead;
  const int scoreChannels = m.modelVersion >= 9 ? 6 : 4;
  requireEq(v.name, "value channels", m.numValueChannels, 3);
  requireEq(v.name, "score value channels", m.numScoreValueChannels, scoreChannels);
  requireEq(v.name, "ownership channels", m.numOwnershipChannels, 1);
  checkConv(v.v1Conv, m.trunk.trunkChannels, int8Elsewhere);
  const int v1 = v.v1Conv.outChannels;
  checkNorm(v.v1Norm, v1);
  requireChannels(v.v2Mul.name, "output channels", v.v2Mul.outChannels);
  checkMatMul(v.v2Mul, 3 * v1, v.v2Mul.outChannels);
  checkBias(v.v2Bias, v.v2Mul.outChannels);
  checkMatMul(v.v3Mul, v.v2Mul.outChannels, 3);
  checkBias(v.v3Bias, 3);
  checkMatMul(v.sv3Mul, v.v2Mul.outChannels, scoreChannels);
  checkBias(v.sv3Bias, scoreChannels);
  checkConv(v.ownershipConv, v1, int8Elsewhere);
  requireEq(v.ownershipConv.name, "output channels", v.ownershipConv.outChannels, 1);
}

}  // namespace

void checkModelShapes(const ModelDesc& model, bool int8Elsewhere) {
  if (model.modelVersion < 8 || model.modelVersion > 17)
    throw std::runtime_error("unsupported model version " + std::to_string(model.modelVersion));
  requireEq("model", "spatial input channels", model.numInputChannels, 22);
  requireEq("model", "global input channels", model.numInputGlobalChannels, 19);
  requireEq("model", "metadata encoder version", model.metaEncoderVersion, 0);
  checkTrunk(model, int8Elsewhere);
  checkPolicyHead(model, int8Elsewhere);
  checkValueHead(model, int8Elsewhere);
}

}  // namespace hoshi::nn
