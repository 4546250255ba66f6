#pragma once

// What a search found, read off the tree: per root move visits, winrate,
// score, prior and principal variation (what kata-analyze reports), the
// root's summary, ownership averaged over the tree, and the move to play.
// Values are from the point of view of the player to move at the root.

#include <cstdint>
#include <vector>

#include "game/board.h"
#include "search/search.h"

namespace hoshi::search {

struct MoveInfo {
  Loc move = kNullLoc;
  int64_t visits = 0;  // the child node's (with useGraphSearch, from every parent)
  double utility = 0;
  double winrate = 0;  // 0..1
  double scoreMean = 0;
  double scoreStdev = 0;
  double scoreLead = 0;
  double prior = 0;
  double lcb = 0;  // winrate lower confidence bound
  double utilityLcb = 0;
  int order = 0;
  std::vector<Loc> pv;  // starts with `move`
  // Analysis extras (KataGo's analysis engine fields). edgeVisits: the root's
  // playouts through this move (== visits without useGraphSearch). weight:
  // the child node's total weight; edgeWeight: its share through this move,
  // what play selection starts from. Weights differ from visits where
  // useNoisePruning or useUncertainty reweigh.
  int64_t edgeVisits = 0;
  double weight = 0;
  double edgeWeight = 0;
  double playSelectionValue = 0;      // what `order` ranks by
  double noResult = 0;                // probability of no result
  std::vector<int64_t> pvVisits;      // visits of the node after each pv move
  std::vector<int64_t> pvEdgeVisits;  // visits through each pv move
  // After this move, white's view, [y * xSize + x]; when asked for.
  std::vector<float> whiteOwnership;
  std::vector<float> ownershipStdev;
};

struct RootInfo {
  Color pla = Color::kBlack;
  int64_t visits = 0;
  double weight = 0;  // the root's total weight (the visits unless reweighed)
  double utility = 0;
  double winrate = 0.5;
  double scoreMean = 0;
  double scoreStdev = 0;
  double scoreLead = 0;
  // White's view, [y * xSize + x], in [-1, 1]; empty unless requested.
  std::vector<float> whiteOwnership;
  std::vector<float> ownershipStdev;  // same weighting, in [0, 1]; when asked for
  double noResult = 0;
};

struct SearchResult {
  RootInfo root;
  std::vector<MoveInfo> moves;  // best first (visits, then utility)
};

// maxMoves 0: all visited moves. minVisits: hide moves with fewer visits.
SearchResult collectResult(const Search& search, bool withOwnership, int maxMoves = 0,
                           int maxPvLength = 15);

struct ResultOptions {
  bool ownership = false;
  bool ownershipStdev = false;
  bool movesOwnership = false;  // MoveInfo::whiteOwnership (and stdev with ownershipStdev)
  int maxMoves = 0;             // 0: every visited move
  int maxPvLength = 15;         // moves of each pv, the first included
  // At least this many moves: unvisited ones (highest prior first) are
  // added with no visits and the root's values (kata-analyze minmoves).
  int minMoves = 0;
};
SearchResult collectResult(const Search& search, const ResultOptions& options);

// The most visited root move (its utility breaks ties); the net's top move
// when nothing was visited; kPassLoc when the root has no moves.
Loc bestMove(const Search& search);

// The temperature of chosenMoveTemperature* for the move after `movesPlayed`
// moves on a board of `area` points.
double chosenMoveTemperature(const SearchParams& params, int movesPlayed, int area);

// temperature <= 0: bestMove. Else a visited root move with probability
// proportional to visits^(1 / temperature); u in [0, 1) is the draw.
Loc sampleChosenMove(const Search& search, double temperature, double u);

}  // namespace hoshi::search
