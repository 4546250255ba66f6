#pragma once

// The positions of a golden file (shared/golden/*-raw-nn.jsonl, one JSON
// object a line: board_size, rules, komi, handicap_stones, moves, symmetry,
// id; see its README) replayed into game states, for scripts/onnx-check.

#include <string>
#include <vector>

#include "game/game_state.h"

namespace hoshi::exporter {

struct GoldenPosition {
  std::string id;
  GameState state;
  int symmetry = 0;
};

// The first `limit` positions (all when limit <= 0). Throws
// std::runtime_error naming the file and line for anything it cannot read
// or replay.
std::vector<GoldenPosition> readGoldenPositions(const std::string& path, int limit);

}  // namespace hoshi::exporter
