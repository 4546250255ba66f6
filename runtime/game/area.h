#pragma once

// Pass-alive analysis (Benson's algorithm) and area maps, with exactly
// KataGo's semantics (Board::calculateArea / calculateIndependentLifeArea):
// the network's pass-alive input planes and final scoring both come from here.

#include <array>

#include "game/board.h"

namespace hoshi {

// One colour per padded point (kEmpty for nobody and off-board).
using AreaMap = std::array<Color, kMaxArrSize>;

// Marks pass-alive stones and pass-alive territory with their owner. Also:
//  nonPassAliveStones: every other stone is marked with its own colour;
//  safeBigTerritories: empty regions bordered only by one side's stones, all
//    of them pass-alive, go to that side;
//  unsafeBigTerritories: empty regions bordered only by one side's stones go
//    to that side where nothing else claimed them.
// multiStoneSuicideLegal changes which regions count as vital (as in KataGo).
AreaMap calculateArea(const Board& board, bool nonPassAliveStones, bool safeBigTerritories,
                      bool unsafeBigTerritories, bool multiStoneSuicideLegal);

// Area with seki regions removed: regions touching dame, or holding a stone of
// their owner in atari, are dropped. keepTerritories keeps the empty points of
// dropped regions, keepStones keeps their stones. The count of remaining
// independent regions (white minus black) is what a group tax charges, times two.
AreaMap calculateIndependentLifeArea(const Board& board,
                                     int& whiteMinusBlackIndependentLifeRegionCount,
                                     bool keepTerritories, bool keepStones,
                                     bool multiStoneSuicideLegal);

}  // namespace hoshi
