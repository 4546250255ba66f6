#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "config/options.h"
#include "game/game_state.h"
#include "game/rules.h"

namespace hoshi {
namespace nn {
class Evaluator;
}
namespace search {
class MctsPlayer;
struct MoveClock;
}  // namespace search

// Clock settings as GTP and KGS describe them; kNone means no limits.
struct TimeControls {
  enum class Kind { kNone, kAbsolute, kCanadian, kByoYomi };
  Kind kind = Kind::kNone;
  double mainTime = 0;
  double periodTime = 0;  // byo-yomi or Canadian period length
  int periodStones = 0;   // Canadian: stones per period
  int periods = 0;        // Japanese byo-yomi: number of periods
};

// Time left for one player as last told by time_left.
struct ClockState {
  double seconds = -1;  // < 0: never told
  int stones = 0;       // 0: in main time
};

// Protocol-free engine: the game being played, its rules and clocks, the
// parameters, and the move choice. GTP and any other front end drive it.
// Every method either succeeds or throws std::invalid_argument and leaves the
// state unchanged.
class Engine {
 public:
  explicit Engine(const config::Params& params);
  ~Engine();

  const config::Params& params() const { return params_; }
  // Takes new parameters (kata-set-param); rules keys only apply at startup.
  void setParams(const config::Params& params);
  // Rules from the params' `rules` preset refined by koRule, scoringRule, ...
  // Throws std::invalid_argument naming the bad key.
  static Rules rulesFromParams(const config::Params& params);

  // With a network, genmove runs the MCTS (search/mcts_player.h).
  void setEvaluator(std::shared_ptr<nn::Evaluator> evaluator);
  const std::shared_ptr<nn::Evaluator>& evaluator() const { return evaluator_; }

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
  // The search player (null without a network); analysis commands drive it.
  search::MctsPlayer* mcts() { return mcts_.get(); }
  // Ends a running search (genmove, analysis, pondering) from any thread.
  void stopSearch();

  // Chooses a move for `color` without playing it (reg_genmove).
  Loc chooseMove(Color color);
  // Chooses and plays (genmove).
  Loc genmove(Color color);

  // White minus black by the rules' scoring, every stone counted alive.
  double finalScoreWhiteMinusBlack() const;
  // Stones of one status: "alive", "dead" or "seki" (all alive for now).
  std::vector<Loc> stonesWithStatus(const std::string& status) const;

  void setTimeControls(const TimeControls& tc);
  const TimeControls& timeControls() const { return timeControls_; }
  void setTimeLeft(Color color, double seconds, int stones);
  ClockState timeLeft(Color color) const;

 private:
  void resetClocks();
  void requireEmptyBoard() const;
  search::MoveClock moveClock(Color color) const;

  config::Params params_;
  GameState state_;
  std::shared_ptr<nn::Evaluator> evaluator_;
  std::unique_ptr<search::MctsPlayer> mcts_;
  TimeControls timeControls_;
  ClockState clocks_[2];
  std::mt19937_64 rng_;
  bool warnedNoModel_ = false;
};

}  // namespace hoshi
