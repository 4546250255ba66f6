#include "search/puct.h"

#include <cmath>
#include <vector>

namespace hoshi::search {

int selectEdge(const Node& node, Color pla, const SearchParams& params, bool isRoot,
               double lossUtility) {
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
    const NodeStats st = c->stats();
    const int vl = c->virtualLosses();
    // Weights stand for visits (they are visits unless useUncertainty).
    const double w = st.weight + vl;
    if (w <= 0) continue;
    view[i].visits = w;
    view[i].utility = (sign * st.utility * st.weight - vl * lossUtility) / w;
    totalVisits += w;
    visitedPolicyMass += node.edge(i).prior;
  }

  const double cpuct =
      params.cpuctExploration +
      params.cpuctExplorationLog *
          std::log((totalVisits + params.cpuctExplorationBase) / params.cpuctExplorationBase);
  const double exploreScale = cpuct * std::sqrt(totalVisits + 0.01);
  const double parentUtility = sign * node.stats().utility;
  const double reduction = isRoot ? params.rootFpuReductionMax : params.fpuReductionMax;
  const double fpu = parentUtility - reduction * std::sqrt(visitedPolicyMass);

  int best = 0;
  double bestValue = -1e300;
  for (int i = 0; i < n; ++i) {
    const double q = view[i].visits > 0 ? view[i].utility : fpu;
    const double value = q + exploreScale * node.edge(i).prior / (1.0 + view[i].visits);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

}  // namespace hoshi::search
