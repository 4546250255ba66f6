// Post-processing of raw head outputs, checked against values worked out by
// hand from KataGo's formulas.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "nn/model.h"
#include "nn/postprocess.h"

using namespace hoshi::nn;

namespace {

ModelDesc modelOfVersion(int version, int policyChannels) {
  ModelDesc m;
  m.modelVersion = version;
  m.numPolicyChannels = policyChannels;
  m.numScoreValueChannels = version >= 9 ? 6 : 4;
  return m;
}

double softPlus(double x) {
  return std::log(1.0 + std::exp(x));
}

}  // namespace

TEST_CASE("policy softmax over legal moves, mapped back from the symmetry", "[postprocess]") {
  // 2x1 board (x = 0, 1) plus pass; the point x = 1 is illegal.
  ModelDesc m = modelOfVersion(8, 1);
  // Symmetry 2 flips x: the net's first cell is the board's x = 1.
  const float policy[2] = {5.0f, std::log(3.0f)};
  const float pass[1] = {0.0f};
  const float value[3] = {0, 0, 0};
  const float score[4] = {0, 0, 0, 0};
  const float own[2] = {0, 0};
  const uint8_t legal[3] = {1, 0, 1};
  PostprocessContext ctx;
  ctx.xSize = 2;
  ctx.ySize = 1;
  ctx.symmetry = 2;
  ctx.whiteToMove = true;
  ctx.legal = legal;
  NetOutput out = postprocess(m, {policy, pass, value, score, own}, ctx);
  REQUIRE(out.policy.size() == 2);
  CHECK(out.policy[0] == Approx(0.75));  // e^ln3 / (3 + 1)
  CHECK(out.policy[1] == -1.0f);
  CHECK(out.policyPass == Approx(0.25));
}

TEST_CASE("optimistic policy channel is mixed in by policy optimism", "[postprocess]") {
  ModelDesc m = modelOfVersion(12, 2);
  const float policy[2] = {0.0f, 2.0f};  // channel 0, channel 1 for a 1x1 board
  const float pass[2] = {0.0f, 0.0f};
  const float value[3] = {0, 0, 0};
  const float score[6] = {0, 0, 0, 0, 0, 0};
  const float own[1] = {0};
  const uint8_t legal[2] = {1, 1};
  PostprocessContext ctx;
  ctx.xSize = ctx.ySize = 1;
  ctx.legal = legal;
  ctx.policyOptimism = 0.5;
  NetOutput out = postprocess(m, {policy, pass, value, score, own}, ctx);
  // Mixed logit 0 + (2 - 0) * 0.5 = 1 against pass 0.
  CHECK(out.policy[0] == Approx(std::exp(1.0) / (std::exp(1.0) + 1.0)));
}

TEST_CASE("values are turned to white's view with KataGo's scalings", "[postprocess]") {
  ModelDesc m = modelOfVersion(10, 1);
  const float policy[1] = {0};
  const float pass[1] = {0};
  const float value[3] = {1.0f, 0.0f, -1.0f};  // win, loss, no result for the side to move
  const float score[6] = {0.5f, 0.2f, 0.25f, -1.0f, 0.3f, 0.4f};
  const float own[1] = {0.5f};
  const uint8_t legal[2] = {1, 1};
  PostprocessContext ctx;
  ctx.xSize = ctx.ySize = 1;
  ctx.legal = legal;
  ctx.whiteToMove = false;  // black to move: everything flips
  NetOutput out = postprocess(m, {policy, pass, value, score, own}, ctx);
  double z = std::exp(1.0) + 1.0 + std::exp(-1.0);
  double win = std::exp(1.0) / z, loss = 1.0 / z, noResult = std::exp(-1.0) / z;
  CHECK(out.whiteWin == Approx(loss));
  CHECK(out.whiteLoss == Approx(win));
  CHECK(out.noResult == Approx(noResult));
  double mean = 0.5 * 20, stdev = softPlus(0.2) * 20;
  CHECK(out.whiteScoreSelfplay == Approx(-mean * (1 - noResult)));
  CHECK(out.whiteScoreSelfplaySq == Approx((mean * mean + stdev * stdev) * (1 - noResult)));
  CHECK(out.whiteLead == Approx(-0.25 * 20 * (1 - noResult)));
  CHECK(out.varTimeLeft == Approx(softPlus(-1.0) * 40));
  CHECK(out.shorttermWinlossError == Approx(std::sqrt(softPlus(0.3) * 0.25)));
  CHECK(out.shorttermScoreError == Approx(std::sqrt(softPlus(0.4) * 30)));
  CHECK(out.whiteOwnership[0] == Approx(-std::tanh(0.5)));
}

TEST_CASE("superko area rules rule out no-result, old nets lack error heads", "[postprocess]") {
  ModelDesc m = modelOfVersion(8, 1);
  const float policy[1] = {0};
  const float pass[1] = {0};
  const float value[3] = {0.0f, 0.0f, 0.0f};
  const float score[4] = {0, 0, 0, 0};
  const float own[1] = {0};
  const uint8_t legal[2] = {1, 1};
  PostprocessContext ctx;
  ctx.xSize = ctx.ySize = 1;
  ctx.legal = legal;
  ctx.whiteToMove = true;
  ctx.noResultPossible = false;
  NetOutput out = postprocess(m, {policy, pass, value, score, own}, ctx);
  CHECK(out.noResult == 0.0f);
  CHECK(out.whiteWin == Approx(0.5));
  CHECK(out.varTimeLeft == -1.0f);
  CHECK(out.shorttermWinlossError == -1.0f);
  CHECK(out.shorttermScoreError == -1.0f);
}

TEST_CASE("the passing hack caps the pass prior at 19 times the other moves'", "[postprocess]") {
  // 2x1 board plus pass: the net all but insists on passing.
  ModelDesc m = modelOfVersion(8, 1);
  const float policy[2] = {0.0f, std::log(3.0f)};
  const float pass[1] = {20.0f};
  const float value[3] = {0, 0, 0};
  const float score[4] = {0, 0, 0, 0};
  const float own[2] = {0, 0};
  const uint8_t legal[3] = {1, 1, 1};
  PostprocessContext ctx;
  ctx.xSize = 2;
  ctx.ySize = 1;
  ctx.legal = legal;
  NetOutput plain = postprocess(m, {policy, pass, value, score, own}, ctx);
  CHECK(plain.policyPass > 0.9999);
  ctx.capPassPolicy = true;
  NetOutput capped = postprocess(m, {policy, pass, value, score, own}, ctx);
  CHECK(capped.policyPass == Approx(0.95));
  CHECK(capped.policy[0] == Approx(0.05 * 0.25));  // 1 : 3 between the two points
  CHECK(capped.policy[1] == Approx(0.05 * 0.75));
  // A pass the net does not favour is untouched.
  const float smallPass[1] = {0.0f};
  NetOutput low = postprocess(m, {policy, smallPass, value, score, own}, ctx);
  CHECK(low.policyPass == Approx(0.2));  // 1 / (1 + 3 + 1)
}
