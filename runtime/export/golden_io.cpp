#include "export/golden_io.h"

#include <stdexcept>
#include <string>

#include "nn/backend.h"
#include "nn/bench_inputs.h"
#include "nn/model.h"
#include "nn/postprocess.h"
#include "nn/symmetry.h"

namespace hoshi::exporter {

std::vector<nn::EncodedPosition> encodePositions(std::shared_ptr<const nn::ModelDesc> model,
                                                 const quant::GoldenPositions& positions) {
  // The encoder needs no weights: the fake backend only gives it the shapes.
  nn::EvaluatorOptions options;
  options.backend = "fake";
  // What kata-raw-nn answers with (KataGo's rootPolicyOptimism default, 0.2):
  // it changes the policy of nets with an optimistic channel (version 12+).
  options.policyOptimism = 0.2;
  nn::Evaluator evaluator(nn::createBackend("fake", model, nn::BackendOptions{}), model, options);
  std::vector<nn::EncodedPosition> out;
  out.reserve(positions.states.size());
  for (size_t i = 0; i < positions.states.size(); ++i)
    out.push_back(evaluator.encode(positions.states[i], positions.symmetries[i]));
  return out;
}

namespace {

// Keeps what fillBenchmarkInputs adds; computes nothing.
class RecordingComputation : public nn::Computation {
 public:
  RecordingComputation(const nn::ModelDesc& m, int size) : m_(m), size_(size) {}
  void addInput(const float* spatial, const float* global) override {
    nn::EncodedPosition e;
    e.xSize = e.ySize = size_;
    const size_t n = size_t(m_.numInputChannels) * size_ * size_;
    e.spatial.assign(spatial, spatial + n);
    e.global.assign(global, global + m_.numInputGlobalChannels);
    positions.push_back(std::move(e));
  }
  int size() const override { return int(positions.size()); }
  void compute() override {}
  void clear() override { positions.clear(); }
  int xSize() const override { return size_; }
  int ySize() const override { return size_; }
  const float* policy(int) const override { return nullptr; }
  const float* policyPass(int) const override { return nullptr; }
  const float* value(int) const override { return nullptr; }
  const float* scoreValue(int) const override { return nullptr; }
  const float* ownership(int) const override { return nullptr; }

  std::vector<nn::EncodedPosition> positions;

 private:
  const nn::ModelDesc& m_;
  int size_;
};

}  // namespace

std::vector<nn::EncodedPosition> benchmarkPositions(const nn::ModelDesc& model, int size, int n) {
  if (size < 2 || size > 19) throw std::runtime_error("board size must be 2..19");
  nn::BackendAttributes attr;
  attr.numInputChannels = model.numInputChannels;
  attr.numInputGlobalChannels = model.numInputGlobalChannels;
  RecordingComputation rec(model, size);
  nn::fillBenchmarkInputs(rec, attr, size, n);
  return std::move(rec.positions);
}

std::vector<RawOutputs> eigenOutputs(std::shared_ptr<const nn::ModelDesc> model,
                                     const std::vector<nn::EncodedPosition>& inputs, int threads) {
  nn::BackendOptions options;
  options.threads = threads;
  options.maxBatch = 1;
  std::unique_ptr<nn::Backend> backend = nn::createBackend("eigen", model, options);
  const int p = model->numPolicyChannels, s = model->numScoreValueChannels;
  std::vector<RawOutputs> out;
  for (const nn::EncodedPosition& e : inputs) {
    const int w = nn::symmetricWidth(e.symmetry, e.xSize, e.ySize);
    const int h = nn::symmetricHeight(e.symmetry, e.xSize, e.ySize);
    std::unique_ptr<nn::Computation> c = backend->newComputation(w, h);
    c->addInput(e.spatial.data(), e.global.data());
    c->compute();
    RawOutputs r;
    r.width = w;
    r.height = h;
    const size_t area = size_t(w) * h;
    r.policy.assign(c->policy(0), c->policy(0) + p * area);
    r.policyPass.assign(c->policyPass(0), c->policyPass(0) + p);
    r.value.assign(c->value(0), c->value(0) + 3);
    r.misc.assign(c->scoreValue(0), c->scoreValue(0) + s);
    r.ownership.assign(c->ownership(0), c->ownership(0) + area);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<nn::NetOutput> postprocessOutputs(const nn::ModelDesc& model,
                                              const std::vector<nn::EncodedPosition>& inputs,
                                              const std::vector<RawOutputs>& raws) {
  if (raws.size() != inputs.size())
    throw std::runtime_error(std::to_string(raws.size()) + " raw outputs for " +
                             std::to_string(inputs.size()) + " positions");
  std::vector<nn::NetOutput> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const nn::EncodedPosition& e = inputs[i];
    const RawOutputs& r = raws[i];
    if (r.width != nn::symmetricWidth(e.symmetry, e.xSize, e.ySize) ||
        r.height != nn::symmetricHeight(e.symmetry, e.xSize, e.ySize))
      throw std::runtime_error("raw output " + std::to_string(i) + " is " +
                               std::to_string(r.width) + "x" + std::to_string(r.height) +
                               ", its position is " + std::to_string(e.xSize) + "x" +
                               std::to_string(e.ySize));
    nn::RawNetOutputs raw;
    raw.policy = r.policy.data();
    raw.policyPass = r.policyPass.data();
    raw.value = r.value.data();
    raw.scoreValue = r.misc.data();
    raw.ownership = r.ownership.data();
    out.push_back(nn::postprocess(model, raw, e));
  }
  return out;
}

}  // namespace hoshi::exporter
