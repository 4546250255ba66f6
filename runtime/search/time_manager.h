#pragma once

// How long to think on one move under the game's clock: an even share of
// the main time over the moves expected to remain, plus most of a byo-yomi
// period (or a Canadian period's share per stone), minus the lag buffer.

#include "game/game_state.h"

namespace hoshi::search {

// The clock as GTP time_settings / kgs-time_settings / time_left describe it,
// for the player about to move.
struct MoveClock {
  enum class Kind { kNone, kAbsolute, kCanadian, kByoYomi };
  Kind kind = Kind::kNone;
  double mainTime = 0;
  double periodTime = 0;    // byo-yomi or Canadian period length
  int periodStones = 0;     // Canadian: stones per period
  int periods = 0;          // Japanese byo-yomi: periods
  double secondsLeft = -1;  // < 0: never told (assume the full main time)
  int stonesLeft = 0;       // 0: in main time; else stones (Canadian) or periods (byo-yomi) left
};

// Seconds for this move; a huge number when the clock sets no limit.
// `multiplier` (midgameTimeFactor's, search/time_factors.h) scales the share
// before it is capped by what the clock holds.
double moveTimeBudget(const MoveClock& clock, const GameState& state, double lagBuffer,
                      double multiplier = 1.0);

// The moves `state.toMove()` is still expected to play (a rough guess that
// shrinks as the board fills, never below a tenth of the board).
double expectedOwnMovesLeft(const GameState& state);

}  // namespace hoshi::search
