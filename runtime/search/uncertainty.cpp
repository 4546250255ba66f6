#include "search/uncertainty.h"

#include <cmath>

namespace hoshi::search {
namespace {

constexpr double kTwoOverPi = 0.63661977236758134;

// Derivative of 2/pi * atan((s - centre) / width) in s.
double atanDerivative(double s, double centre, double scale, int boardArea) {
  const double width = scale * std::sqrt(static_cast<double>(boardArea));
  const double d = s - centre;
  return kTwoOverPi * width / (width * width + d * d);
}

}  // namespace

double scoreUtilityDerivative(const SearchParams& params, double scoreMean, double centre,
                              int boardArea) {
  // The same scales as Utility::white (static: 1, dynamic: dynamicScoreCenterScale).
  return params.staticScoreUtilityFactor * atanDerivative(scoreMean, 0.0, 1.0, boardArea) +
         params.dynamicScoreUtilityFactor *
             atanDerivative(scoreMean, centre, params.dynamicScoreCenterScale, boardArea);
}

double uncertaintyWeight(const SearchParams& params, const nn::NetOutput& out, double centre,
                         int boardArea) {
  if (!params.useUncertainty) return 1.0;
  // Negative: the net has no short-term error heads.
  if (out.shorttermWinlossError < 0 || out.shorttermScoreError < 0) return 1.0;
  const double u = params.winLossUtilityFactor * out.shorttermWinlossError +
                   scoreUtilityDerivative(params, out.whiteScoreSelfplay, centre, boardArea) *
                       out.shorttermScoreError;
  const double powered = params.uncertaintyExponent == 1.0
                             ? u
                             : std::pow(std::max(0.0, u), params.uncertaintyExponent);
  const double baseline = params.uncertaintyCoeff / params.uncertaintyMaxWeight;
  return params.uncertaintyCoeff / (powered + baseline);
}

}  // namespace hoshi::search
