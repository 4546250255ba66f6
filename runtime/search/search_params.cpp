#include "search/search_params.h"

#include <string>

#include "nn/options.h"
#include "util/hash.h"

namespace hoshi::search {
namespace {

// The declared defaults SearchParams() starts from: the search and network
// settings (other fields zero or empty).
const config::Params& declaredDefaults() {
  static const config::Params defaults = [] {
    config::OptionRegistry r;
    nn::declareNetworkOptions(r);
    declareSearchOptions(r);
    return r.defaults();
  }();
  return defaults;
}

}  // namespace

SearchParams::SearchParams() : SearchParams(declaredDefaults()) {}

SearchParams::SearchParams(const config::Params& settings) : config::Params(settings) {
  numThreads = static_cast<int>(numSearchThreads);
  maxBatch = static_cast<int>(nnMaxBatchSize);
  cacheSizePowerOfTwo = static_cast<int>(nnCacheSizePowerOfTwo);
  randomizeSymmetry = nnRandomize;
  // FNV-1a, so a seed string gives the same search on every platform.
  seedGiven = !searchRandSeed.empty();
  seed = seedGiven ? util::fnv1a(searchRandSeed) : 0;
}

SearchParams searchParamsFrom(const config::Params& p) {
  return SearchParams(p);
}

void declareSearchOptions(config::OptionRegistry& registry) {
  declareEngineOptions(registry);
  using namespace config;  // the option constructors
  using P = Params;
  registry.addAll({
      // Search and time.
      intOption("maxVisits", &P::maxVisits, "500", 1, kNoLimit, "visits per move"),
      intOption("maxPlayouts", &P::maxPlayouts, "1000000000000", 1, kNoLimit, "playouts per move"),
      floatOption("maxTime", &P::maxTime, "1e20", 0, 1e20, "seconds per move at most"),
      floatOption("lagBuffer", &P::lagBuffer, "1.0", 0, 3600,
                  "seconds kept in reserve for network and GUI lag"),
      intOption("numSearchThreads", &P::numSearchThreads, "1", 1, 1024,
                "search threads (a change takes effect at the next search)"),
      boolOption("allowResignation", &P::allowResignation, "false", "resign lost games"),
      floatOption("resignThreshold", &P::resignThreshold, "-0.90", -1, 1,
                  "resign below this utility"),
      intOption("resignConsecTurns", &P::resignConsecTurns, "3", 1, 1000,
                "turns below resignThreshold before resigning"),
      stringOption("searchRandSeed", &P::searchRandSeed, "", {},
                   "seed for the random choices of the search (empty: different every run)"),
      floatOption("cpuctExploration", &P::cpuctExploration, "1.0", 0, 100,
                  "PUCT exploration constant at few visits"),
      floatOption("cpuctExplorationLog", &P::cpuctExplorationLog, "0.45", 0, 100,
                  "growth of the exploration constant with log(visits)"),
      floatOption("cpuctExplorationBase", &P::cpuctExplorationBase, "500", 1, 1e12,
                  "visits scale of that growth"),
      floatOption("fpuReductionMax", &P::fpuReductionMax, "0.2", 0, 2,
                  "first-play urgency reduction below the root"),
      floatOption("rootFpuReductionMax", &P::rootFpuReductionMax, "0.1", 0, 2,
                  "first-play urgency reduction at the root"),
      floatOption("rootPolicyTemperature", &P::rootPolicyTemperature, "1.0", 0.01, 100,
                  "temperature applied to the root policy (>1 explores wider)"),
      floatOption("nnPolicyTemperature", &P::nnPolicyTemperature, "1.0", 0.01, 5,
                  "temperature applied to every node's policy (>1 explores wider)"),
      floatOption("chosenMoveTemperatureEarly", &P::chosenMoveTemperatureEarly, "0", 0, 10,
                  "genmove picks a root move with probability ~ visits^(1/T), T this at the "
                  "first move (0: always the most visited)"),
      floatOption("chosenMoveTemperature", &P::chosenMoveTemperature, "0", 0, 10,
                  "the temperature that chosenMoveTemperatureEarly decays to"),
      floatOption("chosenMoveTemperatureHalflife", &P::chosenMoveTemperatureHalflife, "19", 0.1,
                  1000, "moves (on 19x19; scaled by the board side) for the decay to halve"),
      floatOption("winLossUtilityFactor", &P::winLossUtilityFactor, "1.0", 0, 10,
                  "weight of winning in the search utility"),
      floatOption("staticScoreUtilityFactor", &P::staticScoreUtilityFactor, "0.1", 0, 10,
                  "weight of the score (centred on 0) in the search utility"),
      floatOption("dynamicScoreUtilityFactor", &P::dynamicScoreUtilityFactor, "0.3", 0, 10,
                  "weight of the score centred on the expected score"),
      floatOption("dynamicScoreCenterZeroWeight", &P::dynamicScoreCenterZeroWeight, "0.2", 0, 1,
                  "pull of the dynamic score centre towards 0"),
      floatOption("dynamicScoreCenterScale", &P::dynamicScoreCenterScale, "0.75", 0.01, 100,
                  "scale of the dynamic score utility, times sqrt(board area)"),
      floatOption("searchFactorAfterOnePass", &P::searchFactorAfterOnePass, "0.5", 0, 1,
                  "search budget factor after the opponent passed"),
      floatOption("searchFactorAfterTwoPass", &P::searchFactorAfterTwoPass, "0.25", 0, 1,
                  "search budget factor after the opponent passed twice running"),
      floatOption("searchFactorWhenWinning", &P::searchFactorWhenWinning, "0.4", 0, 1,
                  "search budget factor at a certain win (from 1 at the threshold)"),
      floatOption("searchFactorWhenWinningThreshold", &P::searchFactorWhenWinningThreshold, "0.95",
                  0, 1, "win-loss value (-1..1) the last three searches must beat to search less"),
      boolOption("nnRandomize", &P::nnRandomize, "true",
                 "random board symmetry per evaluation (false: symmetry 0, deterministic)"),
      floatOption("resignMinScoreDifference", &P::resignMinScoreDifference, "0", 0, 1000,
                  "never resign while the expected score is this close (0: no such floor)"),
      floatOption("wideRootNoise", &P::wideRootNoise, "0", 0, 5,
                  "widen the search at the root (flatter policy, random utility bonus); "
                  "KataGo's analysisWideRootNoise too"),
      floatOption("playoutDoublingAdvantage", &P::playoutDoublingAdvantage, "0", -3, 3,
                  "play as if own playouts counted this many doublings more than the "
                  "opponent's: > 0 plays for more against a weaker opponent, < 0 safer"),
      intOption("rootNumSymmetriesToSample", &P::rootNumSymmetriesToSample, "1", 1, 8,
                "board symmetries averaged for the root's network output"),
      // Search strength refinements, by KataGo's names (each off until a match shows it wins).
      boolOption("useLcbForSelection", &P::useLcbForSelection, "true",
                 "play the move with the best lower confidence bound of its utility when it "
                 "has enough visits, not simply the most visited"),
      floatOption("lcbStdevs", &P::lcbStdevs, "5.0", 0, 100,
                  "standard deviations below the mean for that lower confidence bound"),
      floatOption("minVisitPropForLCB", &P::minVisitPropForLCB, "0.15", 0, 1,
                  "a move needs this share of the most visited move's visits to be chosen "
                  "by its lower confidence bound"),
      boolOption("useUncertainty", &P::useUncertainty, "false",
                 "weight each evaluation by the net's own short-term error estimate "
                 "(nets of version 8 and later)"),
      floatOption("uncertaintyCoeff", &P::uncertaintyCoeff, "0.25", 0.0001, 100,
                  "weight = uncertaintyCoeff / (uncertainty^uncertaintyExponent + "
                  "uncertaintyCoeff / uncertaintyMaxWeight)"),
      floatOption("uncertaintyExponent", &P::uncertaintyExponent, "1.0", 0, 10,
                  "exponent of the uncertainty in that weight"),
      floatOption("uncertaintyMaxWeight", &P::uncertaintyMaxWeight, "8.0", 0.0001, 1000,
                  "largest weight of one evaluation"),
      boolOption("fpuParentWeightByVisitedPolicy", &P::fpuParentWeightByVisitedPolicy, "true",
                 "first-play urgency starts from a blend of the parent's average and its own "
                 "net value, leaning on the net value while little policy is visited"),
      floatOption("fpuParentWeightByVisitedPolicyPow", &P::fpuParentWeightByVisitedPolicyPow, "2.0",
                  0, 5, "the average's share in that blend: visited policy^this"),
      floatOption("fpuParentWeight", &P::fpuParentWeight, "0", 0, 1,
                  "without fpuParentWeightByVisitedPolicy: fixed share of the parent's own "
                  "net value in the first-play urgency"),
      floatOption("cpuctUtilityStdevPrior", &P::cpuctUtilityStdevPrior, "0.40", 1e-8, 10,
                  "prior utility standard deviation for cpuctUtilityStdevScale"),
      floatOption("cpuctUtilityStdevPriorWeight", &P::cpuctUtilityStdevPriorWeight, "2.0", 0, 100,
                  "samples that prior counts for"),
      floatOption("cpuctUtilityStdevScale", &P::cpuctUtilityStdevScale, "0.85", 0, 1,
                  "explore more where the utility varies more: the exploration term times "
                  "1 + this * (stdev / prior - 1)"),
      floatOption("midgameTimeFactor", &P::midgameTimeFactor, "1.0", 0.01, 100,
                  "the clock's time for a move times up to this in the middle game"),
      floatOption("midgameTurnPeakTime", &P::midgameTurnPeakTime, "130", 0, 10000,
                  "turn (on 19x19, scaled by board area) where midgameTimeFactor peaks"),
      floatOption("endgameTurnTimeDecay", &P::endgameTurnTimeDecay, "100", 0.01, 10000,
                  "turns (on 19x19, scaled) over which it decays after the peak"),
      floatOption("obviousMovesTimeFactor", &P::obviousMovesTimeFactor, "1.0", 0.01, 1,
                  "the clock's time for a move the net and the search agree on times down to "
                  "this"),
      floatOption("obviousMovesPolicyEntropyTolerance", &P::obviousMovesPolicyEntropyTolerance,
                  "0.30", 1e-6, 100, "policy entropy (nats) scale of that obviousness"),
      floatOption("obviousMovesPolicySurpriseTolerance", &P::obviousMovesPolicySurpriseTolerance,
                  "0.15", 1e-6, 100, "search surprise (nats) scale of that obviousness"),
      floatOption("policyOptimism", &P::policyOptimism, "0", 0, 1,
                  "share of the optimistic policy channel below the root (nets of version 12 "
                  "and later; others ignore it)"),
      floatOption("rootPolicyOptimism", &P::rootPolicyOptimism, "0", 0, 1,
                  "share of the optimistic policy channel at the root"),
      floatOption("valueWeightExponent", &P::valueWeightExponent, "0.25", 0, 1,
                  "a node weighs each child by P(child at least the node's average)^this, "
                  "so children that are likely worse count less in its value"),
      boolOption("useNoisePruning", &P::useNoisePruning, "true",
                 "in a node's value, a worse child with more than twice its policy share "
                 "of weight loses the excess"),
      floatOption("noisePruneUtilityScale", &P::noisePruneUtilityScale, "0.15", 0.001, 10,
                  "utility gap over which that excess is fully pruned"),
      floatOption("noisePruningCap", &P::noisePruningCap, "1e50", 0, 1e50,
                  "most weight pruned from one child"),
      floatOption("subtreeValueBiasFactor", &P::subtreeValueBiasFactor, "0.45", 0, 1,
                  "correct a node's net value by this share of how far searched nodes of "
                  "the same local shape were from their net value"),
      floatOption("subtreeValueBiasFreeProp", &P::subtreeValueBiasFreeProp, "0.8", 0, 1,
                  "share of a discarded node's contribution removed from its shape's entry"),
      floatOption("subtreeValueBiasWeightExponent", &P::subtreeValueBiasWeightExponent, "0.85", 0,
                  1, "a node's weight in its shape's entry: its children's weight^this"),
      boolOption("useGraphSearch", &P::useGraphSearch, "true",
                 "share one node between the move orders that reach the same position "
                 "(transpositions): a playout that meets a node searched more from another "
                 "path takes its value without a new evaluation"),
      // The end of the game, as KataGo's GTP engine plays it.
      boolOption("conservativePass", &P::conservativePass, "true",
                 "a pass from the root that would end the game is searched as if the game "
                 "went on (the net judges what is dead), not scored as the board stands "
                 "(KataGo's GTP default; the analysis engine's is false)"),
      boolOption("enablePassingHacks", &P::enablePassingHacks, "true",
                 "where a pass would end the game without a win for the side to move, the "
                 "net is shown a game that goes on; the pass prior is capped at 95%"),
  });
}

}  // namespace hoshi::search
