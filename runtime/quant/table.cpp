#include "quant/table.h"

namespace hoshi::quant {

using namespace nn;

namespace {

bool reluNorm(const NormActDesc& n) {
  return n.activation == Activation::kRelu;
}

}  // namespace

std::vector<std::string> quantizableConvs(const ModelDesc& model) {
  std::vector<std::string> names;
  for (size_t i = 0; i < model.trunk.blocks.size(); ++i) {
    const BlockDesc& b = model.trunk.blocks[i];
    if (b.kind == BlockKind::kNestedBottleneck) continue;
    names.push_back(blockTensor(int(i), "conv1"));
    if (b.kind == BlockKind::kGlobalPooling) names.push_back(blockTensor(int(i), "gpoolConv"));
    names.push_back(blockTensor(int(i), "conv2"));
  }
  return names;
}

QuantTable buildQuantTable(const ModelDesc& model, const RangeCalibrator& ranges,
                           RangeCalibrator::Method method, const std::set<std::string>& keepFloat,
                           bool perChannel) {
  QuantTable t;
  for (size_t i = 0; i < model.trunk.blocks.size(); ++i) {
    const BlockDesc& b = model.trunk.blocks[i];
    if (b.kind == BlockKind::kNestedBottleneck) continue;
    const int bi = int(i);
    const bool gpool = b.kind == BlockKind::kGlobalPooling;
    auto add = [&](const char* what, bool nonNegative) {
      const std::string name = blockTensor(bi, what);
      using M = RangeCalibrator::Method;
      const M m = method == M::kLeastErrorMaxOut && std::string(what) == "out" ? M::kMax : method;
      // Every INT8 tensor is written by a convolution: per-channel output.
      t.tensors[name] = ranges.choose(name, m, nonNegative, perChannel);
    };
    add("in", reluNorm(b.preNorm));
    add("mid", reluNorm(b.midNorm));
    add("out", false);
    if (gpool) {
      add("c1", false);
      add("gpool", reluNorm(b.gpoolNorm));
    }
  }
  for (const std::string& c : quantizableConvs(model))
    if (!keepFloat.count(c)) t.int8Convs.insert(c);
  return t;
}

}  // namespace hoshi::quant
