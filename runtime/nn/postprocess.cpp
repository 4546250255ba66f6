#include "nn/postprocess.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/model.h"
#include "nn/symmetry.h"

namespace hoshi::nn {
namespace {

double softPlus(double x) {
  return x > 40.0 ? x : std::log1p(std::exp(x));
}

// Policy logits in the board frame, pass last, mixing in the optimistic
// channel where the model has one.
std::vector<float> policyLogits(const ModelDesc& model, const RawNetOutputs& raw,
                                const PostprocessContext& ctx) {
  const int area = ctx.xSize * ctx.ySize;
  const int channels = model.numPolicyChannels;
  const bool hasOptimistic = channels == 2 || (channels == 4 && model.modelVersion >= 16);
  const float opt = hasOptimistic ? static_cast<float>(ctx.policyOptimism) : 0.0f;
  std::vector<float> mixed(area);
  for (int i = 0; i < area; i++) {
    float p = raw.policy[i];
    mixed[i] = hasOptimistic ? p + (raw.policy[area + i] - p) * opt : p;
  }
  std::vector<float> logits(area + 1);
  planeFromSymmetry(mixed.data(), logits.data(), ctx.xSize, ctx.ySize, ctx.symmetry);
  float pass = raw.policyPass[0];
  logits[area] = hasOptimistic ? pass + (raw.policyPass[1] - pass) * opt : pass;
  return logits;
}

void fillPolicy(const ModelDesc& model, const RawNetOutputs& raw, const PostprocessContext& ctx,
                NetOutput& out) {
  const int area = ctx.xSize * ctx.ySize;
  std::vector<float> p = policyLogits(model, raw, ctx);
  float maxLogit = -1e25f;
  int legalCount = 0;
  for (int i = 0; i <= area; i++) {
    if (ctx.legal[i]) {
      legalCount++;
      maxLogit = std::max(maxLogit, p[i]);
    }
  }
  if (legalCount == 0) throw std::logic_error("postprocess: no legal move (pass is always legal)");
  float sum = 0.0f;
  for (int i = 0; i < area; i++) {
    p[i] = ctx.legal[i] ? std::exp(p[i] - maxLogit) : 0.0f;
    sum += p[i];
  }
  if (ctx.legal[area]) {
    const float pass = std::exp(p[area] - maxLogit);
    p[area] = ctx.capPassPolicy ? std::max(1e-20f, std::min(pass, sum * 19.0f)) : pass;
  } else {
    p[area] = 0.0f;
  }
  sum += p[area];
  if (!std::isfinite(sum)) throw std::runtime_error("network policy is not finite");
  for (int i = 0; i <= area; i++) {
    if (!ctx.legal[i])
      p[i] = -1.0f;
    else
      p[i] = sum > 0.0f ? p[i] / sum : 1.0f / static_cast<float>(legalCount);
  }
  out.policyPass = p[area];
  p.resize(area);
  out.policy = std::move(p);
}

void fillValues(const ModelDesc& model, const RawNetOutputs& raw, const PostprocessContext& ctx,
                NetOutput& out) {
  const PostProcessParams& pp = model.postProcess;
  const int version = model.modelVersion;
  double win = raw.value[0], loss = raw.value[1], noResult = raw.value[2];
  if (!ctx.noResultPossible) noResult -= 100000.0;
  double m = std::max({win, loss, noResult});
  double pWin = std::exp(win - m), pLoss = std::exp(loss - m), pNo = std::exp(noResult - m);
  if (!ctx.noResultPossible) pNo = 0.0;
  double sum = pWin + pLoss + pNo;
  pWin /= sum;
  pLoss /= sum;
  pNo /= sum;

  const float* sv = raw.scoreValue;
  double scoreMean = sv[0] * pp.scoreMeanMultiplier;
  double scoreStdev = softPlus(sv[1]) * pp.scoreStdevMultiplier;
  double scoreMeanSq = scoreMean * scoreMean + scoreStdev * scoreStdev;
  double lead = sv[2] * pp.leadMultiplier;
  double varTimeLeft = softPlus(sv[3]) * pp.varianceTimeMultiplier;
  // The score heads are conditional on the game having a result.
  scoreMean *= 1.0 - pNo;
  scoreMeanSq *= 1.0 - pNo;
  lead *= 1.0 - pNo;

  double wlError = -1, scoreError = -1;
  if (version >= 14) {
    double s = softPlus(sv[4] * 0.5);
    wlError = std::sqrt(s * s * pp.shorttermValueErrorMultiplier);
    s = softPlus(sv[5] * 0.5);
    scoreError = std::sqrt(s * s * pp.shorttermScoreErrorMultiplier);
  } else if (version >= 10) {
    wlError = std::sqrt(softPlus(sv[4]) * pp.shorttermValueErrorMultiplier);
    scoreError = std::sqrt(softPlus(sv[5]) * pp.shorttermScoreErrorMultiplier);
  } else if (version >= 9) {
    wlError = softPlus(sv[4]);
    scoreError = softPlus(sv[5]) * 10.0;
  }
  if (!std::isfinite(sum) || !std::isfinite(scoreMeanSq) || !std::isfinite(lead) ||
      !std::isfinite(varTimeLeft))
    throw std::runtime_error("network value outputs are not finite");

  // The net speaks for the side to move; report for white.
  const double sign = ctx.whiteToMove ? 1.0 : -1.0;
  out.whiteWin = static_cast<float>(ctx.whiteToMove ? pWin : pLoss);
  out.whiteLoss = static_cast<float>(ctx.whiteToMove ? pLoss : pWin);
  out.noResult = static_cast<float>(pNo);
  out.whiteScoreSelfplay = static_cast<float>(sign * scoreMean);
  out.whiteScoreSelfplaySq = static_cast<float>(scoreMeanSq);
  out.whiteLead = static_cast<float>(sign * lead);
  if (version >= 9) {
    out.varTimeLeft = static_cast<float>(varTimeLeft);
    out.shorttermWinlossError = static_cast<float>(wlError);
    out.shorttermScoreError = static_cast<float>(scoreError);
  } else {
    out.varTimeLeft = out.shorttermWinlossError = out.shorttermScoreError = -1.0f;
  }
}

}  // namespace

NetOutput postprocess(const ModelDesc& model, const RawNetOutputs& raw,
                      const PostprocessContext& ctx) {
  NetOutput out;
  out.xSize = ctx.xSize;
  out.ySize = ctx.ySize;
  fillPolicy(model, raw, ctx, out);
  fillValues(model, raw, ctx, out);
  const int area = ctx.xSize * ctx.ySize;
  out.whiteOwnership.resize(area);
  planeFromSymmetry(raw.ownership, out.whiteOwnership.data(), ctx.xSize, ctx.ySize, ctx.symmetry);
  const float sign = ctx.whiteToMove ? 1.0f : -1.0f;
  for (float& v : out.whiteOwnership) v = sign * std::tanh(v);
  return out;
}

NetOutput postprocess(const ModelDesc& model, const RawNetOutputs& raw,
                      const EncodedPosition& position) {
  PostprocessContext ctx;
  ctx.xSize = position.xSize;
  ctx.ySize = position.ySize;
  ctx.symmetry = position.symmetry;
  ctx.whiteToMove = position.whiteToMove;
  ctx.noResultPossible = position.noResultPossible;
  ctx.policyOptimism = position.policyOptimism;
  ctx.capPassPolicy = position.capPassPolicy;
  ctx.legal = position.legal.data();
  return postprocess(model, raw, ctx);
}

}  // namespace hoshi::nn
