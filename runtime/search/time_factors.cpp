#include "search/time_factors.h"

#include <algorithm>
#include <cmath>

#include "search/play_selection.h"

namespace hoshi::search {

double midgameTimeMultiplier(const SearchParams& params, int turn, int area) {
  if (params.midgameTimeFactor == 1.0) return 1.0;
  const double scale = static_cast<double>(area) / 361.0;
  const double peak = params.midgameTurnPeakTime * scale;
  const double t = std::max(0, turn);
  double w = t < peak ? t / std::max(peak, 1e-9)
                      : std::exp(-(t - peak) / std::max(params.endgameTurnTimeDecay * scale, 1e-9));
  w = std::clamp(w, 0.0, 1.0);
  return 1.0 + w * (params.midgameTimeFactor - 1.0);
}

PolicySurprise policySurprise(const Node& root, Color pla, const SearchParams& params) {
  PolicySurprise r;
  if (root.state() != Node::State::kExpanded || root.numEdges() == 0) return r;
  const auto values = playSelectionValues(root, pla, params);
  double sum = 0;
  for (const PlaySelection& v : values) sum += v.value;
  if (sum <= 0) return r;
  for (const PlaySelection& v : values) {
    const double target = v.value / sum;
    const double policy = std::max(static_cast<double>(root.edge(v.edge).prior), 1e-100);
    if (target > 1e-100) r.surprise += target * (std::log(target) - std::log(policy));
  }
  for (int i = 0; i < root.numEdges(); ++i) {
    const double p = root.edge(i).prior;
    if (p > 1e-100) r.policyEntropy -= p * std::log(p);
  }
  r.surprise = std::max(0.0, r.surprise);
  r.policyEntropy = std::max(0.0, r.policyEntropy);
  r.valid = true;
  return r;
}

double obviousMoveMultiplier(const SearchParams& params, const PolicySurprise& s) {
  if (params.obviousMovesTimeFactor >= 1.0 || !s.valid) return 1.0;
  const double byEntropy = std::exp(-s.policyEntropy / params.obviousMovesPolicyEntropyTolerance);
  const double bySurprise = std::exp(-s.surprise / params.obviousMovesPolicySurpriseTolerance);
  const double w = std::min(byEntropy, bySurprise);
  return 1.0 + w * (params.obviousMovesTimeFactor - 1.0);
}

}  // namespace hoshi::search
