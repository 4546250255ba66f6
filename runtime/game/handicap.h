#pragma once

// Handicap stone placement for the GTP commands fixed_handicap,
// place_free_handicap and set_free_handicap.

#include <string>
#include <vector>

#include "game/board.h"

namespace hoshi {

// Largest fixed handicap for a board: 9 when both sides are odd and at least 9
// lines, 4 on other boards of 7 lines or more, 0 below that (as GNU Go).
int maxFixedHandicap(int xSize, int ySize);

// The GTP specification's fixed handicap points (GNU Go places the same):
// corners on the 4-4 points (3-3 below 12 lines), then side midpoints and
// the centre. Ordered top row first, left to right. Throws
// std::invalid_argument when n < 2 or n > maxFixedHandicap.
std::vector<Loc> fixedHandicapPoints(int xSize, int ySize, int n);

// Points for place_free_handicap: the fixed points while they last, then
// points spread out as far as possible from the stones already chosen. n is
// capped like KataGo (at most 30 stones and a quarter of the board); throws
// std::invalid_argument when n < 2.
std::vector<Loc> freeHandicapPoints(int xSize, int ySize, int n);

// Checks a set_free_handicap request: the board must be empty, and the
// points distinct, on the board, at least 2 and fewer than the board has.
// Returns an empty string if fine, else the reason.
std::string checkFreeHandicap(const Board& board, const std::vector<Loc>& points);

}  // namespace hoshi
