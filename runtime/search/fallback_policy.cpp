#include "search/fallback_policy.h"

namespace hoshi {

bool isTrueEye(const Board& board, Loc loc, Color c) {
  if (board.at(loc) != Color::kEmpty) return false;
  for (int i = 0; i < 4; ++i) {
    Color n = board.at(static_cast<Loc>(loc + board.adjOffset(i)));
    if (n != c && n != Color::kWall) return false;
  }
  int own = 0;
  int onBoard = 0;
  for (int i = 4; i < 8; ++i) {
    Color d = board.at(static_cast<Loc>(loc + board.adjOffset(i)));
    if (d == Color::kWall) continue;
    ++onBoard;
    own += d == c;
  }
  // Off-board diagonals cannot be taken, so an edge eye tolerates no enemy or
  // empty diagonal while a centre eye tolerates one.
  return onBoard == 4 ? own >= 3 : own == onBoard;
}

Loc pickFallbackMove(const Board& board, Color mover, const std::vector<Loc>& legal,
                     std::mt19937_64& rng) {
  std::vector<Loc> candidates;
  for (Loc l : legal) {
    if (l != kPassLoc && !isTrueEye(board, l, mover)) candidates.push_back(l);
  }
  if (candidates.empty()) return kPassLoc;
  std::uniform_int_distribution<size_t> pick(0, candidates.size() - 1);
  return candidates[pick(rng)];
}

}  // namespace hoshi
