#pragma once

// The golden positions (shared/golden/*-raw-nn.jsonl: one JSON object a
// line, see its README) as game states with the symmetry the reference used,
// for `hoshi compare -golden` and `hoshi export` (scripts/onnx-check).

#include <string>
#include <vector>

#include "game/game_state.h"

namespace hoshi::quant {

struct GoldenPositions {
  std::vector<GameState> states;
  std::vector<int> symmetries;
  std::vector<std::string> ids;
};

// The first `limit` positions (all when limit <= 0), replayed as GTP play
// does with KataGo's default preventCleanupPhase. Throws std::runtime_error
// naming the file and line for what it cannot read or replay, or when the
// file holds no position.
GoldenPositions loadGoldenPositions(const std::string& path, int limit = 0);

}  // namespace hoshi::quant
