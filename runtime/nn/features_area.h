#pragma once

// Pass-alive stones and territory (Benson's algorithm) as KataGo computes
// them for the network's area planes and for scoring.

#include <array>

#include "game/board.h"

namespace hoshi::nn {

using AreaMap = std::array<Color, kMaxArrSize>;

// KataGo's Board::calculateArea. Marks pass-alive stones and the territory
// they enclose for both colours; safeBigTerritories also marks empty regions
// bordered only by one colour's pass-alive stones, unsafeBigTerritories any
// empty region bordered by one colour only (where not already claimed);
// nonPassAliveStones finally marks every remaining stone with its own colour.
AreaMap computeArea(const Board& board, bool nonPassAliveStones, bool safeBigTerritories,
                    bool unsafeBigTerritories, bool multiStoneSuicideLegal);

// KataGo's Board::calculateIndependentLifeArea (group-tax scoring): areas
// that neither touch dame nor hold a stone in atari, counted per region in
// whiteMinusBlackRegions; optionally keeping territories and/or stones.
AreaMap computeIndependentLifeArea(const Board& board, int& whiteMinusBlackRegions,
                                   bool keepTerritories, bool keepStones,
                                   bool multiStoneSuicideLegal);

}  // namespace hoshi::nn
