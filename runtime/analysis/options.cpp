#include "analysis/options.h"

#include <utility>
#include <vector>

namespace hoshi::analysis {

void declareAnalysisOptions(config::OptionRegistry& registry) {
  using namespace config;  // the option constructors
  using P = Params;
  std::vector<OptionSpec> specs = {
      // Analysis engine (hoshi analysis), by KataGo's names.
      intOption("numAnalysisThreads", &P::numAnalysisThreads, "2", 1, 1024,
                "positions the analysis engine searches at once", false),
      intOption("numSearchThreadsPerAnalysisThread", &P::numSearchThreadsPerAnalysisThread, "1", 1,
                1024, "search threads of each position the analysis engine searches", false),
      boolOption("ignorePreRootHistory", &P::ignorePreRootHistory, "false",
                 "hide the moves before the analysed position from the network (analysis "
                 "queries default to true, as in KataGo)"),
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
  };
  for (OptionSpec& s : specs) registry.add(std::move(s));
}

}  // namespace hoshi::analysis
