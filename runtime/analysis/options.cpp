#include "analysis/options.h"

#include "analysis/engine.h"
#include "analysis/server.h"

namespace hoshi::analysis {

void declareAnalysisOptions(config::OptionRegistry& registry) {
  using namespace config;  // the option constructors
  using P = Params;
  // The engine's and the server's own defaults are the settings' defaults.
  const EngineConfig engine;
  const ServerConfig server;
  registry.addAll({
      // Analysis engine (hoshi analysis), by KataGo's names.
      intOption("numAnalysisThreads", &P::numAnalysisThreads, engine.analysisThreads, 1, 1024,
                "positions the analysis engine searches at once", false),
      intOption("numSearchThreadsPerAnalysisThread", &P::numSearchThreadsPerAnalysisThread,
                engine.searchThreadsPerAnalysisThread, 1, 1024,
                "search threads of each position the analysis engine searches", false),
      boolOption("ignorePreRootHistory", &P::ignorePreRootHistory, "false",
                 "hide the moves before the analysed position from the network (analysis "
                 "queries default to true, as in KataGo)"),
      stringOption("analysisListen", &P::analysisListen, "", {},
                   "serve the JSON analysis engine over TCP on HOST:PORT (or PORT: "
                   "127.0.0.1:PORT); several clients at once",
                   false),
      intOption("analysisMaxQueuedPositions", &P::analysisMaxQueuedPositions,
                int64_t(engine.maxQueuedPositions), 1, 10000000,
                "positions waiting for analysis at most (all clients); more are refused", false),
      intOption("analysisMaxLineLength", &P::analysisMaxLineLength, int64_t(server.maxLineLength),
                1024, 1 << 28, "longest analysis query line accepted, in bytes", false),
      intOption("analysisMaxClients", &P::analysisMaxClients, server.maxClients, 1, 4096,
                "TCP analysis clients connected at once; more are refused", false),
  });
}

}  // namespace hoshi::analysis
