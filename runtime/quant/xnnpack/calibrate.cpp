#include "quant/xnnpack/calibrate.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "nn/symmetry.h"
#include "nn/xnnpack/xnn_backend.h"

namespace hoshi::quant {

using namespace nn;
using namespace nn::xnn;

void forEachBatch(XnnpackBackend& backend, const std::vector<EncodedPosition>& inputs,
                  const std::function<void(int, int, int)>& beforeBatch,
                  const std::function<void(int, int)>& afterBatch) {
  const int maxBatch = backend.attributes().maxBatch;
  // Inputs are in their symmetry's frame (transposes swap width and height).
  auto width = [](const EncodedPosition& e) {
    return symmetricWidth(e.symmetry, e.xSize, e.ySize);
  };
  auto height = [](const EncodedPosition& e) {
    return symmetricHeight(e.symmetry, e.xSize, e.ySize);
  };
  size_t i = 0;
  while (i < inputs.size()) {
    const int w = width(inputs[i]), h = height(inputs[i]);
    auto comp = backend.newComputation(w, h);
    size_t j = i;
    for (; j < inputs.size() && int(j - i) < maxBatch; ++j) {
      if (width(inputs[j]) != w || height(inputs[j]) != h) break;
      comp->addInput(inputs[j].spatial.data(), inputs[j].global.data());
    }
    if (beforeBatch) beforeBatch(int(j - i), h, w);
    comp->compute();
    i = j;
    if (afterBatch) afterBatch(int(i), int(inputs.size()));
  }
}

RangeCalibrator calibrate(std::shared_ptr<const ModelDesc> model,
                          const std::vector<EncodedPosition>& inputs, int threads,
                          const std::function<void(int, int)>& progress) {
  BackendOptions o;
  o.threads = threads;
  o.maxBatch = 8;
  auto backend = createXnnpack(model, o);
  RangeCalibrator ranges;
  std::map<std::string, int> channels;  // tensors whose means bias correction needs
  for (size_t i = 0; i < model->trunk.blocks.size(); ++i) {
    const BlockDesc& b = model->trunk.blocks[i];
    channels[blockTensor(int(i), "in")] = b.preNorm.channels;
    channels[blockTensor(int(i), "mid")] = b.conv1.outChannels;
    channels[blockTensor(int(i), "c1")] = b.conv1.outChannels;
    channels[blockTensor(int(i), "gpool")] = b.gpoolConv.outChannels;
    channels[blockTensor(int(i), "out")] = b.conv2.outChannels;
  }
  Tap tap = [&](const std::string& name, const float* data, size_t n) {
    auto it = channels.find(name);
    ranges.observe(name, data, n, it == channels.end() ? 0 : it->second);
    if (it != channels.end() && it->second > 0) ranges.observeMeans(name, data, n, it->second);
  };
  backend->setTap(&tap);
  forEachBatch(*backend, inputs, {}, progress);
  backend->setTap(nullptr);
  return ranges;
}

std::vector<LayerError> traceLayers(std::shared_ptr<const ModelDesc> ref,
                                    std::shared_ptr<const ModelDesc> test,
                                    std::shared_ptr<const QuantTable> quant,
                                    const std::vector<EncodedPosition>& inputs) {
  BackendOptions refOpts, testOpts;
  refOpts.maxBatch = testOpts.maxBatch = 1;
  testOpts.precision = "int8";
  testOpts.quant = std::move(quant);
  auto refBackend = createXnnpack(std::move(ref), refOpts);
  auto testBackend = createXnnpack(std::move(test), testOpts);
  std::map<std::string, std::vector<float>> refTensors;
  std::vector<std::string> order;
  struct Acc {
    double err2 = 0, ref2 = 0, maxAbs = 0;
  };
  std::map<std::string, Acc> acc;
  Tap keep = [&](const std::string& name, const float* d, size_t n) {
    if (!refTensors.count(name)) order.push_back(name);
    refTensors[name].assign(d, d + n);
  };
  Tap compare = [&](const std::string& name, const float* d, size_t n) {
    auto it = refTensors.find(name);
    if (it == refTensors.end() || it->second.size() != n) return;
    Acc& a = acc[name];
    for (size_t k = 0; k < n; ++k) {
      const double diff = double(d[k]) - it->second[k];
      a.err2 += diff * diff;
      a.ref2 += double(it->second[k]) * it->second[k];
      a.maxAbs = std::max(a.maxAbs, std::fabs(diff));
    }
  };
  refBackend->setTap(&keep);
  testBackend->setTap(&compare);
  for (const EncodedPosition& e : inputs) {
    std::vector<EncodedPosition> one{e};
    forEachBatch(*refBackend, one, {}, {});
    forEachBatch(*testBackend, one, {}, {});
  }
  std::vector<LayerError> out;
  for (const std::string& name : order) {
    const Acc& a = acc[name];
    out.push_back({name, a.ref2 > 0 ? std::sqrt(a.err2 / a.ref2) : 0.0, a.maxAbs});
  }
  return out;
}

}  // namespace hoshi::quant
