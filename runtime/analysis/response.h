#pragma once

// Responses of the analysis engine, with KataGo's field names and meanings
// (docs/Analysis_Engine.md): moveInfos, rootInfo (raw net values and
// position hashes included), ownership, ownershipStdev and policy.

#include <string>

#include "analysis/query.h"
#include "search/search.h"

namespace hoshi::analysis {

// The response line for one turn from the search's current tree.
// `duringSearch`: a partial report (reportDuringSearchEvery).
// `rootOutput`: the net's view of the root when the search has none (a
// finished game is never expanded); null otherwise.
std::string formatResponse(const search::Search& search, const std::string& id, int turnNumber,
                           const ReportOptions& report, bool duringSearch,
                           const nn::NetOutput* rootOutput = nullptr);

// A turn terminated before any visit: {"id","isDuringSearch":false,"noResults":true,"turnNumber"}.
std::string noResultsResponse(const std::string& id, int turnNumber);

// KataGo's thisHash (position, side to move, ko) and symHash (the same, the
// smallest over the board's symmetries), as 32 hex digits.
std::string thisHashText(const GameState& state);
std::string symHashText(const GameState& state);

}  // namespace hoshi::analysis
