#include "search/utility.h"

#include <algorithm>
#include <cmath>

namespace hoshi::search {
namespace {

constexpr double kTwoOverPi = 0.63661977236758134;

// Gauss-Hermite nodes and weights (physicists' form, 5 points) for averaging
// over a normal distribution.
constexpr double kGhNodes[5] = {-2.0201828704560856, -0.9585724646138185, 0.0, 0.9585724646138185,
                                2.0201828704560856};
constexpr double kGhWeights[5] = {0.019953242059045913, 0.3936193231522412, 0.9453087204829419,
                                  0.3936193231522412, 0.019953242059045913};
constexpr double kInvSqrtPi = 0.56418958354775628;

}  // namespace

double scoreValue(double mean, double stdev, double centre, double scale, int boardArea) {
  const double width = scale * std::sqrt(static_cast<double>(boardArea));
  if (stdev <= 1e-6) return kTwoOverPi * std::atan((mean - centre) / width);
  double sum = 0;
  for (int i = 0; i < 5; ++i) {
    const double s = mean + std::sqrt(2.0) * stdev * kGhNodes[i];
    sum += kGhWeights[i] * std::atan((s - centre) / width);
  }
  return kTwoOverPi * sum * kInvSqrtPi;
}

double Utility::white(double winLoss, double scoreMean, double scoreMeanSq) const {
  const double stdev = std::sqrt(std::max(0.0, scoreMeanSq - scoreMean * scoreMean));
  double u = params_.winLossUtilityFactor * winLoss;
  if (params_.staticScoreUtilityFactor != 0)
    u += params_.staticScoreUtilityFactor * scoreValue(scoreMean, stdev, 0.0, 1.0, area_);
  if (params_.dynamicScoreUtilityFactor != 0)
    u += params_.dynamicScoreUtilityFactor *
         scoreValue(scoreMean, stdev, centre_, params_.dynamicScoreCenterScale, area_);
  return u;
}

Sample Utility::fromNet(const nn::NetOutput& out) const {
  Sample s;
  s.winLoss = out.whiteWin - out.whiteLoss;
  s.noResult = out.noResult;
  s.scoreMean = out.whiteScoreSelfplay;
  s.scoreMeanSq = out.whiteScoreSelfplaySq;
  s.lead = out.whiteLead;
  s.utility = white(s.winLoss, s.scoreMean, s.scoreMeanSq);
  return s;
}

Sample Utility::fromFinishedGame(const GameState& state) const {
  Sample s;
  if (state.isNoResult()) {
    s.noResult = 1;
    s.utility = 0;
    return s;
  }
  const Color w = state.winner();
  s.winLoss = w == Color::kWhite ? 1.0 : (w == Color::kBlack ? -1.0 : 0.0);
  double score = state.finalWhiteMinusBlackScore();
  if (state.isResignation()) score = s.winLoss * area_;  // nothing better is known
  s.scoreMean = score;
  s.scoreMeanSq = score * score;
  s.lead = score;
  s.utility = white(s.winLoss, s.scoreMean, s.scoreMeanSq);
  return s;
}

double dynamicScoreCentre(const SearchParams& params, double whiteScoreMean, int boardArea) {
  // Pull towards zero a little, and never centre further out than a fraction
  // of the board, so a hopeless position still counts every point.
  const double cap = std::sqrt(static_cast<double>(boardArea)) * params.dynamicScoreCenterScale * 3;
  const double c = whiteScoreMean * (1.0 - params.dynamicScoreCenterZeroWeight);
  return std::clamp(c, -cap, cap);
}

}  // namespace hoshi::search
