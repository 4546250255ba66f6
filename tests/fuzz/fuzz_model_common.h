#pragma once

// What the two model-loader harnesses do with a model the loader accepted:
// ask it every summary `hoshi info` prints, then run it once through the
// Eigen backend on a small board. A loader that lets inconsistent shapes
// through shows up here as an out-of-bounds access.

#include <memory>

#include "fuzz_common.h"
#include "game/board.h"
#include "game/game_state.h"
#include "game/rules.h"
#include "nn/backend.h"
#include "nn/builtin/builtin_backends.h"
#include "nn/evaluator.h"
#include "nn/model.h"

namespace hoshi::fuzz {

// Larger nets are only summarised: one evaluation would cost more than the
// thousand other inputs libFuzzer could try meanwhile.
constexpr int64_t kMaxEvaluatedParameters = 200000;

inline void exerciseModel(std::shared_ptr<const nn::ModelDesc> model) {
  volatile int64_t sink = model->directMacs(19, 19) + model->weightBytes();
  (void)sink;
  (void)model->blockSummary();
  (void)model->hasTransformerLayers();
  if (model->parameterCount > kMaxEvaluatedParameters) return;
  refused([&] {
    nn::BackendOptions bo;
    bo.maxBatch = 1;
    nn::EvaluatorOptions eo;
    eo.backend = "eigen";
    nn::registerBuiltinBackends();  // once; later calls do nothing
    nn::Evaluator evaluator(nn::createBackend("eigen", model, bo), model, eo);
    GameState state(Board(5, 5), Color::kBlack, Rules::trompTaylor());
    evaluator.evaluate(state, 0);
  });
}

}  // namespace hoshi::fuzz
