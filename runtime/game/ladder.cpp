#include "game/ladder.h"

#include <array>

namespace hoshi {
namespace {

// KataGo gives up (answers "not captured") after this many moves.
constexpr int kNodeBudget = 25000;

// Appends the liberties of the chain at loc to list, skipping points already
// in list from index `from` on. Returns how many were appended.
int appendLiberties(const Board& b, Loc loc, std::vector<Loc>& list, size_t from) {
  int added = 0;
  b.forEachChainStone(loc, [&](Loc s) {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + b.adjOffset(i));
      if (b.at(a) != Color::kEmpty) continue;
      bool dup = false;
      for (size_t j = from; j < list.size(); j++) dup = dup || list[j] == a;
      if (!dup) {
        list.push_back(a);
        added++;
      }
    }
  });
  return added;
}

// Moves that capture an opponent chain in atari next to the chain at loc.
int appendLibertyGainingCaptures(const Board& b, Loc loc, std::vector<Loc>& list, size_t from) {
  const Color opp = opponent(b.at(loc));
  std::array<Loc, kMaxArrSize> heads;
  int numHeads = 0;
  int added = 0;
  b.forEachChainStone(loc, [&](Loc s) {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + b.adjOffset(i));
      if (b.at(a) != opp || b.numLiberties(a) != 1) continue;
      Loc h = b.chainHead(a);
      bool seen = false;
      for (int j = 0; j < numHeads; j++) seen = seen || heads[j] == h;
      if (seen) continue;
      heads[numHeads++] = h;
      added += appendLiberties(b, a, list, from);
    }
  });
  return added;
}

bool hasLibertyGainingCaptures(const Board& b, Loc loc) {
  const Color opp = opponent(b.at(loc));
  bool any = false;
  b.forEachChainStone(loc, [&](Loc s) {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + b.adjOffset(i));
      if (b.at(a) == opp && b.numLiberties(a) == 1) any = true;
    }
  });
  return any;
}

// Cheap bounds on the liberties of a stone of c played at loc.
void boundLibertiesAfterPlay(const Board& b, Loc loc, Color c, int& lower, int& upper) {
  const Color opp = opponent(c);
  int immediate = 0, captures = 0, captureStones = 0, connSum = 0, connMax = 0;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(loc + b.adjOffset(i));
    Color ac = b.at(a);
    if (ac == Color::kEmpty) {
      immediate++;
    } else if (ac == opp) {
      if (b.numLiberties(a) == 1) {
        captures++;
        captureStones += b.chainSize(a);
      }
    } else if (ac == c) {
      int extra = b.numLiberties(a) - 1;
      connSum += extra;
      if (extra > connMax) connMax = extra;
    }
  }
  lower = captures + (connMax > immediate ? connMax : immediate);
  upper = immediate + captureStones + connSum;
}

// Exact liberties of a stone of c at loc, counting at most up to cap.
int libertiesAfterPlay(const Board& b, Loc loc, Color c, int cap) {
  const Color opp = opponent(c);
  std::vector<Loc> libs;
  Loc captured[4];
  int numCaptured = 0;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(loc + b.adjOffset(i));
    if (b.at(a) == Color::kEmpty) {
      libs.push_back(a);
    } else if (b.at(a) == opp && b.numLiberties(a) == 1) {
      libs.push_back(a);
      Loc h = b.chainHead(a);
      bool seen = false;
      for (int j = 0; j < numCaptured; j++) seen = seen || captured[j] == h;
      if (!seen) captured[numCaptured++] = h;
    }
    if (static_cast<int>(libs.size()) >= cap) return cap;
  }
  auto becomesEmpty = [&](Loc p) {
    if (b.at(p) == Color::kEmpty) return true;
    if (b.at(p) != opp) return false;
    for (int j = 0; j < numCaptured; j++)
      if (captured[j] == b.chainHead(p)) return true;
    return false;
  };
  Loc joined[4];
  int numJoined = 0;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(loc + b.adjOffset(i));
    if (b.at(a) != c) continue;
    Loc h = b.chainHead(a);
    bool seen = false;
    for (int j = 0; j < numJoined; j++) seen = seen || joined[j] == h;
    if (seen) continue;
    joined[numJoined++] = h;
    bool full = false;
    b.forEachChainStone(a, [&](Loc s) {
      for (int k = 0; k < 4 && !full; k++) {
        Loc p = static_cast<Loc>(s + b.adjOffset(k));
        if (p == loc || !becomesEmpty(p)) continue;
        bool counted = false;
        for (Loc q : libs) counted = counted || q == p;
        if (counted) continue;
        libs.push_back(p);
        full = static_cast<int>(libs.size()) >= cap;
      }
    });
    if (full) return cap;
  }
  return static_cast<int>(libs.size());
}

// Liberties (x2) the owner could gain by connecting at loc to its own chains.
int connectionLibertiesX2(const Board& b, Loc loc, Color c) {
  int total = 0;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(loc + b.adjOffset(i));
    if (b.at(a) != c) continue;
    int libs = b.numLiberties(a);
    if (libs > 1) total += libs * 2 - 3;
  }
  return total;
}

bool areAdjacent(const Board& b, Loc p, Loc q) {
  for (int i = 0; i < 4; i++)
    if (p + b.adjOffset(i) == q) return true;
  return false;
}

// Depth-first ladder reading. The defender owns the chain at target_.
class LadderReader {
 public:
  LadderReader(Board& b, Loc target, bool defenderFirst)
      : b_(b),
        target_(target),
        defender_(b.at(target)),
        attacker_(opponent(b.at(target))),
        defenderFirst_(defenderFirst),
        maxDepth_(b.xSize() * b.ySize() * 3 / 2) {}

  bool run() {
    bool r = read(0);
    return aborted_ ? false : r;
  }
  bool aborted() const { return aborted_; }

 private:
  // Returns whether the defender ends up captured.
  bool read(int depth) {
    // A sequence this long can only be a repetition: call it captured.
    if (depth >= maxDepth_) return true;
    const bool defenderMoves = ((depth % 2) == 0) == defenderFirst_;
    const int libs = b_.numLiberties(target_);
    if (!defenderMoves && libs <= 1) return true;
    if (!defenderMoves && libs >= 3) return false;
    if (defenderMoves && libs >= 2) return false;
    // Ladders that hinge on a ko are not counted as working.
    if (defenderMoves && b_.koLoc() != kNullLoc) return false;

    std::vector<Loc> moves;
    if (defenderMoves) {
      if (!defenderMoveList(moves)) return decided_;
    } else {
      if (!attackerMoveList(moves)) return decided_;
    }
    const Color mover = defenderMoves ? defender_ : attacker_;
    for (Loc m : moves) {
      if (!b_.isLegalIgnoringSuperko(m, mover, false)) continue;
      Board::UndoRecord rec = b_.play(m, mover);
      nodes_++;
      bool captured = nodes_ >= kNodeBudget ? (aborted_ = true) : read(depth + 1);
      b_.undo(rec);
      if (aborted_) return false;
      if (defenderMoves && !captured) return false;
      if (!defenderMoves && captured) return true;
    }
    return defenderMoves;
  }

  // Fills the defender's tries; false when the position is already decided
  // (answer in decided_).
  bool defenderMoveList(std::vector<Loc>& moves) {
    appendLibertyGainingCaptures(b_, target_, moves, 0);
    appendLiberties(b_, target_, moves, 0);
    int lower, upper;
    boundLibertiesAfterPlay(b_, moves.back(), defender_, lower, upper);
    if (lower >= 3) return decide(false);
    if (moves.size() == 1 && upper <= 1) return decide(true);
    return true;
  }

  bool attackerMoveList(std::vector<Loc>& moves) {
    appendLiberties(b_, target_, moves, 0);
    int libs0 = b_.numEmptyNeighbours(moves[0]);
    int libs1 = b_.numEmptyNeighbours(moves[1]);
    // Both liberties are ko mouths the defender cannot profit from filling:
    // treat the double ko as a capture.
    if (libs0 == 0 && libs1 == 0 && b_.wouldBeKoCapture(moves[0], attacker_) &&
        b_.wouldBeKoCapture(moves[1], attacker_)) {
      if (libertiesAfterPlay(b_, moves[0], defender_, 3) <= 2 &&
          libertiesAfterPlay(b_, moves[1], defender_, 3) <= 2 &&
          !hasLibertyGainingCaptures(b_, target_))
        return decide(true);
    }
    if (!areAdjacent(b_, moves[0], moves[1])) {
      if (libs0 >= 3 && libs1 >= 3) return decide(false);
      if (libs0 >= 3) {
        moves.resize(1);
      } else if (libs1 >= 3) {
        moves[0] = moves[1];
        moves.resize(1);
      }
    }
    if (moves.size() > 1) {
      int score0 = libs0 * 2 + connectionLibertiesX2(b_, moves[0], defender_);
      int score1 = libs1 * 2 + connectionLibertiesX2(b_, moves[1], defender_);
      if (score1 > score0) std::swap(moves[0], moves[1]);
    }
    return true;
  }

  bool decide(bool captured) {
    decided_ = captured;
    return false;
  }

  Board& b_;
  Loc target_;
  Color defender_;
  Color attacker_;
  bool defenderFirst_;
  int maxDepth_;
  int nodes_ = 0;
  bool aborted_ = false;
  bool decided_ = false;
};

}  // namespace

bool isLadderCaptured(Board& board, Loc loc) {
  if (!isStone(board.at(loc)) || board.numLiberties(loc) > 1) return false;
  // At the root every ko is assumed to favour the defender.
  Loc savedKo = board.koLoc();
  board.clearKoLoc();
  LadderReader reader(board, loc, true);
  bool r = reader.run();
  // KataGo leaves the ko point cleared when the budget runs out; later scans
  // on the same board copy see that, so do the same.
  if (!reader.aborted()) board.setKoLoc(savedKo);
  return r;
}

bool isLadderCapturedAttackerFirst(Board& board, Loc loc, std::vector<Loc>& workingMoves) {
  if (!isStone(board.at(loc)) || board.numLiberties(loc) != 2) return false;
  const Color attacker = opponent(board.at(loc));
  std::vector<Loc> libs;
  appendLiberties(board, loc, libs, 0);
  bool works[2] = {false, false};
  for (int i = 0; i < 2; i++) {
    if (!board.isLegalIgnoringSuperko(libs[i], attacker, false)) continue;
    Board::UndoRecord rec = board.play(libs[i], attacker);
    works[i] = isLadderCaptured(board, loc);
    board.undo(rec);
  }
  if (!works[0] && !works[1]) return false;
  workingMoves.clear();
  for (int i = 0; i < 2; i++)
    if (works[i]) workingMoves.push_back(libs[i]);
  return true;
}

}  // namespace hoshi
