#include "game/scoring.h"

#include <cstdio>

namespace hoshi {

int trompTaylorAreaWhiteMinusBlack(const Board& b) {
  std::array<bool, kMaxArrSize> seen{};
  Loc queue[kMaxArrSize];
  int score = 0;
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      Color c = b.at(l);
      if (c != Color::kEmpty) {
        score += c == Color::kWhite ? 1 : -1;
        continue;
      }
      if (seen[l]) continue;
      // Flood the empty region, noting which colours it reaches.
      int head = 0, tail = 0, size = 0;
      bool reachesBlack = false, reachesWhite = false;
      queue[tail++] = l;
      seen[l] = true;
      while (head < tail) {
        Loc p = queue[head++];
        size++;
        for (int i = 0; i < 4; i++) {
          Loc a = static_cast<Loc>(p + b.adjOffset(i));
          Color ac = b.at(a);
          reachesBlack |= ac == Color::kBlack;
          reachesWhite |= ac == Color::kWhite;
          if (ac == Color::kEmpty && !seen[a]) {
            seen[a] = true;
            queue[tail++] = a;
          }
        }
      }
      if (reachesWhite != reachesBlack) score += reachesWhite ? size : -size;
    }
  return score;
}

float scoreNowWhiteMinusBlack(const GameState& state) {
  GameState copy = state;
  copy.endAndScoreNow();
  return copy.finalWhiteMinusBlackScore();
}

std::string formatScore(float whiteMinusBlack) {
  if (whiteMinusBlack == 0.0f) return "0";
  char buf[32];
  float margin = whiteMinusBlack > 0 ? whiteMinusBlack : -whiteMinusBlack;
  std::snprintf(buf, sizeof(buf), "%c+%g", whiteMinusBlack > 0 ? 'W' : 'B',
                static_cast<double>(margin));
  return buf;
}

std::string formatResult(const GameState& state) {
  if (!state.isGameFinished()) return "?";
  if (state.isNoResult()) return "Void";
  if (state.isResignation()) return state.winner() == Color::kWhite ? "W+R" : "B+R";
  return formatScore(state.finalWhiteMinusBlackScore());
}

}  // namespace hoshi
