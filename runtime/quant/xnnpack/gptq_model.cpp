#include "quant/xnnpack/gptq_model.h"

#include <map>

#include "nn/symmetry.h"
#include "nn/xnnpack/xnn_backend.h"
#include "quant/xnnpack/calibrate.h"

namespace hoshi::quant {

using namespace nn;
using namespace nn::xnn;

namespace {

// Moments held at once (each K x K doubles); more take more forward passes.
constexpr size_t kMomentBudgetBytes = size_t(1) << 30;

struct Target {
  std::string name;   // "b<i>.conv1"
  ConvDesc* conv;     // in the copy being changed
  std::string input;  // the tapped tensor it reads
  std::string key;    // input and kernel: the moments it needs
};

std::vector<Target> targets(ModelDesc& m, const std::set<std::string>& int8Convs) {
  std::vector<Target> out;
  for (size_t i = 0; i < m.trunk.blocks.size(); ++i) {
    BlockDesc& b = m.trunk.blocks[i];
    if (b.kind == BlockKind::kNestedBottleneck) continue;
    auto add = [&](const char* what, ConvDesc& c, const char* input) {
      const std::string name = blockTensor(int(i), what);
      if (!int8Convs.count(name)) return;
      const std::string in = blockTensor(int(i), input);
      out.push_back(
          {name, &c, in, in + "/" + std::to_string(c.kernelY) + "x" + std::to_string(c.kernelX)});
    };
    add("conv1", b.conv1, "in");
    if (b.kind == BlockKind::kGlobalPooling) add("gpoolConv", b.gpoolConv, "in");
    add("conv2", b.conv2, "mid");
  }
  return out;
}

// Evenly spread positions, at most n.
std::vector<EncodedPosition> spread(const std::vector<EncodedPosition>& inputs, size_t n) {
  if (inputs.size() <= n) return inputs;
  std::vector<EncodedPosition> out;
  for (size_t i = 0; i < n; ++i) out.push_back(inputs[i * inputs.size() / n]);
  return out;
}

}  // namespace

GptqResult gptqModel(std::shared_ptr<const ModelDesc> model, const std::set<std::string>& int8Convs,
                     const std::vector<EncodedPosition>& inputs, size_t maxPositions,
                     const GptqOptions& options, const std::function<void(int, int)>& progress) {
  auto copy = std::make_shared<ModelDesc>(*model);
  std::vector<Target> convs = targets(*copy, int8Convs);
  // The moments each target needs, grouped to fit the memory budget.
  std::map<std::string, const Target*> keys;
  for (const Target& t : convs) keys.emplace(t.key, &t);
  std::vector<std::vector<const Target*>> groups(1);
  size_t bytes = 0;
  for (const auto& [key, t] : keys) {
    const size_t k = size_t(t->conv->inChannels) * t->conv->kernelY * t->conv->kernelX;
    if (!groups.back().empty() && bytes + k * k * 8 > kMomentBudgetBytes)
      groups.emplace_back(), bytes = 0;
    groups.back().push_back(t);
    bytes += k * k * 8;
  }
  const std::vector<EncodedPosition> sample = spread(inputs, maxPositions);
  BackendOptions o;
  o.maxBatch = 8;
  auto backend = createXnnpack(model, o);
  std::map<std::string, std::vector<double>> moments;
  int step = 0;
  const int steps = int(groups.size() * ((sample.size() + 7) / 8) + convs.size());
  for (const auto& group : groups) {
    std::map<std::string, std::vector<std::pair<Im2colMoments, int>>> byTensor;
    for (const Target* t : group) {
      auto& list = byTensor[t->input];
      list.emplace_back(Im2colMoments(t->conv->inChannels, t->conv->kernelY, t->conv->kernelX),
                        t->conv->inChannels);
    }
    int batch = 0, ySize = 0, xSize = 0;
    Tap tap = [&](const std::string& name, const float* data, size_t n) {
      auto it = byTensor.find(name);
      if (it == byTensor.end()) return;
      for (auto& [m, ch] : it->second)
        if (n == size_t(batch) * ySize * xSize * ch) m.add(data, batch, ySize, xSize);
    };
    backend->setTap(&tap);
    forEachBatch(
        *backend, sample, [&](int b, int y, int x) { batch = b, ySize = y, xSize = x; },
        [&](int, int) {
          if (progress) progress(++step, steps);
        });
    backend->setTap(nullptr);
    // Keys in the same order as the group: one moment per (tensor, kernel).
    std::map<std::string, size_t> next;
    for (const Target* t : group) {
      auto& list = byTensor[t->input];
      moments[t->key] = list[next[t->input]++].first.secondMoment();
    }
  }
  GptqResult result;
  for (const Target& t : convs) {
    const std::vector<double>& h = moments[t.key];
    GptqLayer layer{t.name};
    if (!h.empty()) {
      const QuantizedWeights g = gptqConvWeights(*t.conv, h, options);
      const std::vector<float> wg = dequantizeConvWeights(g, t.conv->outChannels);
      const std::vector<float> wr =
          dequantizeConvWeights(quantizeConvWeights(*t.conv), t.conv->outChannels);
      layer.rtnError = convOutputError(*t.conv, wr, h);
      layer.gptqError = convOutputError(*t.conv, wg, h);
      t.conv->weights = wg;
    }
    result.layers.push_back(layer);
    if (progress) progress(++step, steps);
  }
  result.model = std::move(copy);
  return result;
}

}  // namespace hoshi::quant
