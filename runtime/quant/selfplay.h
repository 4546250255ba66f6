#pragma once

// Calibration positions from games a net plays against itself (moves drawn
// from its own policy), on every board size from 7x7 to 19x19 and under
// several rule sets: the small boards and odd positions that professional
// 19x19 records never show, without touching any test set.

#include <cstdint>
#include <functional>
#include <vector>

#include "game/game_state.h"
#include "nn/evaluator.h"

namespace hoshi::quant {

// n positions; each game keeps a random fifth of its positions. progress(done, n).
std::vector<GameState> selfPlayPositions(nn::Evaluator& net, int n, uint64_t seed,
                                         const std::function<void(int, int)>& progress = {});

}  // namespace hoshi::quant
