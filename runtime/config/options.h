#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hoshi::config {

// Every tunable of the engine, snapshotted into one const value so a search
// never sees a half-applied change. The fields only hold values: each layer
// declares its own settings (name, range, default, help) once, as OptionSpecs
// pointing at these fields (search/search_params.cpp and engine_options.cpp,
// nn/options.cpp, gtp/options.cpp, analysis/options.cpp), and
// app/options.cpp collects them. No default is written here.
struct Params {
  // Rules as configured; empty strings mean "whatever the preset says".
  std::string rules;
  std::string koRule;
  std::string scoringRule;
  std::string taxRule;
  std::string multiStoneSuicideLegal;
  std::string hasButton;
  std::string whiteHandicapBonus;
  int64_t defaultBoardSize = 0;

  // Search and time.
  int64_t maxVisits = 0;
  int64_t maxPlayouts = 0;
  double maxTime = 0;
  double lagBuffer = 0;
  int64_t numSearchThreads = 0;
  bool ponderingEnabled = false;
  bool allowResignation = false;
  double resignThreshold = 0;
  int64_t resignConsecTurns = 0;
  std::string searchRandSeed;
  // Search tuning (search/search_params.h snapshots these).
  double cpuctExploration = 0;
  double cpuctExplorationLog = 0;
  double cpuctExplorationBase = 0;
  double fpuReductionMax = 0;
  double rootFpuReductionMax = 0;
  double rootPolicyTemperature = 0;
  double nnPolicyTemperature = 0;
  double chosenMoveTemperatureEarly = 0;
  double chosenMoveTemperature = 0;
  double chosenMoveTemperatureHalflife = 0;
  double winLossUtilityFactor = 0;
  double staticScoreUtilityFactor = 0;
  double dynamicScoreUtilityFactor = 0;
  double dynamicScoreCenterZeroWeight = 0;
  double dynamicScoreCenterScale = 0;
  double searchFactorAfterOnePass = 0;
  double searchFactorAfterTwoPass = 0;
  double searchFactorWhenWinning = 0;
  double searchFactorWhenWinningThreshold = 0;
  bool nnRandomize = false;

  // Network.
  std::string nnBackend;
  std::string nnPrecision;
  std::string nnAutoCacheDir;
  int64_t nnThreads = 0;
  int64_t nnMaxBatchSize = 0;
  int64_t nnLanes = 0;
  int64_t cudaDevice = 0;
  int64_t nnCacheSizePowerOfTwo = 0;
  int64_t maxMemoryMiB = 0;

  // Protocol and logging.
  bool gtpTolerantPlay = false;
  bool preventCleanupPhase = false;
  std::string gtpVersion;
  std::string logFile;
  bool logToStderr = false;
  bool logAllGTPCommunication = false;

  // Transports (gtp/serve): TCP listener and serial line.
  std::string gtpListen;
  double gtpIdleTimeoutSeconds = 0;
  int64_t gtpMaxLineLength = 0;
  bool gtpKeepStateOnDisconnect = false;
  std::string gtpSerial;
  int64_t gtpSerialBaud = 0;

  // KataGo's keys taken for drop-in use (issue 15): logging, pondering
  // limits, rules refinements, resignation, remote file access.
  std::string logDir;
  bool logSearchInfo = false;
  int64_t maxVisitsPondering = 0;
  int64_t maxPlayoutsPondering = 0;
  double maxTimePondering = 0;
  std::string friendlyPassOk;
  double resignMinScoreDifference = 0;
  std::string gtpFileAccessDir;
  double wideRootNoise = 0;
  double playoutDoublingAdvantage = 0;
  // Analysis engine (hoshi analysis, kata-analyze), KataGo's names.
  int64_t numAnalysisThreads = 0;
  int64_t numSearchThreadsPerAnalysisThread = 0;
  int64_t rootNumSymmetriesToSample = 0;
  bool ignorePreRootHistory = false;
  std::string reportAnalysisWinratesAs;
  int64_t analysisPVLen = 0;
  bool analysisIgnorePreRootHistory = true;
  std::string analysisListen;
  int64_t analysisMaxQueuedPositions = 0;
  int64_t analysisMaxLineLength = 0;
  int64_t analysisMaxClients = 0;

  // Search strength refinements, KataGo's names.
  bool useLcbForSelection = false;
  double lcbStdevs = 0;
  double minVisitPropForLCB = 0;
  bool useUncertainty = false;
  double uncertaintyCoeff = 0;
  double uncertaintyExponent = 0;
  double uncertaintyMaxWeight = 0;
  bool fpuParentWeightByVisitedPolicy = false;
  double fpuParentWeightByVisitedPolicyPow = 0;
  double fpuParentWeight = 0;
  double cpuctUtilityStdevPrior = 0;
  double cpuctUtilityStdevPriorWeight = 0;
  double cpuctUtilityStdevScale = 0;
  double midgameTimeFactor = 0;
  double midgameTurnPeakTime = 0;
  double endgameTurnTimeDecay = 0;
  double obviousMovesTimeFactor = 0;
  double obviousMovesPolicyEntropyTolerance = 0;
  double obviousMovesPolicySurpriseTolerance = 0;
  double policyOptimism = 0;
  double rootPolicyOptimism = 0;
  double valueWeightExponent = 0;
  bool useNoisePruning = false;
  double noisePruneUtilityScale = 0;
  double noisePruningCap = 0;
  double subtreeValueBiasFactor = 0;
  double subtreeValueBiasFreeProp = 0;
  double subtreeValueBiasWeightExponent = 0;
  bool useGraphSearch = false;
  bool conservativePass = false;
  bool enablePassingHacks = false;
};

// Each option points at the Params member it fills; the member's type is the
// option's type.
using ParamField =
    std::variant<bool Params::*, int64_t Params::*, double Params::*, std::string Params::*>;

// One setting as the layer that reads it declares it.
struct OptionSpec {
  std::string_view name;
  ParamField field;
  std::string defaultValue;  // as written in a config file
  double minValue = 0;       // numeric options only
  double maxValue = 0;
  std::vector<std::string_view> choices;  // string options: allowed values, empty = any
  std::string_view help;
  bool changeableAtRuntime = true;  // kata-set-param may change it after startup
};

// An upper bound meaning "no limit" (shown as "..." in range errors).
inline constexpr double kNoLimit = 1e18;

// The constructors layers declare their settings with. runtime = false: read
// at startup only (kata-set-param refuses it). A numeric default may be given
// as the number a component's own options struct starts from (gtp's
// PumpOptions, analysis's EngineConfig, nn's EvaluatorOptions), so that the
// struct's default member initialiser is the setting's one default.
OptionSpec boolOption(std::string_view name, bool Params::*field, std::string def,
                      std::string_view help, bool runtime = true);
OptionSpec intOption(std::string_view name, int64_t Params::*field, std::string def, double lo,
                     double hi, std::string_view help, bool runtime = true);
OptionSpec intOption(std::string_view name, int64_t Params::*field, int64_t def, double lo,
                     double hi, std::string_view help, bool runtime = true);
OptionSpec floatOption(std::string_view name, double Params::*field, std::string def, double lo,
                       double hi, std::string_view help, bool runtime = true);
OptionSpec floatOption(std::string_view name, double Params::*field, double def, double lo,
                       double hi, std::string_view help, bool runtime = true);
OptionSpec stringOption(std::string_view name, std::string Params::*field, std::string def,
                        std::vector<std::string_view> choices, std::string_view help,
                        bool runtime = true);

std::string_view optionTypeName(const OptionSpec& spec);

// The settings of one program, collected from the layers' declarations in a
// stable order (help output and kata-list-params follow it). A registry must
// outlive the OptionSets made from it.
class OptionRegistry {
 public:
  // Adds one declaration; a second one of the same name, or a default its own
  // range refuses, is a programming error (std::logic_error).
  void add(OptionSpec spec);
  void addAll(std::vector<OptionSpec> specs);
  const std::vector<OptionSpec>& specs() const { return specs_; }
  const OptionSpec* find(std::string_view name) const;
  // One line per option: "name (type, default 'value'): help".
  std::string helpText() const;
  // A Params holding every declared default (other fields zero or empty).
  Params defaults() const;

 private:
  std::vector<OptionSpec> specs_;
};

// Thrown for a value that cannot be accepted; the message is meant for users.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The live values of all options plus where each came from. One instance per
// engine; it is the only writer of Params.
class OptionSet {
 public:
  // Called after a value was stored; may throw ConfigError (or any
  // std::exception) to refuse it, in which case the old value is restored.
  using Hook = std::function<void(const Params&)>;

  explicit OptionSet(const OptionRegistry& registry);

  // Parses, range-checks and stores one value. `origin` says where it came
  // from ("file.cfg:12", "-override-config", "kata-set-param") and is kept for
  // later error messages. Throws ConfigError for an unknown name or a bad value.
  void set(std::string_view name, std::string_view value, const std::string& origin);
  bool isKnown(std::string_view name) const { return registry_->find(name) != nullptr; }
  const OptionRegistry& registry() const { return *registry_; }

  // The current value formatted the way it would be written in a config file.
  std::string get(std::string_view name) const;
  // Where the current value came from; "default" when never set.
  std::string origin(std::string_view name) const;
  bool isSet(std::string_view name) const { return origins_.count(std::string(name)) > 0; }

  const Params& params() const { return params_; }

  void onChange(std::string_view name, Hook hook);

 private:
  const OptionRegistry* registry_;
  Params params_;
  std::map<std::string, std::string> origins_;
  std::map<std::string, std::vector<Hook>> hooks_;
};

}  // namespace hoshi::config
