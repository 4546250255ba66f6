#pragma once

// Builds FeatureInputs (and the legal-move mask) from a GameState, the way
// KataGo's kata-raw-nn sees its BoardHistory.

#include <cstdint>
#include <vector>

#include "nn/features.h"

namespace hoshi {
class GameState;
}

namespace hoshi::nn {

class FeatureSnapshot {
 public:
  // modelPrefersPassAliveUnderSuicide: the model asks for pass-alive areas
  // computed as if multi-stone suicide were legal (KataGo's "auto" mode).
  FeatureSnapshot(const GameState& state, bool modelPrefersPassAliveUnderSuicide,
                  const InputOptions& options = {});

  const FeatureInputs& inputs() const { return inputs_; }
  // [y * xSize + x] then pass: 1 where the side to move may play.
  std::vector<uint8_t> legalMoves() const;

 private:
  const GameState& state_;
  FeatureInputs inputs_;
};

}  // namespace hoshi::nn
