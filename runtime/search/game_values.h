#pragma once

// What a player remembers of its game between moves, as KataGo's GTP engine
// does: the root win-loss value of each of its searches (white's view, -1..1),
// and the budget and resignation decisions read off them and off the moves.

#include <optional>
#include <vector>

#include "game/game_state.h"
#include "search/search_params.h"

namespace hoshi::search {

class GameValues {
 public:
  // Before a search: forgets the values unless `state` continues the game
  // of the last recorded search (a new game, a loaded one or an undo start
  // afresh).
  void follow(const GameState& state);
  // After a search of `state`: its root win-loss value, white's view.
  void record(const GameState& state, double whiteWinLoss);
  // Oldest first.
  const std::vector<double>& values() const { return values_; }

 private:
  std::vector<double> values_;
  std::optional<GameState> last_;
};

// KataGo's searchFactorWhenWinning: 1, unless each of the last three values
// is better for `toMove` than searchFactorWhenWinningThreshold (a win-loss
// value); then from 1 at the threshold down to searchFactorWhenWinning at a
// certain win (winLossUtilityFactor), linearly in the least of the three.
double winningSearchFactor(const std::vector<double>& whiteWinLoss, Color toMove,
                           const SearchParams& p);

// searchFactorAfterOnePass when the opponent just passed;
// searchFactorAfterTwoPass when it passed on its turn before that too.
double passSearchFactor(const GameState& state, const SearchParams& p);

// Each of the last resignConsecTurns values (the newest is this search's) is
// below resignThreshold for `toMove`.
bool lostForTurns(const std::vector<double>& whiteWinLoss, Color toMove, const SearchParams& p);

}  // namespace hoshi::search
