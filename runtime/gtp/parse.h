#pragma once

#include <string>

#include "game/board.h"

namespace hoshi::gtp {

// Argument parsing shared by the handlers; each returns false on bad input.
bool parseInt(const std::string& s, int& out);
bool parseFloat(const std::string& s, double& out);
// "b", "black", "w", "white" in any case.
bool parseColor(const std::string& s, Color& out);
// A vertex on the current board size, or "pass".
bool parseVertex(const std::string& s, const Board& board, Loc& out);

}  // namespace hoshi::gtp
