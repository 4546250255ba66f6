#include "search/time_manager.h"

#include <algorithm>

namespace hoshi::search {
namespace {

constexpr double kNoLimit = 1e20;
constexpr double kMinThink = 0.05;

}  // namespace

double expectedOwnMovesLeft(const GameState& state) {
  const double area = double(state.board().xSize()) * state.board().ySize();
  const double played = static_cast<double>(state.moves().size());
  return std::max(0.5 * (0.75 * area - played), 0.1 * area);
}

double moveTimeBudget(const MoveClock& tc, const GameState& state, double lagBuffer,
                      double multiplier) {
  using Kind = MoveClock::Kind;
  if (tc.kind == Kind::kNone || tc.mainTime < 0) return kNoLimit;
  const double movesLeft = expectedOwnMovesLeft(state);
  // Before any time_left, assume the full main time is left.
  const bool told = tc.secondsLeft >= 0;
  const double left = told ? tc.secondsLeft : tc.mainTime;
  const bool inOvertime = told && tc.stonesLeft > 0;
  double budget = 0;
  double hardCap = left;  // never plan past what the clock holds
  switch (tc.kind) {
    case Kind::kAbsolute:
      budget = left / movesLeft;
      break;
    case Kind::kByoYomi:
      if (inOvertime || (told && left <= 0)) {
        budget = tc.periodTime * 0.8;
        hardCap = std::max(left, tc.periodTime);
      } else {
        budget = left / movesLeft + (tc.periods > 0 ? tc.periodTime * 0.8 : 0.0);
        hardCap = left + (tc.periods > 0 ? tc.periodTime : 0.0);
      }
      break;
    case Kind::kCanadian:
      if (inOvertime) {
        budget = left / std::max(1, tc.stonesLeft);
      } else {
        const double perStone = tc.periodStones > 0 ? tc.periodTime / tc.periodStones : 0.0;
        budget = left / movesLeft + 0.8 * perStone;
        hardCap = left + perStone;
      }
      break;
    case Kind::kFischer:
      // The increment comes back after every move: spend about that much
      // on top of an even share of what is left.
      budget = left / movesLeft + 0.8 * tc.increment;
      if (tc.maxTimePerMove >= 0) hardCap = std::min(hardCap, tc.maxTimePerMove);
      break;
    case Kind::kNone:
      return kNoLimit;
  }
  budget = std::min(budget * multiplier, hardCap - lagBuffer);
  return std::max(budget, kMinThink);
}

}  // namespace hoshi::search
