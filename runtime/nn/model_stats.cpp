// Size and cost figures of a ModelDesc, for `hoshi info` and benchmarks.

#include "nn/model.h"

namespace hoshi::nn {

namespace {

int64_t convMacs(const ConvDesc& c, int area) {
  return int64_t(area) * c.kernelY * c.kernelX * c.inChannels * c.outChannels;
}

int64_t matMacs(const MatMulDesc& m) {
  return int64_t(m.inChannels) * m.outChannels;
}

int64_t blockMacs(const BlockDesc& b, int area) {
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
  size_t total = normBytes(b.preNorm) + normBytes(b.midNorm) + normBytes(b.gpoolNorm) +
                 4 * (b.conv1.weights.size() + b.conv2.weights.size() + b.gpoolConv.weights.size() +
                      b.gpoolToBias.weights.size());
  for (const BlockDesc& inner : b.inner) total += blockBytes(inner);
  return total;
}

void countKinds(const std::vector<BlockDesc>& blocks, int counts[3]) {
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
  int counts[3] = {0, 0, 0};
  countKinds(trunk.blocks, counts);
  static const char* kNames[3] = {"ordinary", "gpool", "nested-bottleneck"};
  std::string s = std::to_string(trunk.blocks.size()) + " blocks (";
  bool first = true;
  for (int k = 0; k < 3; ++k) {
    if (!counts[k]) continue;
    if (!first) s += ", ";
    s += std::to_string(counts[k]) + " " + kNames[k];
    first = false;
  }
  return s + ")";
}

}  // namespace hoshi::nn
