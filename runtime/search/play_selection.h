#pragma once

// Which root move to play (KataGo's play selection values): each visited
// child counts its weight (its visits, less what noise pruning took), every
// child but the most weighted only as much of it as PUCT would still have
// spent on it against that child (exploration's extra visits dropped, as
// KataGo does), and with useLcbForSelection the child whose
// utility lower confidence bound is best (among children with at least
// minVisitPropForLCB of the most visited child's visits) is lifted to as
// many visits as it would need to beat every child it out-bounds. The
// bound is mean - lcbStdevs * stdev / sqrt(visits), the variance taken from
// the node's utility samples with a small prior at the widest variance the
// utility range allows, so two visits of the same value do not look certain.

#include <vector>

#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

struct LcbBound {
  double lcb = 0;     // pla's view
  double radius = 0;  // lcb = mean - radius
};

// The bound of a child's utility for `pla`, the player choosing it.
LcbBound utilityLcb(const NodeStats& st, Color pla, const SearchParams& params);

struct PlaySelection {
  int edge = -1;  // index into the root's edges
  Loc move = kNullLoc;
  int64_t visits = 0;
  double utility = 0;  // pla's view
  double value = 0;    // what the move choice ranks and samples by
};

// One entry per visited child of `node` (expanded), in edge order.
std::vector<PlaySelection> playSelectionValues(const Node& node, Color pla,
                                               const SearchParams& params);

}  // namespace hoshi::search
