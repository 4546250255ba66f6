// The Eigen backend with a pass MLP wider than every other layer (found by
// reading the code the fuzz targets drive: the hidden layer of the pass MLP
// goes to a scratch buffer sized only by the channel counts and the value
// head's v2 width; a wider hidden layer wrote past its end).

#include <catch2/catch.hpp>

#include <memory>

#include "game/board.h"
#include "game/game_state.h"
#include "game/rules.h"
#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/model_writer.h"

using namespace hoshi;

namespace {

nn::NetOutput evaluateOnce(const nn::ModelDesc& desc) {
  auto model = std::make_shared<const nn::ModelDesc>(desc);
  nn::BackendOptions bo;
  bo.maxBatch = 1;
  nn::EvaluatorOptions eo;
  nn::Evaluator evaluator(nn::createBackend("eigen", model, bo), model, eo);
  GameState state(Board(5, 5), Color::kBlack, Rules::trompTaylor());
  return evaluator.evaluate(state, 0);
}

// The same function with the hidden layer padded to `width` units whose
// weights and bias are zero (act(0) = 0 for every activation).
nn::ModelDesc widenPassMlp(const nn::ModelDesc& m, int width) {
  nn::ModelDesc w = m;
  nn::PolicyHeadDesc& p = w.policyHead;
  const int h = m.policyHead.gpoolToPass.outChannels, in = m.policyHead.gpoolToPass.inChannels;
  const int out = m.policyHead.gpoolToPass2.outChannels;
  p.gpoolToPass.outChannels = width;
  p.gpoolToPass.weights.assign(size_t(in) * width, 0.0f);
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < h; ++o)
      p.gpoolToPass.weights[size_t(i) * width + o] =
          m.policyHead.gpoolToPass.weights[size_t(i) * h + o];
  p.passBias.channels = width;
  p.passBias.weights.assign(size_t(width), 0.0f);
  for (int o = 0; o < h; ++o)
    p.passBias.weights[size_t(o)] = m.policyHead.passBias.weights[size_t(o)];
  p.gpoolToPass2.inChannels = width;
  p.gpoolToPass2.weights.assign(size_t(width) * out, 0.0f);
  for (int i = 0; i < h; ++i)
    for (int o = 0; o < out; ++o)
      p.gpoolToPass2.weights[size_t(i) * out + o] =
          m.policyHead.gpoolToPass2.weights[size_t(i) * out + o];
  return w;
}

}  // namespace

TEST_CASE("eigen: a pass MLP wider than the trunk gives the same outputs", "[nn][eigen]") {
  test::WriterSpec spec;
  spec.version = 15;
  spec.trunkChannels = 4;
  spec.midChannels = 4;
  spec.gpoolChannels = 2;
  spec.headChannels = 2;
  spec.valueChannels = 3;
  spec.seed = 15;
  const nn::ModelDesc narrow = nn::parseModel(test::writeModelBytes(spec), true);
  REQUIRE(narrow.policyHead.hasPassMlp);
  const nn::ModelDesc wide = widenPassMlp(narrow, 256);
  const nn::NetOutput a = evaluateOnce(narrow);
  const nn::NetOutput b = evaluateOnce(wide);
  CHECK(b.policyPass == Approx(a.policyPass).epsilon(1e-5));
  CHECK(b.whiteWin == Approx(a.whiteWin).epsilon(1e-5));
  CHECK(b.whiteLead == Approx(a.whiteLead).epsilon(1e-5));
  REQUIRE(a.policy.size() == b.policy.size());
  for (size_t i = 0; i < a.policy.size(); ++i)
    CHECK(b.policy[i] == Approx(a.policy[i]).epsilon(1e-5));
}
