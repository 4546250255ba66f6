#include "search/play_selection.h"

#include <algorithm>
#include <cmath>

#include "search/puct.h"

namespace hoshi::search {

LcbBound utilityLcb(const NodeStats& st, Color pla, const SearchParams& params) {
  const double range = params.winLossUtilityFactor + params.staticScoreUtilityFactor +
                       params.dynamicScoreUtilityFactor;
  LcbBound b;
  b.radius = 2.0 * range * params.lcbStdevs;
  b.lcb = -b.radius;
  if (st.visits <= 0) return b;
  double w = st.weight;
  double wSq = st.weightSq;
  if (w <= 0 || wSq <= 0) return b;
  // A prior of weight w / ess^3 at the widest variance (ess: the effective
  // number of samples; the visits when every sample weighs 1).
  double ess = w * w / wSq;
  const double priorWeight = w / (ess * ess * ess);
  const double mean = st.utility;
  double meanSq = std::max(st.utilitySq, mean * mean + 1e-8);
  meanSq = (meanSq * w + (meanSq + range * range) * priorWeight) / (w + priorWeight);
  w += priorWeight;
  wSq += priorWeight * priorWeight;
  ess = w * w / wSq;
  const double stdev = std::sqrt(std::max(0.0, meanSq - mean * mean) / ess);
  b.radius = stdev * params.lcbStdevs;
  b.lcb = sideSign(pla) * mean - b.radius;
  return b;
}

namespace {

// KataGo's reduced play selection weights: every child but the most weighted
// keeps only the weight at which PUCT would still have chosen it over that
// child, rounded up. Visits that exploration forced on a move do not count
// towards playing it.
void dropExplorationWeight(const Node& node, const SearchParams& params,
                           std::vector<PlaySelection>& out, int mostIdx) {
  double totalWeight = 0;
  for (const PlaySelection& p : out) totalWeight += p.value;
  const double scale = exploreScaling(totalWeight, node.stats(), params);
  const PlaySelection& most = out[mostIdx];
  const double bestValue = most.utility + scale * node.edge(most.edge).prior / (1.0 + most.value);
  for (size_t i = 0; i < out.size(); ++i) {
    if (static_cast<int>(i) == mostIdx || out[i].value <= 0) continue;
    // The weight w with utility + scale * prior / (1 + w) == bestValue.
    const double explore = bestValue - out[i].utility;
    double wanted = 1e100;
    if (explore > 0) wanted = std::max(0.0, scale * node.edge(out[i].edge).prior / explore - 1.0);
    out[i].value = std::ceil(std::min(out[i].value, wanted));
  }
}

}  // namespace

std::vector<PlaySelection> playSelectionValues(const Node& node, Color pla,
                                               const SearchParams& params) {
  std::vector<PlaySelection> out;
  std::vector<LcbBound> bounds;
  int mostIdx = -1;
  double mostGoodness = -1e300;
  for (int i = 0; i < node.numEdges(); ++i) {
    const NodeStats st = node.childStats(i);
    if (st.visits <= 0) continue;
    PlaySelection p;
    p.edge = i;
    p.move = node.edge(i).move;
    p.visits = st.visits;
    p.utility = sideSign(pla) * st.utility;
    p.value = st.weight;  // the edge's weight (KataGo's); reweighted visits
    // The most visited child, its last visit discounted and a touch of the
    // prior added so that near-ties at few visits go to the net's choice.
    const double n = static_cast<double>(st.visits);
    const double goodness = p.value * std::max(0.0, n - 1.0) / n + 2.0 * node.edge(i).prior;
    if (goodness > mostGoodness) {
      mostGoodness = goodness;
      mostIdx = static_cast<int>(out.size());
    }
    out.push_back(p);
    if (params.useLcbForSelection) bounds.push_back(utilityLcb(st, pla, params));
  }
  if (out.empty()) return out;
  dropExplorationWeight(node, params, out, mostIdx);
  if (!params.useLcbForSelection) return out;

  const double minValue = params.minVisitPropForLCB * out[mostIdx].value;
  int bestIdx = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].value <= 0 || out[i].value < minValue) continue;
    if (bestIdx < 0 || bounds[i].lcb > bounds[bestIdx].lcb) bestIdx = static_cast<int>(i);
  }
  if (bestIdx < 0) return out;
  // The best bound's move gets the visits it would need for each child it
  // out-bounds: a child whose radius would have to widen by a factor f to
  // reach the best bound is worth f^2 its visits (stdev ~ 1/sqrt(visits));
  // f is capped at 5 as a guard.
  double lifted = out[bestIdx].value;
  for (size_t i = 0; i < out.size(); ++i) {
    if (static_cast<int>(i) == bestIdx) continue;
    const double excess = bounds[bestIdx].lcb - bounds[i].lcb;
    if (excess < 0) continue;  // a better bound, but too few visits to count
    const double r = bounds[i].radius;
    const double f = (r + excess) / (r + 0.2 * excess);
    lifted = std::max(lifted, f * f * out[i].value);
  }
  out[bestIdx].value = lifted;
  return out;
}

}  // namespace hoshi::search
