#pragma once

// The search as a player: one Search kept across moves (tree reuse), the
// per-move budget (visits, playouts, time, less when the game is nearly over
// or decided) and resignation. The Engine façade owns one when a network is
// loaded.

#include <atomic>
#include <memory>
#include <random>
#include <vector>

#include "game/game_state.h"
#include "nn/evaluator.h"
#include "search/game_values.h"
#include "search/search.h"
#include "search/search_params.h"

namespace hoshi::search {

struct Decision {
  Loc move = kPassLoc;
  bool resign = false;
  SearchStats stats;
};

class MctsPlayer {
 public:
  explicit MctsPlayer(std::shared_ptr<nn::Evaluator> evaluator);

  // `timeBudget`: seconds for this move from the clock (huge: none).
  Decision genmove(const GameState& state, const SearchParams& params, double timeBudget,
                   const Search::Progress& progress = nullptr, double interval = 0.1);
  // Searches until stop() (or maxSeconds when >= 0); for analysis and pondering.
  // hidePreRootHistory: as Search::setPosition.
  SearchStats analyze(const GameState& state, const SearchParams& params,
                      const Search::Progress& progress, double interval, double maxSeconds = -1,
                      bool hidePreRootHistory = false);
  // Pondering: searches until stop() or one of the limits.
  SearchStats ponder(const GameState& state, const SearchParams& params, int64_t maxVisits,
                     int64_t maxPlayouts, double maxSeconds);
  // Ownership (white's view, [y * xSize + x]) averaged over a short search
  // of `visits` playouts: the end-of-game judgement of final_score and
  // final_status_list.
  std::vector<float> ownership(const GameState& state, const SearchParams& params, int64_t visits);

  // Moves banned from the next genmove/analyze only (kata-analyze avoid and
  // allow); the one after runs unfiltered again.
  void setNextMoveFilter(const MoveFilter& filter) { nextFilter_ = filter; }

  // Thread-safe; ends a running genmove, analyze or ponder early (within a
  // few milliseconds), or the next one if called before it starts.
  void stop() { stop_.store(true); }
  // Arms the player for a new search (genmove, analyze and ponder do not
  // clear a pending stop themselves); call it from the controlling thread
  // before handing the search to another one, so that no stop is lost.
  void resetStop() { stop_.store(false); }

  // Drops the tree and the network cache (clear_cache): the next search
  // starts afresh.
  void clearCache() {
    if (search_) search_ = std::make_unique<Search>(evaluator_, search_->params());
  }

  Search& search() { return *search_; }
  const Search& search() const { return *search_; }

 private:
  void prepare(const GameState& state, const SearchParams& params, bool hidePreRootHistory = false);
  double searchFactor(const GameState& state) const;
  SearchStats searchObviousFirst(const GameState& state, const SearchParams& params,
                                 double clockSeconds, const SearchLimits& limits,
                                 const Search::Progress& progress, double interval);
  bool shouldResign(const GameState& state, const SearchParams& params) const;
  Loc chooseMove(const GameState& state, const SearchParams& params);

  std::shared_ptr<nn::Evaluator> evaluator_;
  std::unique_ptr<Search> search_;
  GameValues values_;  // this game's genmove values: budget and resignation
  std::atomic<bool> stop_{false};
  MoveFilter nextFilter_;
  std::mt19937_64 moveRng_;  // chosenMoveTemperature draws
  bool moveRngSeeded_ = false;
};

}  // namespace hoshi::search
