#pragma once

// The backup of a playout: each node on its path recomputes its statistics
// from its children's and its own net evaluation (as KataGo does), instead of
// adding the playout's sample to running sums. With every refinement below
// off the two agree; recomputing lets a node weigh its children by value:
// - valueWeightExponent: a child whose value is likely below the node's
//   average counts less (weight times P(child >= average)^exponent, a
//   Student t with 3 degrees of freedom over the child's uncertainty);
// - useNoisePruning: a child with more weight than twice its policy share
//   of the better children before it, and a worse value, loses the excess;
// - subtreeValueBiasFactor: the node's own net value is corrected by what
//   subtrees of the same local shape found (subtree_bias.h).

#include <vector>

#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

// One visited child as its parent weighs it.
struct ChildValue {
  NodeStats stats;         // white's view
  double selfUtility = 0;  // the parent's player to move's view
  double weight = 0;       // as adjusted
  double prior = 0;        // the edge's policy prior
};

// P(T <= z) for Student's t with 3 degrees of freedom.
double studentT3Cdf(double z);
// The same, read off a table of 2000 points over [-50, 50] (0 and 1 at the
// ends) with linear interpolation between them: how KataGo evaluates it for
// valueWeightExponent. The table's rounding (~1e-4) is what KataGo's search
// sees, so it is what ours uses too (tests/e2e/katago_search_parity.py).
double studentT3CdfTabled(double z);

// valueWeightExponent's reweighting; the weights keep their sum.
void downweightBadChildren(std::vector<ChildValue>& children, double valueWeightExponent);
// useNoisePruning's reweighting (children in prior order); returns the new sum.
double pruneNoise(std::vector<ChildValue>& children, double utilityScale, double cap);

class Backup {
 public:
  explicit Backup(const SearchParams& params) : params_(params) {}
  // `node` (expanded, not terminal) takes its statistics from its visited
  // children and its own evaluation, and one more visit. `buf` is scratch.
  void recompute(Node& node, std::vector<ChildValue>& buf) const;

 private:
  // The node's own sample with its utility corrected by the subtree value
  // bias (updating the node's entry with what its children found).
  Sample ownSample(Node& node, const StatSums& children, double origChildWeight) const;
  const SearchParams& params_;
};

}  // namespace hoshi::search
