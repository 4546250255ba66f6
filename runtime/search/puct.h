#pragma once

// PUCT child selection (AlphaZero's rule with KataGo's refinements): the
// exploration constant grows with the log of the parent's visits, unvisited
// children get a first-play-urgency value below the parent's, and visits in
// flight on other threads count as losses.

#include <random>

#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

// +1 for white, -1 for black: turns white-view stats into the mover's view.
inline double sideSign(Color c) {
  return c == Color::kWhite ? 1.0 : -1.0;
}

// KataGo's cpuctUtilityStdev*: the exploration term scaled by
// 1 + scale * (stdev / prior - 1), stdev the parent's utility standard
// deviation with a prior of cpuctUtilityStdevPriorWeight samples at
// cpuctUtilityStdevPrior (volatile positions explore more). 1 when scale is 0.
double utilityStdevFactor(const NodeStats& parent, const SearchParams& params);

// The exploration term's scale for a parent whose visited children weigh
// totalChildWeight: (cpuctExploration + cpuctExplorationLog *
// log((w + base) / base)) * sqrt(w + 0.01) * utilityStdevFactor. A child's
// selection value is its utility + scale * prior / (1 + its weight).
double exploreScaling(double totalChildWeight, const NodeStats& parent, const SearchParams& params);

// The value first-play urgency starts from, for the player to move (`sign`
// from sideSign): the parent's average, or with fpuParentWeightByVisitedPolicy
// a blend that leans on the parent's own net evaluation while little of the
// policy has been visited (weight visitedPolicyMass^pow on the average), or
// with fpuParentWeight that fixed share of the net evaluation.
double fpuParentUtility(const Node& node, const NodeStats& parent, double sign,
                        double visitedPolicyMass, const SearchParams& params);

// Index of the edge of `node` (expanded, with edges) to descend for `pla`
// (the player to move at `node`). lossUtility is the utility of a sure loss
// (the value a virtual loss stands for). With params.wideRootNoise > 0 and
// an rng, root choices are widened: a flatter policy and, on half the
// choices, a random utility bonus per child (KataGo's wideRootNoise).
int selectEdge(const Node& node, Color pla, const SearchParams& params, bool isRoot,
               double lossUtility, std::mt19937_64* rng = nullptr);

}  // namespace hoshi::search
