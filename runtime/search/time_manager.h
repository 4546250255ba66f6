#pragma once

// How long to think on one move under the game's clock: an even share of
// the main time over the moves expected to remain, plus most of a byo-yomi
// period (or a Canadian period's share per stone), minus the lag buffer.

#include "game/game_state.h"

namespace hoshi::search {

// The game's time control as time_settings, kgs-time_settings and
// kata-time_settings set it (one struct for the engine and the time manager).
struct TimeControls {
  enum class Kind { kNone, kAbsolute, kCanadian, kByoYomi, kFischer };
  Kind kind = Kind::kNone;
  double mainTime = 0;
  double periodTime = 0;  // byo-yomi or Canadian period length
  int periodStones = 0;   // Canadian: stones per period
  int periods = 0;        // Japanese byo-yomi: periods
  // Fischer: seconds added after each move; the main time is capped at
  // mainTimeLimit after adding it, and no move may take more than
  // maxTimePerMove (both < 0: no cap; kata-time_settings fischer-capped).
  double increment = 0;
  double mainTimeLimit = -1;
  double maxTimePerMove = -1;
};

// Time left for one player as last told by time_left.
struct ClockState {
  double seconds = -1;  // < 0: never told (assume the full main time)
  int stones = 0;       // 0: in main time; else stones (Canadian) or periods (byo-yomi) left
};

// The clock of the player about to move: the controls and what is left.
struct MoveClock : TimeControls {
  double secondsLeft = -1;  // ClockState::seconds
  int stonesLeft = 0;       // ClockState::stones
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
