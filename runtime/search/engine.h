#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "config/options.h"
#include "game/game_state.h"
#include "game/rules.h"
#include "search/async_search.h"
#include "search/search.h"
#include "search/search_result.h"
#include "search/time_manager.h"

namespace hoshi {
namespace nn {
class Evaluator;
}
namespace search {
class MctsPlayer;
}

// The game's time control and a player's clock (search/time_manager.h).
using TimeControls = search::TimeControls;
using ClockState = search::ClockState;

// Protocol-free engine: the game being played, its rules and clocks, the
// parameters, the move choice and the search in the background (analysis,
// pondering, a cancellable move search). GTP and any other front end drive
// it from one thread. Every method either succeeds or throws
// std::invalid_argument and leaves the state unchanged. Every method that
// changes the game, the parameters or the network, and every search, first
// stops the background search and waits for it.
class Engine {
 public:
  explicit Engine(const config::Params& params);
  ~Engine();

  const config::Params& params() const { return params_; }
  // Takes new parameters (kata-set-param); rules keys only apply at startup.
  void setParams(const config::Params& params);
  // Why `params` cannot work on this machine (a network cache whose table
  // alone would not fit in memory), or "" when they can.
  static std::string checkResources(const config::Params& params);
  // A fresh game as `params` start one (board size, rules, komi, clocks,
  // parameters); the network and its caches stay. For the next TCP front end.
  void reset(const config::Params& params);
  // Rules from the params' `rules` preset refined by koRule, scoringRule, ...
  // Throws std::invalid_argument naming the bad key.
  static Rules rulesFromParams(const config::Params& params);

  // With a network, genmove runs the MCTS (search/mcts_player.h).
  void setEvaluator(std::shared_ptr<nn::Evaluator> evaluator);
  const std::shared_ptr<nn::Evaluator>& evaluator() const { return evaluator_; }
  // The file the network came from (kata-get-models); "" without one.
  void setModelFile(const std::string& path) { modelFile_ = path; }
  const std::string& modelFile() const { return modelFile_; }

  const GameState& state() const { return state_; }
  const Board& board() const { return state_.board(); }
  const Rules& rules() const { return state_.rules(); }

  // Position commands.
  void setBoardSize(int xSize, int ySize);  // also clears the board
  void clearBoard();
  void setKomi(float komi);
  // Rules except komi, which is kept (kata-set-rules). Replays the game
  // under the new rules.
  void setRules(const Rules& rules);
  // Plays `loc` for `color`. Illegal moves throw unless gtpTolerantPlay is set.
  void play(Color color, Loc loc);
  // False when there is nothing to undo.
  bool undo();
  // Replaces the whole game (loadsgf).
  void setState(const GameState& state);

  // Handicap on an empty board: fixed patterns (GTP fixed_handicap) or the
  // engine's choice (place_free_handicap), or given points (set_free_handicap).
  std::vector<Loc> placeFixedHandicap(int stones);
  std::vector<Loc> placeFreeHandicap(int stones);
  void setFreeHandicap(const std::vector<Loc>& stones);

  // What chooseMove/genmove return when the engine resigns (never a board point).
  static constexpr Loc kResignLoc = kNullLoc;
  // A network is loaded: the MCTS (and analysis) is available.
  bool canSearch() const { return mcts_ != nullptr; }
  // Drops the search tree and the network cache (clear_cache).
  void clearCache();

  // Chooses a move for `color` without playing it (reg_genmove).
  Loc chooseMove(Color color);
  // Chooses and plays (genmove); then, when ponderingEnabled and the game
  // goes on, ponders in the background on the opponent's turn.
  Loc genmove(Color color);
  // What the last chooseMove/genmove search saw (its 5 best moves, pvs of
  // 8), read before any pondering; empty without a network.
  const search::SearchResult& lastMoveSearch() const { return lastMoveSearch_; }
  // Its counts: playouts, root visits, net evaluations, cache hits.
  const search::SearchStats& lastMoveStats() const { return lastMoveStats_; }

  // Called with the search, on the searching thread, every report interval.
  // It must not call back into the Engine (stopAndWait would wait for itself).
  using SearchReport = std::function<void(const search::Search&)>;
  // kata-genmove_analyze: chooses a move for `pla` within the clock's budget,
  // calling `report` every `interval` seconds and once at the end, and plays
  // it (a pass when it cannot be played); kResignLoc, nothing played, when
  // resigning. Synchronous. Needs a network.
  Loc genmoveAnalyze(Color pla, const search::MoveFilter& filter, double interval,
                     const SearchReport& report);

  // Search in the background (search/async_search.h), one at a time.
  // Analyses the position for `pla` (a pass inserted when it is the other
  // side's turn) until stopped, with `report` every `interval` seconds (0: as
  // often as the search can). Needs a network.
  void startAnalysis(Color pla, const search::MoveFilter& filter, double interval,
                     SearchReport report);
  // Searches the current position silently within maxVisitsPondering,
  // maxPlayoutsPondering and maxTimePondering; the tree is reused by the
  // next move if the opponent plays into it. No-op without a network or in
  // a finished game.
  void startPondering();
  // Chooses a move for `color` as chooseMove does (kata-search_cancellable);
  // `done` (or `failed`, with the error) runs on the search thread when the
  // search ends, by itself or stopped. Needs a network.
  void startChooseMove(Color color, std::function<void(Loc)> done,
                       std::function<void(const std::string&)> failed);
  // Ends the running search, background or not (a genmove on another
  // thread), without waiting. Any thread.
  void stopSearch();
  // Ends the background search and waits until it has returned (its last
  // report or `done` written). Safe when nothing runs.
  void stopAndWait();
  // Waits for a background search to end by itself (tests; bounded searches).
  void waitForSearch() { async_.wait(); }
  bool isSearching() const { return async_.isRunning(); }

  // White minus black by the rules' scoring, every stone counted alive.
  double finalScoreWhiteMinusBlack() const;
  // Stones of one status: "alive", "dead" or "seki" (all alive for now).
  std::vector<Loc> stonesWithStatus(const std::string& status) const;

  void setTimeControls(const TimeControls& tc);
  const TimeControls& timeControls() const { return timeControls_; }
  void setTimeLeft(Color color, double seconds, int stones);
  ClockState timeLeft(Color color) const;
  // The clock of `color` for the time manager.
  search::MoveClock moveClock(Color color) const;
  // Seconds the search of `pla`'s move in `s` gets from the clock: the lag
  // buffer kept back, midgameTimeFactor applied (genmove and its kin alike).
  double moveBudget(Color pla, const GameState& s) const;
  // Wall-clock seconds spent choosing moves (genmove and its kin) since start (cputime).
  double moveSeconds() const { return moveSeconds_; }

 private:
  void resetClocks();
  void requireEmptyBoard() const;
  // chooseMove without stopping the background search: the body of both
  // the synchronous and the background move search.
  Loc chooseMoveNow(Color color);
  // The position to search for `pla`: a pass inserted when it is the other
  // side's turn (analysis commands name the side).
  GameState positionFor(Color pla) const;

  config::Params params_;
  GameState state_;
  std::shared_ptr<nn::Evaluator> evaluator_;
  std::string modelFile_;
  std::unique_ptr<search::MctsPlayer> mcts_;
  TimeControls timeControls_;
  ClockState clocks_[2];
  std::mt19937_64 rng_;
  bool warnedNoModel_ = false;
  double moveSeconds_ = 0;
  bool warnedMemory_ = false;
  search::SearchResult lastMoveSearch_;
  search::SearchStats lastMoveStats_;
  // Last: destroyed first, so a running search ends before what it uses.
  mutable search::AsyncSearch async_;
};

}  // namespace hoshi
