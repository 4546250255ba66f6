#include "nn/options.h"

namespace hoshi::nn {

void declareNetworkOptions(config::OptionRegistry& registry) {
  using namespace config;  // the option constructors
  using P = Params;
  // The evaluator's own defaults are the settings' defaults.
  const EvaluatorOptions evaluator;
  registry.addAll({
      // Network.
      stringOption("nnBackend", &P::nnBackend, evaluator.backend, {},
                   "network backend by registry name", false),
      stringOption("nnPrecision", &P::nnPrecision, evaluator.precision,
                   {"fp32", "fp16", "int8", "auto"},
                   "network arithmetic precision; auto (or nnBackend = auto): the fastest "
                   "path meeting the accuracy bars, measured at first start and cached",
                   false),
      stringOption("nnAutoCacheDir", &P::nnAutoCacheDir, "", {},
                   "where auto keeps what it measured (empty: $HOSHI_CACHE_DIR, "
                   "$CACHE_DIRECTORY, $XDG_CACHE_HOME/hoshi or ~/.cache/hoshi)",
                   false),
      intOption("nnThreads", &P::nnThreads, evaluator.threads, 1, 256,
                "threads inside the network backend", false),
      intOption("nnMaxBatchSize", &P::nnMaxBatchSize, "8", 1, 4096,
                "largest batch sent to the network", false),
      intOption("nnLanes", &P::nnLanes, "0", 0, 256,
                "network evaluations run at once, each on nnThreads / nnLanes cores (eigen); "
                "0 = numSearchThreads, at most one per core on a CPU",
                false),
      intOption("cudaDevice", &P::cudaDevice, evaluator.device, 0, 63,
                "GPU index used by nnBackend = cuda", false),
  });
}

EvaluatorOptions evaluatorOptionsFrom(const config::Params& p) {
  EvaluatorOptions o;
  o.backend = p.nnBackend;
  o.threads = static_cast<int>(p.nnThreads);
  o.maxBatch = static_cast<int>(p.nnMaxBatchSize);
  // Like KataGo's NN server threads: by default one lane per search thread,
  // at most one per core on a CPU (nn::defaultLanes).
  o.lanes = static_cast<int>(p.nnLanes);
  o.searchThreads = static_cast<int>(p.numSearchThreads);
  o.autoCacheDir = p.nnAutoCacheDir;
  o.precision = p.nnPrecision;
  o.device = static_cast<int>(p.cudaDevice);
  return o;
}

}  // namespace hoshi::nn
