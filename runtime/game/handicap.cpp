#include "game/handicap.h"

#include <algorithm>
#include <stdexcept>

namespace hoshi {

namespace {

// Distance of the handicap lines from the edge, 1-based (4-4 or 3-3 points).
int edgeLine(int size) {
  return size >= 12 ? 4 : 3;
}

Loc padded(int x, int y, int xSize) {
  return static_cast<Loc>((x + 1) + (y + 1) * (xSize + 1));
}

void sortTopLeftFirst(std::vector<Loc>& locs) {
  std::sort(locs.begin(), locs.end());
}

}  // namespace

int maxFixedHandicap(int xSize, int ySize) {
  if (xSize < 7 || ySize < 7) return 0;
  return (xSize % 2 == 1 && ySize % 2 == 1 && xSize >= 9 && ySize >= 9) ? 9 : 4;
}

std::vector<Loc> fixedHandicapPoints(int xSize, int ySize, int n) {
  int maxN = maxFixedHandicap(xSize, ySize);
  if (n < 2 || n > maxN)
    throw std::invalid_argument(
        "invalid handicap " + std::to_string(n) + " for " + std::to_string(xSize) + "x" +
        std::to_string(ySize) +
        (maxN ? " (2 to " + std::to_string(maxN) + ")" : " (no fixed handicap)"));
  const int left = edgeLine(xSize) - 1, right = xSize - edgeLine(xSize);
  const int top = edgeLine(ySize) - 1, bottom = ySize - edgeLine(ySize);
  const int midX = xSize / 2, midY = ySize / 2;
  // GTP order: lower left, upper right, upper left, lower right, then sides and centre.
  std::vector<Loc> out = {padded(left, bottom, xSize), padded(right, top, xSize)};
  if (n >= 3) out.push_back(padded(left, top, xSize));
  if (n >= 4) out.push_back(padded(right, bottom, xSize));
  if (n >= 6) {
    out.push_back(padded(left, midY, xSize));
    out.push_back(padded(right, midY, xSize));
  }
  if (n >= 8) {
    out.push_back(padded(midX, top, xSize));
    out.push_back(padded(midX, bottom, xSize));
  }
  if (n % 2 == 1 && n >= 5) out.push_back(padded(midX, midY, xSize));
  sortTopLeftFirst(out);
  return out;
}

std::vector<Loc> freeHandicapPoints(int xSize, int ySize, int n) {
  if (n < 2) throw std::invalid_argument("handicap must be at least 2");
  n = std::min({n, 30, xSize * ySize / 4});
  std::vector<Loc> out;
  int fixedN = std::min(n, maxFixedHandicap(xSize, ySize));
  if (fixedN >= 2) out = fixedHandicapPoints(xSize, ySize, fixedN);
  // Greedy spreading: the point farthest from every chosen stone, preferring
  // points away from the first line, then the top left.
  while (static_cast<int>(out.size()) < n) {
    Loc best = kNullLoc;
    int bestScore = -1;
    for (int y = 0; y < ySize; y++)
      for (int x = 0; x < xSize; x++) {
        Loc l = padded(x, y, xSize);
        if (std::find(out.begin(), out.end(), l) != out.end()) continue;
        int nearest = 4 * (xSize + ySize);
        for (Loc s : out) {
          int sx = s % (xSize + 1) - 1, sy = s / (xSize + 1) - 1;
          nearest = std::min(nearest, (sx - x) * (sx - x) + (sy - y) * (sy - y));
        }
        int edge = std::min({x, y, xSize - 1 - x, ySize - 1 - y});
        int score = nearest * 4 + std::min(edge, 3);
        if (edge == 0 && std::min(xSize, ySize) > 4) score -= 1000;
        if (score > bestScore) {
          bestScore = score;
          best = l;
        }
      }
    out.push_back(best);
  }
  sortTopLeftFirst(out);
  return out;
}

std::string checkFreeHandicap(const Board& board, const std::vector<Loc>& points) {
  if (!board.isEmpty()) return "board is not empty";
  if (points.size() < 2) return "at least 2 handicap stones are needed";
  if (static_cast<int>(points.size()) >= board.xSize() * board.ySize())
    return "too many handicap stones";
  for (size_t i = 0; i < points.size(); i++) {
    if (points[i] == kPassLoc || !board.isOnBoard(points[i])) return "invalid handicap vertex";
    for (size_t j = 0; j < i; j++)
      if (points[j] == points[i])
        return "repeated handicap vertex " + locToString(points[i], board);
  }
  return "";
}

}  // namespace hoshi
