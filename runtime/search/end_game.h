#pragma once

// End-of-game judgement from the network's ownership: which stones are dead
// (final_status_list) and the score once they are removed (final_score),
// per the rules' scoring (area: stones + territory; territory: territory +
// prisoners). Chains are judged as a whole by their average ownership.

#include <vector>

#include "game/game_state.h"
#include "search/search_params.h"

namespace hoshi::search {

class MctsPlayer;

enum class StoneStatus { kAlive, kDead, kSeki };

// Status of the chain at each point, [y * xSize + x]; kAlive for empty points.
// whiteOwnership is [y * xSize + x] in [-1, 1], white's view.
std::vector<StoneStatus> stoneStatuses(const Board& board,
                                       const std::vector<float>& whiteOwnership);

// Statuses from the ownership of a short search (at most 200 visits, and
// no more than maxVisits) of `state`.
std::vector<StoneStatus> judgeStones(MctsPlayer& player, const GameState& state,
                                     const SearchParams& params);

// White minus black with the dead stones taken off, by the rules of `state`
// (komi and handicap bonus included).
double scoreWithDeadRemoved(const GameState& state, const std::vector<StoneStatus>& status);

}  // namespace hoshi::search
