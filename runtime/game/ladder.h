#pragma once

// Ladder reading for the network's ladder input planes, with the same search
// rules, move ordering and node budget as KataGo's so the planes match.

#include <vector>

#include "game/board.h"

namespace hoshi {

// Is the chain at loc (one liberty, its owner to move) lost to a ladder?
// The board is restored before returning.
bool isLadderCaptured(Board& board, Loc loc);

// Is the chain at loc (two liberties, the attacker to move) capturable by a
// ladder? workingMoves receives the attacker's first moves that work.
bool isLadderCapturedAttackerFirst(Board& board, Loc loc, std::vector<Loc>& workingMoves);

// Calls f(loc, workingMoves) for every stone of every chain with one or two
// liberties that a ladder captures, scanning rows top to bottom. workingMoves
// lists the attacker's first moves for the first stone of a two-liberty
// chain met in the scan and is empty otherwise.
template <class F>
void forEachLadderedStone(const Board& board, F&& f);

namespace detail {
struct LadderScanEntry {
  Loc head;
  bool laddered;
};
}  // namespace detail

template <class F>
void forEachLadderedStone(const Board& board, F&& f) {
  Board work(board);
  std::vector<detail::LadderScanEntry> solved;
  std::vector<Loc> workingMoves;
  const std::vector<Loc> none;
  for (int y = 0; y < board.ySize(); y++) {
    for (int x = 0; x < board.xSize(); x++) {
      Loc loc = board.loc(x, y);
      if (!isStone(board.at(loc))) continue;
      int libs = board.numLiberties(loc);
      if (libs != 1 && libs != 2) continue;
      Loc head = board.chainHead(loc);
      bool found = false;
      for (const auto& e : solved) {
        if (e.head != head) continue;
        found = true;
        if (e.laddered) f(loc, none);
        break;
      }
      if (found) continue;
      bool laddered;
      workingMoves.clear();
      if (libs == 1)
        laddered = isLadderCaptured(work, loc);
      else
        laddered = isLadderCapturedAttackerFirst(work, loc, workingMoves);
      solved.push_back({head, laddered});
      if (laddered) f(loc, libs == 1 ? none : workingMoves);
    }
  }
}

}  // namespace hoshi
