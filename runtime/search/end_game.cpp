#include "search/end_game.h"

#include <algorithm>
#include <cmath>

#include "search/mcts_player.h"

namespace hoshi::search {
namespace {

// A chain whose average ownership is this close to 0 is shared: seki.
constexpr double kSekiBand = 0.25;

int index(const Board& b, Loc l) {
  return b.y(l) * b.xSize() + b.x(l);
}

}  // namespace

std::vector<StoneStatus> stoneStatuses(const Board& board,
                                       const std::vector<float>& whiteOwnership) {
  const int area = board.xSize() * board.ySize();
  std::vector<StoneStatus> status(area, StoneStatus::kAlive);
  std::vector<bool> done(area, false);
  for (int y = 0; y < board.ySize(); ++y) {
    for (int x = 0; x < board.xSize(); ++x) {
      const Loc l = board.loc(x, y);
      const Color c = board.at(l);
      if (!isStone(c) || done[index(board, l)]) continue;
      double sum = 0;
      int n = 0;
      board.forEachChainStone(l, [&](Loc s) {
        sum += whiteOwnership[index(board, s)];
        ++n;
      });
      // Positive: the chain's own colour owns its points.
      const double own = (c == Color::kWhite ? 1.0 : -1.0) * sum / n;
      const StoneStatus st = std::fabs(own) < kSekiBand ? StoneStatus::kSeki
                             : own > 0                  ? StoneStatus::kAlive
                                                        : StoneStatus::kDead;
      board.forEachChainStone(l, [&](Loc s) {
        status[index(board, s)] = st;
        done[index(board, s)] = true;
      });
    }
  }
  return status;
}

std::vector<StoneStatus> judgeStones(MctsPlayer& player, const GameState& state,
                                     const SearchParams& params) {
  const int64_t visits = std::min<int64_t>(200, params.maxVisits);
  return stoneStatuses(state.board(), player.ownership(state, params, visits));
}

double scoreWithDeadRemoved(const GameState& state, const std::vector<StoneStatus>& status) {
  Board b = state.board();
  int deadBlack = 0, deadWhite = 0;
  for (int y = 0; y < b.ySize(); ++y) {
    for (int x = 0; x < b.xSize(); ++x) {
      const Loc l = b.loc(x, y);
      if (status[index(b, l)] != StoneStatus::kDead || !isStone(b.at(l))) continue;
      (b.at(l) == Color::kBlack ? deadBlack : deadWhite) += 1;
      b.setStone(l, Color::kEmpty);
    }
  }
  // Empty regions bordered by one colour only are that colour's.
  const int area = b.xSize() * b.ySize();
  std::vector<bool> seen(area, false);
  int territory[2] = {0, 0};  // black, white
  for (int y = 0; y < b.ySize(); ++y) {
    for (int x = 0; x < b.xSize(); ++x) {
      const Loc start = b.loc(x, y);
      if (b.at(start) != Color::kEmpty || seen[index(b, start)]) continue;
      std::vector<Loc> stack = {start};
      seen[index(b, start)] = true;
      int size = 0;
      bool touchBlack = false, touchWhite = false;
      while (!stack.empty()) {
        const Loc l = stack.back();
        stack.pop_back();
        ++size;
        for (int i = 0; i < 4; ++i) {
          const Loc n = static_cast<Loc>(l + b.adjOffset(i));
          const Color c = b.at(n);
          if (c == Color::kBlack) touchBlack = true;
          if (c == Color::kWhite) touchWhite = true;
          if (c == Color::kEmpty && !seen[index(b, n)]) {
            seen[index(b, n)] = true;
            stack.push_back(n);
          }
        }
      }
      if (touchBlack != touchWhite) territory[touchWhite ? 1 : 0] += size;
    }
  }
  double white = territory[1], black = territory[0];
  if (state.rules().scoring == ScoringRule::kArea) {
    white += b.numStones(Color::kWhite);
    black += b.numStones(Color::kBlack);
  } else {
    // Prisoners: stones captured during the game plus the dead ones.
    white += state.board().numCaptured(Color::kBlack) + deadBlack;
    black += state.board().numCaptured(Color::kWhite) + deadWhite;
  }
  return white - black + state.komi() + state.whiteHandicapBonusScore();
}

}  // namespace hoshi::search
