#pragma once

// The search's tunables as one plain value, snapshotted from config::Params
// when a search starts (so kata-set-param never changes a running search).
// Defaults and help texts live in config/options.cpp; the numbers there are
// KataGo's GTP defaults for the same names.

#include <cstdint>

#include "config/options.h"

namespace hoshi::search {

struct SearchParams {
  // Limits per move.
  int64_t maxVisits = 500;
  int64_t maxPlayouts = int64_t(1) << 40;
  double maxTime = 1e20;
  double lagBuffer = 1.0;
  int numThreads = 1;

  // PUCT: cpuct grows with the visits below a node.
  double cpuctExploration = 1.0;
  double cpuctExplorationLog = 0.45;
  double cpuctExplorationBase = 500;
  // First-play urgency: unvisited children start at the parent's value minus
  // this times the square root of the policy mass already visited.
  double fpuReductionMax = 0.2;
  double rootFpuReductionMax = 0.1;
  double rootPolicyTemperature = 1.0;

  // Move choice (genmove): a root move with probability ~ visits^(1/T),
  // T = final + (early - final) * 0.5^(moves / halflife), the halflife
  // scaled by the board side / 19 (KataGo's chosenMoveTemperature*). Both 0:
  // the most visited move.
  double chosenMoveTemperatureEarly = 0;
  double chosenMoveTemperature = 0;
  double chosenMoveTemperatureHalflife = 19;

  // Utility = win/loss + static score term + dynamic (recentred) score term.
  double winLossUtilityFactor = 1.0;
  double staticScoreUtilityFactor = 0.1;
  double dynamicScoreUtilityFactor = 0.3;
  double dynamicScoreCenterZeroWeight = 0.2;
  double dynamicScoreCenterScale = 0.75;

  // Fewer visits when the game is nearly over or decided.
  double searchFactorAfterOnePass = 0.5;
  double searchFactorAfterTwoPass = 0.25;
  double searchFactorWhenWinning = 0.4;
  double searchFactorWhenWinningThreshold = 0.95;

  // Network use.
  int maxBatch = 8;
  int cacheSizePowerOfTwo = 16;
  bool randomizeSymmetry = true;  // false: always symmetry 0 (deterministic mode)
  uint64_t seed = 0;
  bool seedGiven = false;
  int64_t maxMemoryMiB = 0;  // 0: no budget

  // End of game.
  bool allowResignation = false;
  double resignThreshold = -0.9;
  int resignConsecTurns = 3;

  // KataGo's keys taken for drop-in use (issue 15).
  double resignMinScoreDifference = 0;  // no resignation while the score is this close
  double wideRootNoise = 0;             // puct.h: wider root exploration (0: none)
  // The root player plays as if its playouts counted this many doublings
  // more than the opponent's (a network input; KataGo's key).
  double playoutDoublingAdvantage = 0;
  // Analysis (KataGo's analysis engine and kata-analyze options).
  int rootNumSymmetriesToSample = 1;  // root net outputs averaged over this many symmetries

  // Strength refinements (KataGo's names; search/play_selection.h,
  // search/uncertainty.h). Off unless a match said they win: LCB won 116 of
  // 200 games at 100 visits on 9x9 (bench/strength/lcb-9x9-2026-12-04).
  bool useLcbForSelection = true;
  double lcbStdevs = 5.0;
  double minVisitPropForLCB = 0.15;
  bool useUncertainty = false;
  double uncertaintyCoeff = 0.25;
  double uncertaintyExponent = 1.0;
  double uncertaintyMaxWeight = 8.0;
  bool fpuParentWeightByVisitedPolicy = false;
  double fpuParentWeightByVisitedPolicyPow = 2.0;
  double fpuParentWeight = 0.0;
  double cpuctUtilityStdevPrior = 0.40;
  double cpuctUtilityStdevPriorWeight = 2.0;
  double cpuctUtilityStdevScale = 0.0;
  // Time (search/time_factors.h); 1: off, KataGo's default.
  double midgameTimeFactor = 1.0;
  double midgameTurnPeakTime = 130.0;
  double endgameTurnTimeDecay = 100.0;
  double obviousMovesTimeFactor = 1.0;
  double obviousMovesPolicyEntropyTolerance = 0.30;
  double obviousMovesPolicySurpriseTolerance = 0.15;
  // Share of the optimistic policy channel (v12+ nets; search/policy_optimism.h).
  double policyOptimism = 0.0;
  double rootPolicyOptimism = 0.0;
};

SearchParams searchParamsFrom(const config::Params& p);

}  // namespace hoshi::search
