#include "nn/evaluator.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#include "game/game_state.h"
#include "nn/auto_select.h"
#include "nn/backend.h"
#include "nn/features.h"
#include "nn/features_state.h"
#include "nn/model.h"
#include "nn/model_loader.h"
#include "nn/postprocess.h"
#include "nn/symmetry.h"

namespace hoshi::nn {
namespace {

void checkInputShapes(const ModelDesc& model) {
  if (model.numInputChannels != kNumSpatialFeaturesV7 ||
      model.numInputGlobalChannels != kNumGlobalFeaturesV7)
    throw std::runtime_error("model '" + model.name + "' (version " +
                             std::to_string(model.modelVersion) + ") expects " +
                             std::to_string(model.numInputChannels) + " spatial and " +
                             std::to_string(model.numInputGlobalChannels) +
                             " global inputs; only input version 7 (22 + 19) is supported");
}

// The backend settings of evaluator options (the INT8 scales come from the file).
BackendOptions backendOptions(const EvaluatorOptions& o) {
  BackendOptions b;
  b.threads = o.threads;
  b.maxBatch = o.maxBatch;
  b.lanes = o.lanes;
  b.precision = o.precision;
  b.device = o.device;
  return b;
}

void dropConvWeights(ConvDesc& c) {
  std::vector<float>().swap(c.weights);
}

void dropConvWeights(BlockDesc& b) {
  dropConvWeights(b.conv1);
  dropConvWeights(b.conv2);
  dropConvWeights(b.gpoolConv);
  for (BlockDesc& inner : b.inner) dropConvWeights(inner);
}

// The Eigen backend keeps its own (transformed) copy of every convolution's
// weights, so the parsed ones are dead once it exists: 4 MB of b6c96's 4.4.
// The model object is ours (made by the loader, not const itself), shared
// only with that backend; everything else in it stays.
void releaseConvWeights(const std::shared_ptr<const ModelDesc>& shared) {
  auto& m = const_cast<ModelDesc&>(*shared);
  dropConvWeights(m.trunk.initialConv);
  for (BlockDesc& b : m.trunk.blocks) dropConvWeights(b);
  for (ConvDesc* c : {&m.policyHead.p1Conv, &m.policyHead.g1Conv, &m.policyHead.p2Conv,
                      &m.valueHead.v1Conv, &m.valueHead.ownershipConv})
    dropConvWeights(*c);
}

}  // namespace

int usableCores() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
#endif
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

int defaultLanes(const std::string& backend, int searchThreads) {
  const int threads = std::max(1, searchThreads);
  if (backend == "cuda") return threads;  // a GPU wants many positions in flight
  return std::min(threads, usableCores());
}

std::unique_ptr<Evaluator> Evaluator::load(const std::string& modelPath,
                                           const EvaluatorOptions& options) {
  // The loaders' errors already name the file and the problem. A Hoshi file
  // (`hoshi quantize`) may carry INT8 activation scales for the backend.
  LoadedModel loaded = loadAnyModel(modelPath);
  EvaluatorOptions resolved = options;
  if (resolved.lanes <= 0) resolved.lanes = defaultLanes(options.backend, options.searchThreads);
  std::string autoSummary;
  if (options.backend == "auto" || options.precision == "auto") {
    AutoRequest request;
    request.backend = options.backend;
    request.precision = options.precision;
    request.base = backendOptions(resolved);
    request.searchThreads = options.searchThreads;
    request.cacheDir = options.autoCacheDir;
    const AutoChoice choice = chooseBackend(loaded, modelPath, request);
    resolved.backend = choice.backend;
    resolved.precision = choice.precision;
    autoSummary = choice.summary();
  }
  // nnPrecision = int8 with the default backend: only XNNPACK runs INT8.
  if (resolved.precision == "int8" && resolved.backend == "eigen" && loaded.quant) {
    for (const std::string& name : backendNames()) {
      if (name == "xnnpack") resolved.backend = name;
    }
  }
  // An INT8 Hoshi file's INT8 weights are kept apart (nn/hoshi_model.h):
  // only an INT8 backend runs them as they are, any other gets FP32 copies.
  std::shared_ptr<const ModelDesc> model =
      resolved.precision == "int8" ? loaded.model : floatModel(loaded);
  loaded.model.reset();
  BackendOptions created = backendOptions(resolved);
  created.quant = std::move(loaded.quant);
  std::unique_ptr<Backend> backend;
  try {
    backend = createBackend(resolved.backend, model, created);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot create backend '" + resolved.backend + "' for model '" +
                             modelPath + "': " + e.what());
  }
  if (resolved.backend == "eigen" && resolved.precision == "fp32") releaseConvWeights(model);
  auto evaluator = std::make_unique<Evaluator>(std::move(backend), std::move(model), resolved);
  evaluator->autoSummary_ = autoSummary;
  return evaluator;
}

Evaluator::Evaluator(std::unique_ptr<Backend> backend, std::shared_ptr<const ModelDesc> model,
                     const EvaluatorOptions& options)
    : backend_(std::move(backend)), model_(std::move(model)), options_(options) {
  if (!backend_) throw std::invalid_argument("Evaluator: no backend");
  if (!model_) {
    // Fake backends run without weights; describe the shapes they mimic.
    auto fake = std::make_shared<ModelDesc>();
    const BackendAttributes& a = backend_->attributes();
    fake->name = "fake";
    fake->modelVersion = a.modelVersion;
    fake->numInputChannels = a.numInputChannels;
    fake->numInputGlobalChannels = a.numInputGlobalChannels;
    fake->numPolicyChannels = a.numPolicyChannels;
    fake->numValueChannels = a.numValueChannels;
    fake->numScoreValueChannels = a.numScoreValueChannels;
    fake->numOwnershipChannels = 1;
    model_ = std::move(fake);
  }
  checkInputShapes(*model_);
}

Evaluator::~Evaluator() = default;

const ModelDesc& Evaluator::model() const {
  return *model_;
}

EncodedPosition Evaluator::encode(const GameState& state, int symmetry,
                                  const InputOptions& options) const {
  if (symmetry < 0 || symmetry >= kNumSymmetries)
    throw std::invalid_argument("symmetry must be 0..7, got " + std::to_string(symmetry));
  FeatureSnapshot snap(state, model_->preferPassAliveUnderSuicideRules, options);
  const FeatureInputs& in = snap.inputs();
  const int xSize = in.board->xSize(), ySize = in.board->ySize();
  const int area = xSize * ySize;

  EncodedPosition enc;
  enc.xSize = xSize;
  enc.ySize = ySize;
  enc.symmetry = symmetry;
  enc.whiteToMove = in.pla == Color::kWhite;
  enc.noResultPossible =
      in.rules.ko == KoRule::kSimple || in.rules.scoring == ScoringRule::kTerritory;
  std::vector<float> spatial(kNumSpatialFeaturesV7 * area);
  enc.global.resize(kNumGlobalFeaturesV7);
  encodeFeaturesV7(in, spatial.data(), enc.global.data());
  enc.spatial.resize(spatial.size());
  planesToSymmetry(spatial.data(), enc.spatial.data(), kNumSpatialFeaturesV7, xSize, ySize,
                   symmetry);
  enc.legal = snap.legalMoves();
  enc.policyOptimism = options_.policyOptimism;
  enc.capPassPolicy = options.enablePassingHacks;
  return enc;
}

std::vector<NetOutput> Evaluator::computeBatch(const std::vector<EncodedPosition>& inputs) {
  std::vector<NetOutput> outputs(inputs.size());
  const int maxBatch = std::max(1, backend_->attributes().maxBatch);
  size_t i = 0;
  while (i < inputs.size()) {
    // One computation holds positions of one network-frame shape.
    const EncodedPosition& first = inputs[i];
    const int w = symmetricWidth(first.symmetry, first.xSize, first.ySize);
    const int h = symmetricHeight(first.symmetry, first.xSize, first.ySize);
    std::vector<size_t> members;
    for (size_t j = i; j < inputs.size() && static_cast<int>(members.size()) < maxBatch; j++) {
      const EncodedPosition& e = inputs[j];
      if (symmetricWidth(e.symmetry, e.xSize, e.ySize) != w ||
          symmetricHeight(e.symmetry, e.xSize, e.ySize) != h)
        break;
      members.push_back(j);
    }
    std::unique_ptr<Computation> comp = backend_->newComputation(w, h);
    for (size_t j : members) comp->addInput(inputs[j].spatial.data(), inputs[j].global.data());
    comp->compute();
    for (size_t k = 0; k < members.size(); k++) {
      const EncodedPosition& e = inputs[members[k]];
      RawNetOutputs raw;
      raw.policy = comp->policy(static_cast<int>(k));
      raw.policyPass = comp->policyPass(static_cast<int>(k));
      raw.value = comp->value(static_cast<int>(k));
      raw.scoreValue = comp->scoreValue(static_cast<int>(k));
      raw.ownership = comp->ownership(static_cast<int>(k));
      outputs[members[k]] = postprocess(*model_, raw, e);
    }
    i += members.size();
  }
  return outputs;
}

int Evaluator::lanes() const {
  return std::max(1, backend_->attributes().lanes);
}

int Evaluator::usefulSearchThreads(int requested) const {
  const int n = std::max(1, requested);
  if (backend_->attributes().threadsPastCoresHelp || options_.threadsPastCores) return n;
  return std::min(n, std::max(usableCores(), lanes()));
}

NetOutput Evaluator::evaluate(const GameState& state, int symmetry, const InputOptions& options) {
  std::vector<EncodedPosition> batch;
  batch.push_back(encode(state, symmetry, options));
  return std::move(computeBatch(batch).front());
}

}  // namespace hoshi::nn
