#include "search/puct.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hoshi::search {

double utilityStdevFactor(const NodeStats& parent, const SearchParams& params) {
  if (params.cpuctUtilityStdevScale == 0) return 1.0;
  const double prior = params.cpuctUtilityStdevPrior;
  double stdev = prior;
  if (parent.weight > 1) {
    const double uSq = parent.utility * parent.utility;
    const double sqAvg = std::max(parent.utilitySq, uSq);
    const double priorWeight = params.cpuctUtilityStdevPriorWeight;
    const double var = ((uSq + prior * prior) * priorWeight + sqAvg * parent.weight) /
                           (priorWeight + parent.weight - 1.0) -
                       uSq;
    stdev = std::sqrt(std::max(0.0, var));
  }
  return 1.0 + params.cpuctUtilityStdevScale * (stdev / prior - 1.0);
}

double exploreScaling(double totalChildWeight, const NodeStats& parent,
                      const SearchParams& params) {
  const double cpuct =
      params.cpuctExploration +
      params.cpuctExplorationLog *
          std::log((totalChildWeight + params.cpuctExplorationBase) / params.cpuctExplorationBase);
  return cpuct * std::sqrt(totalChildWeight + 0.01) * utilityStdevFactor(parent, params);
}

double fpuParentUtility(const Node& node, const NodeStats& parent, double sign,
                        double visitedPolicyMass, const SearchParams& params) {
  const double average = sign * parent.utility;
  const double own = sign * node.nnUtility();
  if (params.fpuParentWeightByVisitedPolicy) {
    const double w =
        std::min(1.0, std::pow(visitedPolicyMass, params.fpuParentWeightByVisitedPolicyPow));
    return w * average + (1.0 - w) * own;
  }
  if (params.fpuParentWeight > 0)
    return params.fpuParentWeight * own + (1.0 - params.fpuParentWeight) * average;
  return average;
}

int selectEdge(const Node& node, Color pla, const SearchParams& params, bool isRoot,
               double lossUtility, std::mt19937_64* rng) {
  const int n = node.numEdges();
  const double sign = sideSign(pla);
  struct ChildView {
    double visits = 0;
    double utility = 0;  // pla's view, virtual losses folded in
  };
  std::vector<ChildView> view(n);
  double totalVisits = 0;
  double visitedPolicyMass = 0;
  for (int i = 0; i < n; ++i) {
    const Node* c = node.edge(i).node.load(std::memory_order_acquire);
    if (!c) continue;
    const NodeStats st = node.childStats(i);
    const int vl = c->virtualLosses();
    // Weights stand for visits (they are visits unless useUncertainty).
    const double w = st.weight + vl;
    if (w <= 0) continue;
    view[i].visits = w;
    view[i].utility = (sign * st.utility * st.weight + vl * lossUtility) / w;
    totalVisits += w;
    visitedPolicyMass += node.edge(i).prior;
  }

  const NodeStats parent = node.stats();
  const double exploreScale = exploreScaling(totalVisits, parent, params);
  const double parentUtility = fpuParentUtility(node, parent, sign, visitedPolicyMass, params);
  const double reduction = isRoot ? params.rootFpuReductionMax : params.fpuReductionMax;
  const double fpu = parentUtility - reduction * std::sqrt(visitedPolicyMass);

  // wideRootNoise: the policy flattened by a power below 1, and on half of
  // the choices each child's utility raised by |noise| ~ wideRootNoise times
  // a half-normal draw on the utility's own scale.
  const double noise = isRoot && rng ? params.wideRootNoise : 0.0;
  const double flatten = 1.0 / (4.0 * noise + 1.0);
  const double utilityScale = params.winLossUtilityFactor + params.staticScoreUtilityFactor +
                              params.dynamicScoreUtilityFactor;
  const bool bonusRound = noise > 0 && std::bernoulli_distribution(0.5)(*rng);
  std::normal_distribution<double> gauss(0.0, 1.0);

  int best = 0;
  double bestValue = -1e300;
  for (int i = 0; i < n; ++i) {
    double q = view[i].visits > 0 ? view[i].utility : fpu;
    double prior = node.edge(i).prior;
    if (noise > 0) {
      prior = std::pow(std::max(prior, 0.0), flatten);
      if (bonusRound) q += noise * std::fabs(gauss(*rng)) * utilityScale;
    }
    const double value = q + exploreScale * prior / (1.0 + view[i].visits);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

}  // namespace hoshi::search
