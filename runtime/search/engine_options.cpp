// The engine's settings (search/engine.h reads them): rules, the board at
// startup, memory, pondering limits and what analysis (kata-analyze and the
// JSON engine) reports.

#include "search/search_params.h"

namespace hoshi::search {

void declareEngineOptions(config::OptionRegistry& registry) {
  using namespace config;  // the option constructors
  using P = Params;
  registry.addAll({
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
      stringOption("friendlyPassOk", &P::friendlyPassOk, "", {"", "true", "false"},
                   "whether passing before dead stones are captured is fine, overriding the "
                   "preset; false (Tromp-Taylor): genmove keeps playing after two passes "
                   "while the game is not settled"),
      // The game as the engine keeps it.
      intOption("defaultBoardSize", &P::defaultBoardSize, "19", 2, 19, "board size at startup",
                false),
      boolOption("gtpTolerantPlay", &P::gtpTolerantPlay, "false",
                 "accept GTP play of moves illegal under the rules, as KataGo does"),
      boolOption("preventCleanupPhase", &P::preventCleanupPhase, "true",
                 "under territory scoring, two passes end the game instead of starting "
                 "KataGo's cleanup (encore) phases"),
      // Memory: the network cache and the tree.
      intOption("nnCacheSizePowerOfTwo", &P::nnCacheSizePowerOfTwo, "16", 0, 48,
                "log2 of the network cache entries", false),
      intOption("maxMemoryMiB", &P::maxMemoryMiB, "0", 0, 1 << 30,
                "memory budget for tree and cache (0: no limit)", false),
      // Pondering (thinking during the opponent's turn) and its limits.
      boolOption("ponderingEnabled", &P::ponderingEnabled, "false",
                 "think during the opponent's turn"),
      intOption("maxVisitsPondering", &P::maxVisitsPondering, "1125899906842624", 1, kNoLimit,
                "visits at most while pondering"),
      intOption("maxPlayoutsPondering", &P::maxPlayoutsPondering, "1125899906842624", 1, kNoLimit,
                "playouts at most while pondering"),
      floatOption("maxTimePondering", &P::maxTimePondering, "600", 0, 1e20,
                  "seconds at most of pondering (bounded so that a silent front end does not "
                  "keep a core busy forever)"),
      // What analysis reports (kata-analyze and hoshi analysis), by KataGo's names.
      stringOption("reportAnalysisWinratesAs", &P::reportAnalysisWinratesAs, "SIDETOMOVE",
                   {"BLACK", "WHITE", "SIDETOMOVE"},
                   "point of view of analysis winrates and scores"),
      intOption("analysisPVLen", &P::analysisPVLen, "15", 1, 1000,
                "moves of each principal variation reported after its first"),
      boolOption("analysisIgnorePreRootHistory", &P::analysisIgnorePreRootHistory, "true",
                 "kata-analyze and lz-analyze hide the moves before the analysed position "
                 "from the network, as KataGo's GTP does (genmove never does)"),
  });
}

}  // namespace hoshi::search
