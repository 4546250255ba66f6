#pragma once

// PUCT child selection (AlphaZero's rule with KataGo's refinements): the
// exploration constant grows with the log of the parent's visits, unvisited
// children get a first-play-urgency value below the parent's, and visits in
// flight on other threads count as losses.

#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

// +1 for white, -1 for black: turns white-view stats into the mover's view.
inline double sideSign(Color c) {
  return c == Color::kWhite ? 1.0 : -1.0;
}

// Index of the edge of `node` (expanded, with edges) to descend for `pla`
// (the player to move at `node`). lossUtility is the utility of a sure loss
// (the value a virtual loss stands for).
int selectEdge(const Node& node, Color pla, const SearchParams& params, bool isRoot,
               double lossUtility);

}  // namespace hoshi::search
