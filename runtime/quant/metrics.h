#pragma once

// How far a test network's outputs are from a reference's, on the
// post-processed values a search uses (white's point of view).

#include <string>

#include "nn/evaluator.h"

namespace hoshi::quant {

struct AgreementMetrics {
  int positions = 0;
  double policyTop1 = 0;  // fraction with the same most likely move (pass included)
  double policyKL = 0;    // mean KL(ref || test) over legal moves, nats
  double winrateMAE = 0;  // |whiteWin difference|
  double winrateMax = 0;
  double leadMAE = 0;       // |whiteLead difference|, points
  double scoreMAE = 0;      // |whiteScoreSelfplay difference|, points
  double ownershipMAE = 0;  // mean over points of |whiteOwnership difference|
};

class AgreementStats {
 public:
  void add(const nn::NetOutput& ref, const nn::NetOutput& test);
  AgreementMetrics result() const;

 private:
  AgreementMetrics sum_;
};

// One position, tab-separated: the ref's and the test's most likely move
// (GTP coordinates such as "D4", or "pass"), the ref's probability of each, and the policy KL.
std::string describeAgreement(const nn::NetOutput& ref, const nn::NetOutput& test);

// One block of text, a metric a line.
std::string formatMetrics(const AgreementMetrics& m);

}  // namespace hoshi::quant
