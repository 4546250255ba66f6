// GPTQ weights for b6c96 from the XNNPACK FP32 taps (quant/xnnpack/gptq_model.h):
// every INT8 convolution's output error falls, the weights survive the
// re-quantization of the backend and the file writer, and the net with
// only its weights INT8 is closer to FP32 than with round-to-nearest.

#include <catch2/catch.hpp>

#include "nn/xnnpack/int8_fixture.h"

#include <sys/stat.h>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "quant/calibration.h"
#include "quant/equalization.h"
#include "quant/golden.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#include "quant/table.h"
#include "quant/xnnpack/calibrate.h"
#include "quant/xnnpack/gptq_model.h"

using namespace hoshi;
using namespace hoshi::nn;
using namespace hoshi::quant;
using namespace hoshi::nn::test;

namespace {

// The convolutions named in convs replaced by their round-to-nearest weights.
std::shared_ptr<const ModelDesc> roundToNearest(const ModelDesc& model,
                                                const std::set<std::string>& convs) {
  auto m = std::make_shared<ModelDesc>(model);
  for (size_t i = 0; i < m->trunk.blocks.size(); ++i) {
    BlockDesc& b = m->trunk.blocks[i];
    for (auto [c, what] :
         {std::pair{&b.conv1, "conv1"}, {&b.conv2, "conv2"}, {&b.gpoolConv, "gpoolConv"}})
      if (convs.count(blockTensor(int(i), what)))
        c->weights = dequantizeConvWeights(quantizeConvWeights(*c), c->outChannels);
  }
  return m;
}

AgreementMetrics eigenAgreement(std::shared_ptr<const ModelDesc> test,
                                const std::vector<EncodedPosition>& inputs) {
  Evaluator ref(createBackend("eigen", folded(), BackendOptions()), folded(), EvaluatorOptions());
  Evaluator ev(createBackend("eigen", test, BackendOptions()), test, EvaluatorOptions());
  std::vector<NetOutput> a = ref.computeBatch(inputs), b = ev.computeBatch(inputs);
  AgreementStats s;
  for (size_t i = 0; i < a.size(); ++i) s.add(a[i], b[i]);
  return s.result();
}

}  // namespace

TEST_CASE("int8: GPTQ weights of b6c96 beat round-to-nearest", "[int8][gptq]") {
  const std::string golden = sharedDir() + "/golden/b6c96-raw-nn.jsonl";
  if (!exists(modelPath()) || !exists(golden)) {
    WARN("skipped: model or golden file missing");
    return;
  }
  std::vector<std::string> games = listGameFiles({sharedDir() + "/sgf/golden-games"});
  auto calib = encode(samplePositions(games, 64, 5).positions);
  std::set<std::string> convs;
  for (const std::string& c : quantizableConvs(*folded()))
    if (c != "b1.conv1") convs.insert(c);  // one left in floating point
  GptqResult g = gptqModel(folded(), convs, calib, 48);
  REQUIRE(g.layers.size() == convs.size());
  for (const GptqLayer& l : g.layers) {
    INFO(l.conv << ": " << l.rtnError << " -> " << l.gptqError);
    CHECK(l.gptqError < 0.8 * l.rtnError);
  }
  // Untouched where not INT8; elsewhere the backend's and the writer's
  // re-quantization gives the same weights back.
  CHECK(g.model->trunk.blocks[1].conv1.weights == folded()->trunk.blocks[1].conv1.weights);
  const ConvDesc& c = g.model->trunk.blocks[2].conv2;
  CHECK(c.weights != folded()->trunk.blocks[2].conv2.weights);
  std::vector<float> back = dequantizeConvWeights(quantizeConvWeights(c), c.outChannels);
  double worst = 0;
  for (size_t i = 0; i < back.size(); ++i)
    worst = std::max(worst, double(std::fabs(back[i] - c.weights[i])));
  CHECK(worst < 1e-6);

  // Weights only (FP32 activations), on golden positions never calibrated on.
  GoldenPositions gp = loadGoldenPositions(golden);
  std::vector<GameState> states;
  std::vector<int> syms;
  for (size_t i = 0; i < gp.states.size(); i += 8) {
    states.push_back(gp.states[i]);
    syms.push_back(gp.symmetries[i]);
  }
  auto test = encode(states, syms);
  AgreementMetrics rtn = eigenAgreement(roundToNearest(*folded(), convs), test);
  AgreementMetrics gptq = eigenAgreement(g.model, test);
  WARN("weights only, " << test.size() << " golden positions: KL " << rtn.policyKL << " -> "
                        << gptq.policyKL << ", top-1 " << rtn.policyTop1 << " -> "
                        << gptq.policyTop1);
  CHECK(gptq.policyKL < 0.8 * rtn.policyKL);
}
