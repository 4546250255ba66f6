#pragma once

// Playouts weighted by the net's own uncertainty (KataGo's useUncertainty):
// nets of version 8 and later predict how far their value and score are from
// what a short search would find (the short-term error heads). An
// evaluation the net is unsure of counts less in the averages above it:
//   weight = coeff / (u^exponent + coeff / maxWeight),
// u = winLossUtilityFactor * winloss error + dUtility/dScore * score error,
// so a certain evaluation weighs up to uncertaintyMaxWeight. Nets without
// the heads (and useUncertainty false) give every evaluation weight 1.

#include "nn/evaluator.h"
#include "search/search_params.h"

namespace hoshi::search {

// dUtility/dScore of the score terms at a white score `scoreMean` (white's
// view), `centre` being the dynamic score centre.
double scoreUtilityDerivative(const SearchParams& params, double scoreMean, double centre,
                              int boardArea);

double uncertaintyWeight(const SearchParams& params, const nn::NetOutput& out, double centre,
                         int boardArea);

}  // namespace hoshi::search
