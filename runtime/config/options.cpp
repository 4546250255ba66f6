#include "config/options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace hoshi::config {
namespace {

constexpr double kNoLimit = 1e18;

OptionDecl boolOption(std::string_view name, bool Params::*field, std::string_view def,
                      std::string_view help, bool runtime = true) {
  return OptionDecl{name, field, def, 0, 1, {}, help, runtime};
}

OptionDecl intOption(std::string_view name, int64_t Params::*field, std::string_view def, double lo,
                     double hi, std::string_view help, bool runtime = true) {
  return OptionDecl{name, field, def, lo, hi, {}, help, runtime};
}

OptionDecl floatOption(std::string_view name, double Params::*field, std::string_view def,
                       double lo, double hi, std::string_view help, bool runtime = true) {
  return OptionDecl{name, field, def, lo, hi, {}, help, runtime};
}

OptionDecl stringOption(std::string_view name, std::string Params::*field, std::string_view def,
                        std::vector<std::string_view> choices, std::string_view help,
                        bool runtime = true) {
  return OptionDecl{name, field, def, 0, 0, std::move(choices), help, runtime};
}

std::vector<OptionDecl> buildDecls() {
  using P = Params;
  return {
      // Rules. Individual keys refine the `rules` preset when set.
      stringOption("rules", &P::rules, "tromp-taylor", {},
                   "rules preset (tromp-taylor, chinese, japanese, korean, aga, new-zealand, "
                   "stone-scoring, ...) or KataGo rules JSON"),
      stringOption("koRule", &P::koRule, "", {"", "SIMPLE", "POSITIONAL", "SITUATIONAL"},
                   "ko rule overriding the preset"),
      stringOption("scoringRule", &P::scoringRule, "", {"", "AREA", "TERRITORY"},
                   "scoring rule overriding the preset"),
      stringOption("taxRule", &P::taxRule, "", {"", "NONE", "SEKI", "ALL"},
                   "tax rule overriding the preset"),
      stringOption("multiStoneSuicideLegal", &P::multiStoneSuicideLegal, "", {"", "true", "false"},
                   "whether multi-stone suicide is legal, overriding the preset"),
      stringOption("hasButton", &P::hasButton, "", {"", "true", "false"},
                   "whether the button rule is used, overriding the preset"),
      stringOption("whiteHandicapBonus", &P::whiteHandicapBonus, "", {"", "0", "N", "N-1"},
                   "komi compensation for handicap stones, overriding the preset"),
      intOption("defaultBoardSize", &P::defaultBoardSize, "19", 2, 19, "board size at startup",
                false),
      // Search and time.
      intOption("maxVisits", &P::maxVisits, "500", 1, kNoLimit, "visits per move"),
      intOption("maxPlayouts", &P::maxPlayouts, "1000000000000", 1, kNoLimit, "playouts per move"),
      floatOption("maxTime", &P::maxTime, "1e20", 0, 1e20, "seconds per move at most"),
      floatOption("lagBuffer", &P::lagBuffer, "1.0", 0, 3600,
                  "seconds kept in reserve for network and GUI lag"),
      intOption("numSearchThreads", &P::numSearchThreads, "1", 1, 1024,
                "search threads (a change takes effect at the next search)"),
      boolOption("ponderingEnabled", &P::ponderingEnabled, "false",
                 "think during the opponent's turn"),
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
                  "search budget factor after two passes"),
      floatOption("searchFactorWhenWinning", &P::searchFactorWhenWinning, "0.4", 0, 1,
                  "search budget factor when the game is clearly won"),
      floatOption("searchFactorWhenWinningThreshold", &P::searchFactorWhenWinningThreshold, "0.95",
                  0, 1, "winrate above which the game counts as clearly won"),
      boolOption("nnRandomize", &P::nnRandomize, "true",
                 "random board symmetry per evaluation (false: symmetry 0, deterministic)"),
      // Network.
      stringOption("nnBackend", &P::nnBackend, "eigen", {}, "network backend by registry name",
                   false),
      stringOption("nnPrecision", &P::nnPrecision, "fp32", {"fp32", "fp16", "int8", "auto"},
                   "network arithmetic precision; auto (or nnBackend = auto): the fastest "
                   "path meeting the accuracy bars, measured at first start and cached",
                   false),
      stringOption("nnAutoCacheDir", &P::nnAutoCacheDir, "", {},
                   "where auto keeps what it measured (empty: $HOSHI_CACHE_DIR, "
                   "$CACHE_DIRECTORY, $XDG_CACHE_HOME/hoshi or ~/.cache/hoshi)",
                   false),
      intOption("nnThreads", &P::nnThreads, "1", 1, 256, "threads inside the network backend",
                false),
      intOption("nnMaxBatchSize", &P::nnMaxBatchSize, "8", 1, 4096,
                "largest batch sent to the network", false),
      intOption("nnLanes", &P::nnLanes, "0", 0, 256,
                "network evaluations run at once, each on nnThreads / nnLanes cores (eigen); "
                "0 = numSearchThreads, at most one per core on a CPU",
                false),
      intOption("cudaDevice", &P::cudaDevice, "0", 0, 63, "GPU index used by nnBackend = cuda",
                false),
      intOption("nnCacheSizePowerOfTwo", &P::nnCacheSizePowerOfTwo, "16", 0, 48,
                "log2 of the network cache entries", false),
      intOption("maxMemoryMiB", &P::maxMemoryMiB, "0", 0, 1 << 30,
                "memory budget for tree and cache (0: no limit)", false),
      // Protocol and logging.
      boolOption("gtpTolerantPlay", &P::gtpTolerantPlay, "false",
                 "accept GTP play of moves illegal under the rules, as KataGo does"),
      boolOption("preventCleanupPhase", &P::preventCleanupPhase, "true",
                 "under territory scoring, two passes end the game instead of starting "
                 "KataGo's cleanup (encore) phases"),
      stringOption("gtpVersion", &P::gtpVersion, "", {},
                   "what GTP version answers (empty: Hoshi's own); -override-version sets it, "
                   "and Lizzie then uses KataGo's analysis",
                   false),
      stringOption("logFile", &P::logFile, "", {}, "file to append the log to (empty: none)",
                   false),
      boolOption("logToStderr", &P::logToStderr, "false",
                 "log to stderr as well as to the log file (without a log file the log goes "
                 "to stderr unless this is set false)",
                 false),
      boolOption("logAllGTPCommunication", &P::logAllGTPCommunication, "false",
                 "log every GTP command and response"),
      // Transports. Empty gtpListen and gtpSerial: GTP on stdin/stdout.
      stringOption("gtpListen", &P::gtpListen, "", {},
                   "serve GTP over TCP on HOST:PORT (or PORT: 127.0.0.1:PORT); one front end "
                   "at a time",
                   false),
      floatOption("gtpIdleTimeoutSeconds", &P::gtpIdleTimeoutSeconds, "0", 0, 1e9,
                  "close a TCP front end silent this long (0: never)", false),
      intOption("gtpMaxLineLength", &P::gtpMaxLineLength, "65536", 64, 1 << 24,
                "longest GTP command line accepted (stdin, TCP or serial), in bytes", false),
      boolOption("gtpKeepStateOnDisconnect", &P::gtpKeepStateOnDisconnect, "false",
                 "keep the game when a front end disconnects (false: the next one starts "
                 "from a clear board)",
                 false),
      stringOption("gtpSerial", &P::gtpSerial, "", {},
                   "serve GTP on this serial device (/dev/ttyGS0, /dev/ttyUSB0, ...)", false),
      intOption("gtpSerialBaud", &P::gtpSerialBaud, "115200", 1200, 4000000, "serial line speed",
                false),
      // KataGo's keys taken for drop-in use.
      stringOption("logDir", &P::logDir, "", {},
                   "folder for the log, a new file per run (when logFile is empty)", false),
      boolOption("logSearchInfo", &P::logSearchInfo, "false",
                 "log a summary of each genmove's search (visits, winrate, score, best moves)"),
      intOption("maxVisitsPondering", &P::maxVisitsPondering, "1125899906842624", 1, kNoLimit,
                "visits at most while pondering"),
      intOption("maxPlayoutsPondering", &P::maxPlayoutsPondering, "1125899906842624", 1, kNoLimit,
                "playouts at most while pondering"),
      floatOption("maxTimePondering", &P::maxTimePondering, "600", 0, 1e20,
                  "seconds at most of pondering (bounded so that a silent front end does not "
                  "keep a core busy forever)"),
      stringOption("friendlyPassOk", &P::friendlyPassOk, "", {"", "true", "false"},
                   "whether passing before dead stones are captured is fine, overriding the "
                   "preset; false (Tromp-Taylor): genmove keeps playing after two passes "
                   "while the game is not settled"),
      floatOption("resignMinScoreDifference", &P::resignMinScoreDifference, "0", 0, 1000,
                  "never resign while the expected score is this close (0: no such floor)"),
      floatOption("wideRootNoise", &P::wideRootNoise, "0", 0, 5,
                  "widen the search at the root (flatter policy, random utility bonus); "
                  "KataGo's analysisWideRootNoise too"),
      floatOption("playoutDoublingAdvantage", &P::playoutDoublingAdvantage, "0", -3, 3,
                  "play as if own playouts counted this many doublings more than the "
                  "opponent's: > 0 plays for more against a weaker opponent, < 0 safer"),
      stringOption("gtpFileAccessDir", &P::gtpFileAccessDir, "", {},
                   "the folder loadsgf/printsgf FILE may use over TCP or serial (empty: "
                   "remote front ends get no file access; stdin always has it)",
                   false),
      // Analysis engine (hoshi analysis) and kata-analyze, by KataGo's names.
      intOption("numAnalysisThreads", &P::numAnalysisThreads, "2", 1, 1024,
                "positions the analysis engine searches at once", false),
      intOption("numSearchThreadsPerAnalysisThread", &P::numSearchThreadsPerAnalysisThread, "1", 1,
                1024, "search threads of each position the analysis engine searches", false),
      intOption("rootNumSymmetriesToSample", &P::rootNumSymmetriesToSample, "1", 1, 8,
                "board symmetries averaged for the root's network output"),
      boolOption("ignorePreRootHistory", &P::ignorePreRootHistory, "false",
                 "hide the moves before the analysed position from the network (analysis "
                 "queries default to true, as in KataGo)"),
      stringOption("reportAnalysisWinratesAs", &P::reportAnalysisWinratesAs, "SIDETOMOVE",
                   {"BLACK", "WHITE", "SIDETOMOVE"},
                   "point of view of analysis winrates and scores"),
      intOption("analysisPVLen", &P::analysisPVLen, "15", 1, 1000,
                "moves of each principal variation reported after its first"),
      stringOption("analysisListen", &P::analysisListen, "", {},
                   "serve the JSON analysis engine over TCP on HOST:PORT (or PORT: "
                   "127.0.0.1:PORT); several clients at once",
                   false),
      intOption("analysisMaxQueuedPositions", &P::analysisMaxQueuedPositions, "10000", 1, 10000000,
                "positions waiting for analysis at most (all clients); more are refused", false),
      intOption("analysisMaxLineLength", &P::analysisMaxLineLength, "4194304", 1024, 1 << 28,
                "longest analysis query line accepted, in bytes", false),
      intOption("analysisMaxClients", &P::analysisMaxClients, "16", 1, 4096,
                "TCP analysis clients connected at once; more are refused", false),
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
      boolOption("fpuParentWeightByVisitedPolicy", &P::fpuParentWeightByVisitedPolicy, "false",
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
      floatOption("cpuctUtilityStdevScale", &P::cpuctUtilityStdevScale, "0", 0, 1,
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
  };
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool parseBool(std::string_view text, bool& out) {
  std::string s = lower(text);
  if (s == "true" || s == "1" || s == "yes") return out = true, true;
  if (s == "false" || s == "0" || s == "no") return out = false, true;
  return false;
}

bool parseDouble(std::string_view text, double& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out);
}

bool parseInt(std::string_view text, int64_t& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();
}

std::string formatDouble(double v) {
  std::ostringstream os;
  os.precision(15);
  os << v;
  return os.str();
}

std::string rangeText(const OptionDecl& d) {
  std::string hi = d.maxValue >= kNoLimit ? "..." : formatDouble(d.maxValue);
  return "[" + formatDouble(d.minValue) + ", " + hi + "]";
}

// Stores `value` into `params` per `decl`; returns an error text or "".
std::string assign(const OptionDecl& d, std::string_view value, Params& params) {
  std::string name(d.name);
  std::string shown = "'" + std::string(value) + "'";
  if (auto f = std::get_if<bool Params::*>(&d.field)) {
    bool v;
    if (!parseBool(value, v)) return name + ": expected true or false, got " + shown;
    params.** f = v;
  } else if (auto f = std::get_if<int64_t Params::*>(&d.field)) {
    int64_t v;
    if (!parseInt(value, v)) return name + ": expected an integer, got " + shown;
    if (v < d.minValue || v > d.maxValue)
      return name + ": " + shown + " is out of range " + rangeText(d);
    params.** f = v;
  } else if (auto f = std::get_if<double Params::*>(&d.field)) {
    double v;
    if (!parseDouble(value, v)) return name + ": expected a number, got " + shown;
    if (v < d.minValue || v > d.maxValue)
      return name + ": " + shown + " is out of range " + rangeText(d);
    params.** f = v;
  } else {
    std::string v(value);
    if (!d.choices.empty()) {
      bool found = false;
      for (std::string_view c : d.choices) {
        if (lower(c) == lower(v)) v = std::string(c), found = true;
      }
      if (!found) {
        std::string list;
        for (std::string_view c : d.choices) {
          if (!c.empty()) list += (list.empty() ? "" : ", ") + std::string(c);
        }
        return name + ": " + shown + " is not one of " + list;
      }
    }
    params.*std::get<std::string Params::*>(d.field) = v;
  }
  return "";
}

}  // namespace

const std::vector<OptionDecl>& optionDecls() {
  // Built once and never modified: a constant, not state.
  static const std::vector<OptionDecl> decls = buildDecls();
  return decls;
}

const OptionDecl* findOptionDecl(std::string_view name) {
  for (const OptionDecl& d : optionDecls()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string_view optionTypeName(const OptionDecl& d) {
  if (std::holds_alternative<bool Params::*>(d.field)) return "bool";
  if (std::holds_alternative<int64_t Params::*>(d.field)) return "int";
  if (std::holds_alternative<double Params::*>(d.field)) return "float";
  return "string";
}

OptionSet::OptionSet() {
  for (const OptionDecl& d : optionDecls()) {
    std::string err = assign(d, d.defaultValue, params_);
    if (!err.empty()) throw std::logic_error("bad default for option " + err);
  }
}

void OptionSet::set(std::string_view name, std::string_view value, const std::string& origin) {
  const OptionDecl* d = findOptionDecl(name);
  if (!d) throw ConfigError("unknown option '" + std::string(name) + "'");
  Params next = params_;
  std::string err = assign(*d, value, next);
  if (!err.empty()) throw ConfigError(err);
  Params previous = params_;
  params_ = next;
  auto it = hooks_.find(std::string(name));
  if (it != hooks_.end()) {
    try {
      for (const Hook& hook : it->second) hook(params_);
    } catch (const std::exception& e) {
      params_ = previous;
      throw ConfigError(std::string(name) + ": " + e.what());
    }
  }
  origins_[std::string(name)] = origin;
}

std::string OptionSet::get(std::string_view name) const {
  const OptionDecl* d = findOptionDecl(name);
  if (!d) throw ConfigError("unknown option '" + std::string(name) + "'");
  if (auto f = std::get_if<bool Params::*>(&d->field)) return params_.**f ? "true" : "false";
  if (auto f = std::get_if<int64_t Params::*>(&d->field)) return std::to_string(params_.**f);
  if (auto f = std::get_if<double Params::*>(&d->field)) return formatDouble(params_.**f);
  return params_.*std::get<std::string Params::*>(d->field);
}

std::string OptionSet::origin(std::string_view name) const {
  auto it = origins_.find(std::string(name));
  return it == origins_.end() ? "default" : it->second;
}

void OptionSet::onChange(std::string_view name, Hook hook) {
  if (!findOptionDecl(name)) throw std::logic_error("hook on unknown option " + std::string(name));
  hooks_[std::string(name)].push_back(std::move(hook));
}

}  // namespace hoshi::config
