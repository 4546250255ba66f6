#pragma once

// One analysis query of KataGo's JSON protocol (docs/Analysis_Engine.md),
// parsed and checked: the positions of every requested turn, the search
// parameters after overrideSettings, the move filters and what to report.
// Parsing never throws: a bad query gives KataGo's error lines instead.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/options.h"
#include "game/game_state.h"
#include "search/search.h"
#include "search/search_params.h"

namespace hoshi::analysis {

// What a response contains besides the always-present fields.
struct ReportOptions {
  bool ownership = false;
  bool ownershipStdev = false;
  bool movesOwnership = false;
  bool movesOwnershipStdev = false;
  bool policy = false;
  bool pvVisits = false;
  bool noResultValue = false;
  // Moves after the first; analysisPVLen unless the query says otherwise.
  int pvLength = static_cast<int>(search::SearchParams().analysisPVLen);
  // Point of view of winrates, scores and ownership: kBlack, kWhite, or
  // kEmpty for the side to move.
  Color perspective = Color::kBlack;
  double reportEvery = 0;  // seconds; 0: only the final response
};

// The game of a query, kept once for all its turns: a position is ~33 KB,
// so waiting turns hold only their number and are replayed when searched.
struct GameRecord {
  Board initial;
  Color initialPlayer = Color::kBlack;
  Rules rules;
  std::vector<Move> moves;  // checked legal when the query was parsed
  // The net is not shown the moves before the analysed turn (the search
  // still plays from the whole game: ko, superko, passes, scoring).
  bool ignorePreRootHistory = true;
  bool preventEncore = true;
};

// The game up to turn `turn` (0..moves.size()): the root of its search.
GameState positionAt(const GameRecord& game, int turn);

// One turn to analyse.
struct TurnRequest {
  int turnNumber = 0;
  int priority = 0;
};

struct Query {
  std::string id;
  std::shared_ptr<const GameRecord> game;
  std::vector<TurnRequest> turns;
  search::SearchParams params;
  int64_t maxVisits = -1;  // -1: params
  search::MoveFilter filter;
  ReportOptions report;
};

// An action query (query_version, clear_cache, terminate, ...).
struct Action {
  std::string id;
  std::string name;
  std::optional<std::string> terminateId;       // terminate
  std::optional<std::vector<int>> turnNumbers;  // terminate, terminate_all
  std::string line;                             // the query as sent (answers echo it)
};

struct ParseResult {
  std::optional<Query> query;
  std::optional<Action> action;
  // Complete response lines (errors and warnings) to send, in order. With an
  // error, neither query nor action is set.
  std::vector<std::string> messages;
};

// `base`: the engine's options (config file and command line), onto which
// overrideSettings are applied per query. `boardSizeError`: "" when the net
// accepts xSize x ySize, else why not (a callback keeps nn out of parsing).
struct ParseContext {
  const config::OptionSet* base = nullptr;
  int maxBoardSize = 19;
};

ParseResult parseLine(const std::string& line, const ParseContext& context);

// {"error": message} and the per-field forms, as KataGo writes them.
std::string errorLine(const std::string& message);
std::string fieldErrorLine(const std::string& id, const std::string& field,
                           const std::string& message);
std::string fieldWarningLine(const std::string& id, const std::string& field,
                             const std::string& message);

}  // namespace hoshi::analysis
