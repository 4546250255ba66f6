#include "search/game_values.h"

#include <algorithm>

#include "search/puct.h"

namespace hoshi::search {

void GameValues::follow(const GameState& state) {
  if (last_ && !last_->isContinuedBy(state)) {
    values_.clear();
    last_.reset();
  }
}

void GameValues::record(const GameState& state, double whiteWinLoss) {
  follow(state);
  values_.push_back(std::clamp(whiteWinLoss, -1.0, 1.0));
  last_ = state;
}

double winningSearchFactor(const std::vector<double>& whiteWinLoss, Color toMove,
                           const SearchParams& p) {
  constexpr size_t kTurns = 3;
  const double certain = p.winLossUtilityFactor;
  const double threshold = p.searchFactorWhenWinningThreshold;
  if (whiteWinLoss.size() < kTurns || certain - threshold <= 1e-10) return 1.0;
  const double sign = sideSign(toMove);
  double least = certain;
  for (size_t i = whiteWinLoss.size() - kTurns; i < whiteWinLoss.size(); ++i)
    least = std::min(least, sign * whiteWinLoss[i]);
  if (least <= threshold) return 1.0;
  const double lambda = (least - threshold) / (certain - threshold);
  return 1.0 + lambda * (p.searchFactorWhenWinning - 1.0);
}

double passSearchFactor(const GameState& state, const SearchParams& p) {
  const auto& moves = state.moves();
  const size_t n = moves.size();
  if (n == 0 || moves[n - 1].loc != kPassLoc) return 1.0;
  if (n >= 3 && moves[n - 3].loc == kPassLoc) return p.searchFactorAfterTwoPass;
  return p.searchFactorAfterOnePass;
}

bool lostForTurns(const std::vector<double>& whiteWinLoss, Color toMove, const SearchParams& p) {
  const size_t turns = static_cast<size_t>(std::max<int64_t>(1, p.resignConsecTurns));
  if (whiteWinLoss.size() < turns) return false;
  const double sign = sideSign(toMove);
  for (size_t i = whiteWinLoss.size() - turns; i < whiteWinLoss.size(); ++i) {
    if (sign * whiteWinLoss[i] >= p.resignThreshold) return false;
  }
  return true;
}

}  // namespace hoshi::search
