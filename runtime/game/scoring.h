#pragma once

// Score helpers around GameState: a plain area count (what GNU Go and Chinese
// counting give once every dead stone has been captured), the score the rules
// would give now, and GTP/SGF result strings.

#include <string>

#include "game/board.h"
#include "game/game_state.h"

namespace hoshi {

// Tromp-Taylor area: each stone, and each empty region reaching stones of
// only one colour, counts for that colour. White minus black, no komi.
int trompTaylorAreaWhiteMinusBlack(const Board& board);

// The final score (white minus black, komi and bonuses included) if the game
// were scored now under its rules; the state itself is not changed.
float scoreNowWhiteMinusBlack(const GameState& state);

// GTP final_score form: "W+3.5", "B+0.5", "0" for a draw.
std::string formatScore(float whiteMinusBlack);

// SGF RE form of a finished game: "W+3.5", "B+R", "0" (draw), "Void" (no result);
// "?" while the game is not finished.
std::string formatResult(const GameState& state);

}  // namespace hoshi
