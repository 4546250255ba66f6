#include "search/search_params.h"

#include <string>

#include "util/hash.h"

namespace hoshi::search {
namespace {

// FNV-1a, so a seed string gives the same search on every platform.
uint64_t hashSeed(const std::string& text) {
  return util::fnv1a(text);
}

}  // namespace

SearchParams searchParamsFrom(const config::Params& p) {
  SearchParams s;
  s.maxVisits = p.maxVisits;
  s.maxPlayouts = p.maxPlayouts;
  s.maxTime = p.maxTime;
  s.lagBuffer = p.lagBuffer;
  s.numThreads = static_cast<int>(p.numSearchThreads);
  s.cpuctExploration = p.cpuctExploration;
  s.cpuctExplorationLog = p.cpuctExplorationLog;
  s.cpuctExplorationBase = p.cpuctExplorationBase;
  s.fpuReductionMax = p.fpuReductionMax;
  s.rootFpuReductionMax = p.rootFpuReductionMax;
  s.rootPolicyTemperature = p.rootPolicyTemperature;
  s.chosenMoveTemperatureEarly = p.chosenMoveTemperatureEarly;
  s.chosenMoveTemperature = p.chosenMoveTemperature;
  s.chosenMoveTemperatureHalflife = p.chosenMoveTemperatureHalflife;
  s.winLossUtilityFactor = p.winLossUtilityFactor;
  s.staticScoreUtilityFactor = p.staticScoreUtilityFactor;
  s.dynamicScoreUtilityFactor = p.dynamicScoreUtilityFactor;
  s.dynamicScoreCenterZeroWeight = p.dynamicScoreCenterZeroWeight;
  s.dynamicScoreCenterScale = p.dynamicScoreCenterScale;
  s.searchFactorAfterOnePass = p.searchFactorAfterOnePass;
  s.searchFactorAfterTwoPass = p.searchFactorAfterTwoPass;
  s.searchFactorWhenWinning = p.searchFactorWhenWinning;
  s.searchFactorWhenWinningThreshold = p.searchFactorWhenWinningThreshold;
  s.maxBatch = static_cast<int>(p.nnMaxBatchSize);
  s.cacheSizePowerOfTwo = static_cast<int>(p.nnCacheSizePowerOfTwo);
  s.randomizeSymmetry = p.nnRandomize;
  s.maxMemoryMiB = p.maxMemoryMiB;
  s.allowResignation = p.allowResignation;
  s.resignThreshold = p.resignThreshold;
  s.resignConsecTurns = static_cast<int>(p.resignConsecTurns);
  s.resignMinScoreDifference = p.resignMinScoreDifference;
  s.wideRootNoise = p.wideRootNoise;
  s.playoutDoublingAdvantage = p.playoutDoublingAdvantage;
  s.rootNumSymmetriesToSample = static_cast<int>(p.rootNumSymmetriesToSample);
  s.useLcbForSelection = p.useLcbForSelection;
  s.lcbStdevs = p.lcbStdevs;
  s.minVisitPropForLCB = p.minVisitPropForLCB;
  s.useUncertainty = p.useUncertainty;
  s.uncertaintyCoeff = p.uncertaintyCoeff;
  s.uncertaintyExponent = p.uncertaintyExponent;
  s.uncertaintyMaxWeight = p.uncertaintyMaxWeight;
  s.fpuParentWeightByVisitedPolicy = p.fpuParentWeightByVisitedPolicy;
  s.fpuParentWeightByVisitedPolicyPow = p.fpuParentWeightByVisitedPolicyPow;
  s.fpuParentWeight = p.fpuParentWeight;
  s.cpuctUtilityStdevPrior = p.cpuctUtilityStdevPrior;
  s.cpuctUtilityStdevPriorWeight = p.cpuctUtilityStdevPriorWeight;
  s.cpuctUtilityStdevScale = p.cpuctUtilityStdevScale;
  s.midgameTimeFactor = p.midgameTimeFactor;
  s.midgameTurnPeakTime = p.midgameTurnPeakTime;
  s.endgameTurnTimeDecay = p.endgameTurnTimeDecay;
  s.obviousMovesTimeFactor = p.obviousMovesTimeFactor;
  s.obviousMovesPolicyEntropyTolerance = p.obviousMovesPolicyEntropyTolerance;
  s.obviousMovesPolicySurpriseTolerance = p.obviousMovesPolicySurpriseTolerance;
  s.policyOptimism = p.policyOptimism;
  s.rootPolicyOptimism = p.rootPolicyOptimism;
  if (!p.searchRandSeed.empty()) {
    s.seedGiven = true;
    s.seed = hashSeed(p.searchRandSeed);
  }
  return s;
}

}  // namespace hoshi::search
