#include "quant/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "game/board.h"

namespace hoshi::quant {

using namespace nn;

namespace {

// Index of the most likely move; the pass is index policy.size().
size_t bestMove(const NetOutput& o) {
  size_t best = o.policy.size();
  float p = o.policyPass;
  for (size_t i = 0; i < o.policy.size(); ++i)
    if (o.policy[i] > p) p = o.policy[i], best = i;
  return best;
}

double klDivergence(const NetOutput& ref, const NetOutput& test) {
  constexpr double kFloor = 1e-9;
  double kl = 0;
  auto term = [&](double p, double q) {
    if (p > 0) kl += p * std::log(p / std::max(q, kFloor));
  };
  for (size_t i = 0; i < ref.policy.size(); ++i)
    if (ref.policy[i] >= 0) term(ref.policy[i], test.policy[i]);
  term(ref.policyPass, test.policyPass);
  return std::max(kl, 0.0);
}

float probabilityOf(const NetOutput& o, size_t move) {
  return move == o.policy.size() ? o.policyPass : o.policy[move];
}

// GTP coordinates ("D4", "pass"); the point index where the size is unknown.
std::string moveName(const NetOutput& o, size_t move) {
  if (move == o.policy.size()) return "pass";
  if (o.xSize <= 0 || o.ySize <= 0) return std::to_string(move);
  const int x = int(move % size_t(o.xSize)), y = int(move / size_t(o.xSize));
  return locToString(Board::locOf(x, y, o.xSize), o.xSize, o.ySize);
}

}  // namespace

std::string describeAgreement(const NetOutput& ref, const NetOutput& test) {
  const size_t r = bestMove(ref), t = bestMove(test);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s\t%s\t%.5f\t%.5f\t%.6f", moveName(ref, r).c_str(),
                moveName(ref, t).c_str(), probabilityOf(ref, r), probabilityOf(ref, t),
                klDivergence(ref, test));
  return buf;
}

void AgreementStats::add(const NetOutput& ref, const NetOutput& test) {
  if (ref.policy.size() != test.policy.size() ||
      ref.whiteOwnership.size() != test.whiteOwnership.size())
    throw std::invalid_argument("AgreementStats: outputs of different board sizes");
  AgreementMetrics& s = sum_;
  ++s.positions;
  s.policyTop1 += bestMove(ref) == bestMove(test) ? 1 : 0;
  s.policyKL += klDivergence(ref, test);
  const double dw = std::fabs(double(ref.whiteWin) - test.whiteWin);
  s.winrateMAE += dw;
  s.winrateMax = std::max(s.winrateMax, dw);
  s.leadMAE += std::fabs(double(ref.whiteLead) - test.whiteLead);
  s.scoreMAE += std::fabs(double(ref.whiteScoreSelfplay) - test.whiteScoreSelfplay);
  double own = 0;
  for (size_t i = 0; i < ref.whiteOwnership.size(); ++i)
    own += std::fabs(double(ref.whiteOwnership[i]) - test.whiteOwnership[i]);
  if (!ref.whiteOwnership.empty()) s.ownershipMAE += own / double(ref.whiteOwnership.size());
}

AgreementMetrics AgreementStats::result() const {
  AgreementMetrics m = sum_;
  if (m.positions == 0) return m;
  const double n = m.positions;
  m.policyTop1 /= n;
  m.policyKL /= n;
  m.winrateMAE /= n;
  m.leadMAE /= n;
  m.scoreMAE /= n;
  m.ownershipMAE /= n;
  return m;
}

std::string formatMetrics(const AgreementMetrics& m) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "positions        %d\n"
                "policy top-1     %.4f\n"
                "policy KL        %.5f nats\n"
                "winrate MAE      %.5f (max %.4f)\n"
                "lead MAE         %.4f points\n"
                "score MAE        %.4f points\n"
                "ownership MAE    %.5f\n",
                m.positions, m.policyTop1, m.policyKL, m.winrateMAE, m.winrateMax, m.leadMAE,
                m.scoreMAE, m.ownershipMAE);
  return buf;
}

}  // namespace hoshi::quant
