#include "nn/xnnpack/xnn_gptq.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "nn/symmetry.h"
#include "nn/xnnpack/xnn_backend.h"

namespace hoshi::nn::xnn {

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

// Splits inputs into batches of one board shape: f(first, end, width, height).
void forEachBatch(const std::vector<EncodedPosition>& inputs, int maxBatch,
                  const std::function<void(size_t, size_t, int, int)>& f) {
  auto width = [](const EncodedPosition& e) {
    return symmetricWidth(e.symmetry, e.xSize, e.ySize);
  };
  auto height = [](const EncodedPosition& e) {
    return symmetricHeight(e.symmetry, e.xSize, e.ySize);
  };
  size_t i = 0;
  while (i < inputs.size()) {
    const int w = width(inputs[i]), h = height(inputs[i]);
    size_t j = i;
    while (j < inputs.size() && int(j - i) < maxBatch && width(inputs[j]) == w &&
           height(inputs[j]) == h)
      ++j;
    f(i, j, w, h);
    i = j;
  }
}

void runBatch(XnnpackBackend& backend, const std::vector<EncodedPosition>& inputs, size_t first,
              size_t end, int w, int h) {
  auto comp = backend.newComputation(w, h);
  for (size_t k = first; k < end; ++k)
    comp->addInput(inputs[k].spatial.data(), inputs[k].global.data());
  comp->compute();
}

// What the INT8 convolution reading the tensor sees of it.
void fakeQuantize(const float* in, float* out, size_t n, const TensorQuant& q) {
  const float zp = float(q.zeroPoint);
  for (size_t i = 0; i < n; ++i) {
    const float v = std::clamp(std::nearbyint(in[i] / q.scale + zp), -128.0f, 127.0f);
    out[i] = (v - zp) * q.scale;
  }
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
    forEachBatch(sample, o.maxBatch, [&](size_t first, size_t end, int w, int h) {
      batch = int(end - first), ySize = h, xSize = w;
      runBatch(*backend, sample, first, end, w, h);
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

GptqResult gptqModelSequential(std::shared_ptr<const ModelDesc> model, const QuantTable& table,
                               const std::vector<EncodedPosition>& inputs, size_t maxPositions,
                               const GptqOptions& options,
                               const std::function<void(int, int)>& progress) {
  auto copy = std::make_shared<ModelDesc>(*model);
  std::vector<Target> convs = targets(*copy, table.int8Convs);
  const std::vector<EncodedPosition> sample = spread(inputs, maxPositions);
  BackendOptions o;
  o.maxBatch = 8;
  auto ref = createXnnpack(model, o);
  BackendOptions qo = o;
  qo.precision = "int8";
  qo.quant = std::make_shared<QuantTable>(table);
  GptqResult result;
  int step = 0;
  const int steps = int(convs.size());
  for (size_t t0 = 0; t0 < convs.size();) {
    // The convolutions reading one tensor, rounded together.
    size_t t1 = t0;
    while (t1 < convs.size() && convs[t1].input == convs[t0].input) ++t1;
    const std::string tensor = convs[t0].input;
    const TensorQuant& tq = table.at(tensor);
    std::map<std::string, std::pair<Im2colMoments, Im2colMoments>> moments;  // seen, FP32
    for (size_t t = t0; t < t1; ++t) {
      const ConvDesc& c = *convs[t].conv;
      moments.emplace(convs[t].key,
                      std::make_pair(Im2colMoments(c.inChannels, c.kernelY, c.kernelX),
                                     Im2colMoments(c.inChannels, c.kernelY, c.kernelX)));
    }
    // The INT8 net with every earlier convolution already rounded.
    auto test = createXnnpack(std::make_shared<const ModelDesc>(*copy), qo);
    std::vector<float> fp32, seen;
    int batch = 0, ySize = 0, xSize = 0;
    Tap keep = [&](const std::string& name, const float* d, size_t n) {
      if (name == tensor) fp32.assign(d, d + n);
    };
    Tap use = [&](const std::string& name, const float* d, size_t n) {
      if (name != tensor || n != fp32.size()) return;
      seen.resize(n);
      fakeQuantize(d, seen.data(), n, tq);
      for (auto& kv : moments) {
        kv.second.first.add(seen.data(), batch, ySize, xSize, fp32.data());
        kv.second.second.add(fp32.data(), batch, ySize, xSize);
      }
    };
    ref->setTap(&keep);
    test->setTap(&use);
    forEachBatch(sample, o.maxBatch, [&](size_t first, size_t end, int w, int h) {
      batch = int(end - first), ySize = h, xSize = w;
      runBatch(*ref, sample, first, end, w, h);
      runBatch(*test, sample, first, end, w, h);
    });
    ref->setTap(nullptr);
    for (size_t t = t0; t < t1; ++t) {
      ConvDesc& conv = *convs[t].conv;
      auto& m = moments.at(convs[t].key);
      const std::vector<double> h = m.first.secondMoment(), cross = m.first.crossMoment(),
                                hr = m.second.secondMoment();
      GptqLayer layer{convs[t].name};
      if (!h.empty()) {
        ConvDesc target = conv;
        target.weights = compensatedWeights(conv, h, cross, options.damping);
        const QuantizedWeights g = gptqConvWeights(target, h, options);
        const std::vector<float> wg = dequantizeConvWeights(g, conv.outChannels);
        const std::vector<float> wr =
            dequantizeConvWeights(quantizeConvWeights(conv), conv.outChannels);
        layer.rtnError = mappedOutputError(conv, wr, hr, cross, h);
        layer.gptqError = mappedOutputError(conv, wg, hr, cross, h);
        conv.weights = wg;
      }
      result.layers.push_back(layer);
      if (progress) progress(++step, steps);
    }
    t0 = t1;
  }
  result.model = std::move(copy);
  return result;
}

}  // namespace hoshi::nn::xnn
