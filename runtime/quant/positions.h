#pragma once

// Real positions for calibration and accuracy checks: drawn from SGF game
// records (files or folders, searched recursively for .sgf and .mgt),
// deterministically for a given seed.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "game/game_state.h"

namespace hoshi::quant {

// Every .sgf / .mgt file under the given paths (files are taken as they
// are), sorted. Throws std::runtime_error for a path that does not exist.
std::vector<std::string> listGameFiles(const std::vector<std::string>& paths);

struct PositionSample {
  std::vector<GameState> positions;
  std::vector<std::string> labels;  // "file:move"
  int filesSkipped = 0;             // unreadable records
};

// n positions: files in a seeded shuffled order, a few random move numbers
// from each (so n positions spread over many games). progress(done, n) is
// called as positions are made.
PositionSample samplePositions(const std::vector<std::string>& files, int n, uint64_t seed,
                               const std::function<void(int, int)>& progress = {});

}  // namespace hoshi::quant
