#pragma once

// The golden positions (shared/golden/*-raw-nn.jsonl: one JSON object a
// line, see its README) as game states with the symmetry the reference used,
// for `hoshi compare -golden`.

#include <string>
#include <vector>

#include "game/game_state.h"

namespace hoshi::quant {

struct GoldenPositions {
  std::vector<GameState> states;
  std::vector<int> symmetries;
  std::vector<std::string> ids;
};

// Throws std::runtime_error naming the file and line for what it cannot read.
GoldenPositions loadGoldenPositions(const std::string& path);

}  // namespace hoshi::quant
