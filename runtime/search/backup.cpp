#include "search/backup.h"

#include <array>
#include <cmath>

#include "search/subtree_bias.h"

namespace hoshi::search {

double studentT3Cdf(double z) {
  const double x = z / std::sqrt(3.0);
  return 0.5 + (x / (1 + x * x) + std::atan(x)) / M_PI;
}

double studentT3CdfTabled(double z) {
  constexpr int kSize = 2000;
  constexpr double kMin = -50.0, kMax = 50.0;
  static const std::array<double, kSize> table = [] {
    std::array<double, kSize> t{};
    for (int i = 1; i < kSize - 1; ++i) t[i] = studentT3Cdf(kMin + i * (kMax - kMin) / (kSize - 1));
    t[kSize - 1] = 1.0;
    return t;
  }();
  const double d = (kSize - 1) * (z - kMin) / (kMax - kMin);
  if (!(d > 0)) return 0.0;  // NaN too
  if (d >= kSize - 1) return 1.0;
  const int i = static_cast<int>(d);
  const double lambda = d - i;
  return table[i] + lambda * (table[i + 1] - table[i]);
}

void downweightBadChildren(std::vector<ChildValue>& children, double exponent) {
  if (exponent == 0) return;  // the default: nothing to sum on every backup
  double total = 0, valueSum = 0;
  for (const ChildValue& c : children) {
    total += c.weight;
    valueSum += c.weight * c.selfUtility;
  }
  if (total <= 0) return;
  const double average = valueSum / total;
  double newTotal = 0;
  for (ChildValue& c : children) {
    if (c.weight <= 0) continue;
    // The child's value is known to about 1 / sqrt(1.5 sqrt(weight)).
    const double stdev = std::sqrt(1e-8 + 1.0 / (1.5 * std::sqrt(c.weight)));
    const double p = studentT3CdfTabled((c.selfUtility - average) / stdev) + 0.0001;
    c.weight *= std::pow(p, exponent);
    newTotal += c.weight;
  }
  if (newTotal <= 0) return;
  for (ChildValue& c : children) c.weight *= total / newTotal;
}

double pruneNoise(std::vector<ChildValue>& children, double utilityScale, double cap) {
  double utilitySoFar = 0, weightSoFar = 0, priorSoFar = 0;
  for (ChildValue& c : children) {
    if (weightSoFar > 0 && priorSoFar > 0) {
      const double gap = utilitySoFar / weightSoFar - c.selfUtility;
      const double lenientShare = 2.0 * weightSoFar * c.prior / priorSoFar;
      if (gap > 0 && c.weight > lenientShare) {
        const double excess = c.weight - lenientShare;
        c.weight -= std::min(cap, excess * (1.0 - std::exp(-gap / utilityScale)));
      }
    }
    utilitySoFar += c.selfUtility * c.weight;
    weightSoFar += c.weight;
    priorSoFar += std::max(1e-30, c.prior);
  }
  return weightSoFar;
}

Sample Backup::ownSample(Node& node, const StatSums& children, double origChildWeight) const {
  Sample own = node.ownSample();
  BiasLink& link = node.biasLinkLocked();
  const double factor = params_.subtreeValueBiasFactor;
  if (factor == 0 || !link.entry) return own;
  double bias;
  if (children.weight > 1e-10) {
    const double weight = std::pow(origChildWeight, params_.subtreeValueBiasWeightExponent);
    const double delta = (children.utility / children.weight - own.utility) * weight;
    bias = link.entry->update(link.lastDelta, link.lastWeight, delta, weight);
    link.lastDelta = delta;
    link.lastWeight = weight;
  } else {
    bias = link.entry->average();
  }
  own.utility += factor * bias;
  return own;
}

void Backup::recompute(Node& node, std::vector<ChildValue>& buf) const {
  node.lockStats();
  buf.clear();
  double origWeight = 0;
  for (int i = 0; i < node.numEdges(); ++i) {
    const Edge& e = node.edge(i);
    const Node* child = e.node.load(std::memory_order_acquire);
    if (!child) continue;
    ChildValue c;
    c.stats = node.childStats(i);
    if (c.stats.visits <= 0 || c.stats.weight <= 0) continue;
    // The child's mover is the player to move here.
    c.selfUtility = child->mover() == Color::kWhite ? c.stats.utility : -c.stats.utility;
    c.weight = c.stats.weight;
    c.prior = e.prior;
    origWeight += c.weight;
    buf.push_back(c);
  }
  if (params_.useNoisePruning && !buf.empty())
    pruneNoise(buf, params_.noisePruneUtilityScale, params_.noisePruningCap);
  downweightBadChildren(buf, params_.valueWeightExponent);
  StatSums sums;
  for (const ChildValue& c : buf) sums.addAverages(c.stats, c.weight);
  sums.add(ownSample(node, sums, origWeight));
  node.setSumsLocked(sums, 1);
  node.unlockStats();
}

}  // namespace hoshi::search
