#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "game/board.h"

namespace hoshi {

// The classic eye rule of random playouts: an empty point whose four
// neighbours are all c's stones (or the edge) and whose diagonals are c's
// often enough that the opponent cannot make it false: all on-board diagonals
// on the edge or in the corner, at least three of four in the centre.
bool isTrueEye(const Board& board, Loc loc, Color c);

// The move picker used when no network is configured: a uniformly random
// move among `legal` that does not fill one of the mover's own true eyes;
// kPassLoc when none is left. Deterministic for a given generator state.
Loc pickFallbackMove(const Board& board, Color mover, const std::vector<Loc>& legal,
                     std::mt19937_64& rng);

}  // namespace hoshi
