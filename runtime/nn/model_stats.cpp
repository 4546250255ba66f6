// Size and cost figures of a ModelDesc, for `hoshi info` and benchmarks.

#include "nn/model.h"
#include "nn/transformer_desc.h"

namespace hoshi::nn {

namespace {

int64_t convMacs(const ConvDesc& c, int area) {
  return int64_t(area) * c.kernelY * c.kernelX * c.inChannels * c.outChannels;
}

int64_t matMacs(const MatMulDesc& m) {
  return int64_t(m.inChannels) * m.outChannels;
}

int64_t denseMacs(const MatMulDesc& m, int area) {
  return int64_t(area) * matMacs(m);
}

// Projections per point plus the two area x area products of every head.
int64_t attentionMacs(const AttentionDesc& a, int area) {
  return denseMacs(a.query, area) + denseMacs(a.key, area) + denseMacs(a.value, area) +
         denseMacs(a.output, area) + int64_t(a.heads) * area * area * (a.qkHeadDim + a.vHeadDim);
}

int64_t blockMacs(const BlockDesc& b, int area) {
  if (b.attention) return attentionMacs(*b.attention, area);
  if (b.feedForward) {
    const FeedForwardDesc& f = *b.feedForward;
    return denseMacs(f.linear1, area) + denseMacs(f.gate, area) + denseMacs(f.linear2, area);
  }
  int64_t total = convMacs(b.conv1, area) + convMacs(b.conv2, area);
  if (b.kind == BlockKind::kGlobalPooling)
    total += convMacs(b.gpoolConv, area) + matMacs(b.gpoolToBias);
  for (const BlockDesc& inner : b.inner) total += blockMacs(inner, area);
  return total;
}

size_t normBytes(const NormActDesc& n) {
  return (n.scale.size() + n.bias.size()) * 4;
}

size_t blockBytes(const BlockDesc& b) {
  if (b.attention) {
    const AttentionDesc& a = *b.attention;
    return 4 * (a.preNorm.weight.size() + a.query.weights.size() + a.key.weights.size() +
                a.value.weights.size() + a.output.weights.size() + a.ropeFreqs.size());
  }
  if (b.feedForward) {
    const FeedForwardDesc& f = *b.feedForward;
    return 4 * (f.preNorm.weight.size() + f.linear1.weights.size() + f.gate.weights.size() +
                f.linear2.weights.size());
  }
  size_t total = normBytes(b.preNorm) + normBytes(b.midNorm) + normBytes(b.gpoolNorm) +
                 4 * (b.conv1.weights.size() + b.conv2.weights.size() + b.gpoolConv.weights.size() +
                      b.gpoolToBias.weights.size());
  for (const BlockDesc& inner : b.inner) total += blockBytes(inner);
  return total;
}

constexpr int kNumKinds = 5;

void countKinds(const std::vector<BlockDesc>& blocks, int counts[kNumKinds]) {
  for (const BlockDesc& b : blocks) counts[static_cast<int>(b.kind)]++;
}

}  // namespace

int64_t ModelDesc::directMacs(int xSize, int ySize) const {
  const int area = xSize * ySize;
  int64_t total = convMacs(trunk.initialConv, area) + matMacs(trunk.initialMatMul);
  for (const BlockDesc& b : trunk.blocks) total += blockMacs(b, area);
  const PolicyHeadDesc& p = policyHead;
  total += convMacs(p.p1Conv, area) + convMacs(p.g1Conv, area) + matMacs(p.gpoolToBias) +
           convMacs(p.p2Conv, area) + matMacs(p.gpoolToPass) + matMacs(p.gpoolToPass2);
  const ValueHeadDesc& v = valueHead;
  total += convMacs(v.v1Conv, area) + matMacs(v.v2Mul) + matMacs(v.v3Mul) + matMacs(v.sv3Mul) +
           convMacs(v.ownershipConv, area);
  return total;
}

int64_t ModelDesc::weightBytes() const {
  size_t total = 4 * (trunk.initialConv.weights.size() + trunk.initialMatMul.weights.size()) +
                 normBytes(trunk.tipNorm);
  if (trunk.tipRmsNorm)
    total += 4 * (trunk.tipRmsNorm->gamma.size() + trunk.tipRmsNorm->beta.size());
  for (const BlockDesc& b : trunk.blocks) total += blockBytes(b);
  const PolicyHeadDesc& p = policyHead;
  total += 4 * (p.p1Conv.weights.size() + p.g1Conv.weights.size() + p.gpoolToBias.weights.size() +
                p.p2Conv.weights.size() + p.gpoolToPass.weights.size() + p.passBias.weights.size() +
                p.gpoolToPass2.weights.size()) +
           normBytes(p.g1Norm) + normBytes(p.p1Norm);
  const ValueHeadDesc& v = valueHead;
  total += 4 * (v.v1Conv.weights.size() + v.v2Mul.weights.size() + v.v2Bias.weights.size() +
                v.v3Mul.weights.size() + v.v3Bias.weights.size() + v.sv3Mul.weights.size() +
                v.sv3Bias.weights.size() + v.ownershipConv.weights.size()) +
           normBytes(v.v1Norm);
  return int64_t(total);
}

std::string ModelDesc::blockSummary() const {
  int counts[kNumKinds] = {0, 0, 0, 0, 0};
  countKinds(trunk.blocks, counts);
  static const char* kNames[kNumKinds] = {"ordinary", "gpool", "nested-bottleneck", "attention",
                                          "feed-forward"};
  std::string s = std::to_string(trunk.blocks.size()) + " blocks (";
  bool first = true;
  for (int k = 0; k < kNumKinds; ++k) {
    if (!counts[k]) continue;
    if (!first) s += ", ";
    s += std::to_string(counts[k]) + " " + kNames[k];
    first = false;
  }
  return s + ")";
}

bool ModelDesc::hasTransformerLayers() const {
  if (trunk.tipRmsNorm) return true;
  std::vector<const BlockDesc*> stack;
  for (const BlockDesc& b : trunk.blocks) stack.push_back(&b);
  while (!stack.empty()) {
    const BlockDesc* b = stack.back();
    stack.pop_back();
    if (b->attention || b->feedForward) return true;
    for (const BlockDesc& inner : b->inner) stack.push_back(&inner);
  }
  return false;
}

}  // namespace hoshi::nn
