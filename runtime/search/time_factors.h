#pragma once

// Spending the clock where it matters (KataGo's midgameTimeFactor and
// obviousMovesTimeFactor families); both change only a budget that comes
// from the clock, never maxTime, and are off (factor 1) by default.
//  - midgameTimeFactor: the clock's share for a move times
//    1 + w * (factor - 1), w rising linearly to 1 at turn midgameTurnPeakTime
//    and decaying exponentially over endgameTurnTimeDecay turns after it
//    (turns of a 19x19 board, scaled by board area).
//  - obviousMovesTimeFactor: after a first short search, a move the net was
//    sure of (low policy entropy) and the search agrees with (low surprise,
//    the KL divergence of the play selection from the policy) gets its time
//    times 1 + w * (factor - 1), w = min(exp(-entropy / entropy tolerance),
//    exp(-surprise / surprise tolerance)).

#include "search/node.h"
#include "search/search_params.h"

namespace hoshi::search {

// Multiplier of the clock's budget at `turn` (moves played) on `area` points.
double midgameTimeMultiplier(const SearchParams& params, int turn, int area);

struct PolicySurprise {
  bool valid = false;
  double surprise = 0;       // KL(play selection || policy), nats
  double policyEntropy = 0;  // of the root's policy over its moves, nats
};
PolicySurprise policySurprise(const Node& root, Color pla, const SearchParams& params);

// Multiplier for an obvious move (1 when not obvious or the factor is 1).
double obviousMoveMultiplier(const SearchParams& params, const PolicySurprise& s);

}  // namespace hoshi::search
