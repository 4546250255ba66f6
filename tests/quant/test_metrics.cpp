// AgreementStats and describeAgreement (quant/metrics) on hand-made
// outputs whose metrics are known exactly.

#include <catch2/catch.hpp>
#include <cmath>

#include "quant/metrics.h"

using namespace hoshi::nn;
using namespace hoshi::quant;

namespace {

NetOutput output(std::vector<float> policy, float pass, float win, float lead) {
  NetOutput o;
  o.xSize = o.ySize = 2;
  o.policy = std::move(policy);
  o.policyPass = pass;
  o.whiteWin = win;
  o.whiteLead = lead;
  o.whiteOwnership = {0, 0, 0, 0};
  return o;
}

}  // namespace

TEST_CASE("agreement: top-1, KL and value errors over two positions", "[quant_metrics]") {
  const NetOutput ref = output({0.5f, 0.3f, 0.1f, -1}, 0.1f, 0.6f, 2.0f);
  const NetOutput same = ref;
  const NetOutput other = output({0.3f, 0.5f, 0.1f, -1}, 0.1f, 0.5f, 1.0f);
  AgreementStats s;
  s.add(ref, same);
  s.add(ref, other);
  const AgreementMetrics m = s.result();
  CHECK(m.positions == 2);
  CHECK(m.policyTop1 == Approx(0.5));
  const double kl = 0.5 * std::log(0.5 / 0.3) + 0.3 * std::log(0.3 / 0.5);
  CHECK(m.policyKL == Approx(kl / 2));
  CHECK(m.winrateMAE == Approx(0.05));
  CHECK(m.winrateMax == Approx(0.1));
  CHECK(m.leadMAE == Approx(0.5));
}

TEST_CASE("agreement: one position described, the pass included", "[quant_metrics]") {
  const NetOutput ref = output({0.2f, 0.25f, -1, 0.05f}, 0.5f, 0.5f, 0);
  const NetOutput test = output({0.2f, 0.45f, -1, 0.05f}, 0.3f, 0.5f, 0);
  // ref's best is the pass (0.5), test's is point 1 (x 1 of the top row of
  // 2x2: B2), which ref gives 0.25.
  CHECK(describeAgreement(ref, test).rfind("pass\tB2\t0.50000\t0.25000\t", 0) == 0);
  CHECK(describeAgreement(ref, ref) == "pass\tpass\t0.50000\t0.50000\t0.000000");
  NetOutput small = ref;
  small.policy.pop_back();
  AgreementStats s;
  CHECK_THROWS_AS(s.add(ref, small), std::invalid_argument);
}
