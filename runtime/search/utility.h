#pragma once

// What a position is worth to the search: winning, plus a little for the
// score. The score terms are a smooth saturating function (arctan) of the
// score, averaged over the net's score distribution, so that a won game still
// prefers a bigger margin (endgames, handicap games) without ever trading the
// win for points. The dynamic term is centred on the score expected at the
// root, so the engine keeps fighting for points when far ahead or behind.

#include "game/game_state.h"
#include "nn/evaluator.h"
#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

// In (-1, 1): E[2/pi * atan((s - centre) / (scale * sqrt(area)))] for
// s ~ Normal(mean, stdev).
double scoreValue(double mean, double stdev, double centre, double scale, int boardArea);

class Utility {
 public:
  Utility(const SearchParams& params, int boardArea, double dynamicCentre)
      : params_(params), area_(boardArea), centre_(dynamicCentre) {}

  // White's utility of a score distribution and a win/loss expectation.
  double white(double winLoss, double scoreMean, double scoreMeanSq) const;
  Sample fromNet(const nn::NetOutput& out) const;
  // A finished game, scored by the rules (a resignation or no result too).
  Sample fromFinishedGame(const GameState& state) const;
  double dynamicCentre() const { return centre_; }

 private:
  SearchParams params_;
  int area_;
  double centre_;
};

// The dynamic score centre for a search whose root expects `whiteScoreMean`.
double dynamicScoreCentre(const SearchParams& params, double whiteScoreMean, int boardArea);

}  // namespace hoshi::search
