#include "search/mcts_player.h"

#include <algorithm>
#include <cmath>

#include "search/game_values.h"
#include "search/puct.h"
#include "search/search_result.h"
#include "search/time_factors.h"

namespace hoshi::search {

MctsPlayer::MctsPlayer(std::shared_ptr<nn::Evaluator> evaluator)
    : evaluator_(std::move(evaluator)) {}

void MctsPlayer::prepare(const GameState& state, const SearchParams& params,
                         bool hidePreRootHistory) {
  if (!search_) {
    search_ = std::make_unique<Search>(evaluator_, params);
  } else {
    search_->setParams(params);
  }
  search_->setMoveFilter(nextFilter_);  // before setPosition: a new filter clears the tree
  nextFilter_ = MoveFilter();
  search_->setPosition(state, hidePreRootHistory);
}

double MctsPlayer::searchFactor(const GameState& state) const {
  const SearchParams& p = search_->params();
  return passSearchFactor(state, p) * winningSearchFactor(values_.values(), state.toMove(), p);
}

Decision MctsPlayer::genmove(const GameState& state, const SearchParams& params, double timeBudget,
                             const Search::Progress& progress, double interval) {
  prepare(state, params);
  values_.follow(state);
  Decision d;
  if (state.isGameFinished()) return d;  // nothing to search: pass
  const double factor = searchFactor(state);
  SearchLimits limits;
  limits.maxVisits =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(params.maxVisits * factor)));
  limits.maxPlayouts =
      std::max<int64_t>(1, static_cast<int64_t>(std::ceil(double(params.maxPlayouts) * factor)));
  limits.maxSeconds = std::min(params.maxTime, timeBudget) * factor;
  if (params.obviousMovesTimeFactor < 1.0 && timeBudget < params.maxTime) {
    d.stats = searchObviousFirst(state, params, timeBudget * factor, limits, progress, interval);
  } else {
    d.stats = search_->run(limits, progress, interval, &stop_);
  }
  d.move = chooseMove(state, params);
  const SearchResult r = collectResult(*search_, false, 1, 1);
  values_.record(state, sideSign(state.toMove()) * (2.0 * r.root.winrate - 1.0));
  d.resign = shouldResign(state, params) &&
             !(params.resignMinScoreDifference > 0 &&
               std::fabs(r.root.scoreLead) < params.resignMinScoreDifference);
  return d;
}

SearchStats MctsPlayer::ponder(const GameState& state, const SearchParams& params,
                               int64_t maxVisits, int64_t maxPlayouts, double maxSeconds) {
  prepare(state, params);
  if (state.isGameFinished()) return SearchStats();
  SearchLimits limits;
  limits.maxVisits = maxVisits;
  limits.maxPlayouts = maxPlayouts;
  limits.maxSeconds = maxSeconds;
  return search_->run(limits, nullptr, 1.0, &stop_);
}

// obviousMovesTimeFactor: search the least time an obvious move would get,
// then go on to the time this move turns out to deserve.
SearchStats MctsPlayer::searchObviousFirst(const GameState& state, const SearchParams& params,
                                           double clockSeconds, const SearchLimits& limits,
                                           const Search::Progress& progress, double interval) {
  SearchLimits first = limits;
  first.maxSeconds = std::min(limits.maxSeconds, clockSeconds * params.obviousMovesTimeFactor);
  SearchStats st = search_->run(first, progress, interval, &stop_);
  if (stop_.load() || st.stoppedByMemory || st.playouts >= limits.maxPlayouts ||
      st.rootVisits >= limits.maxVisits)
    return st;
  const double m =
      obviousMoveMultiplier(params, policySurprise(*search_->root(), state.toMove(), params));
  const double left = std::min(limits.maxSeconds, clockSeconds * m) - st.seconds;
  if (left <= 0.005) return st;
  SearchLimits rest = limits;
  rest.maxSeconds = left;
  rest.maxPlayouts = limits.maxPlayouts - st.playouts;
  const SearchStats more = search_->run(rest, progress, interval, &stop_);
  SearchStats total = more;
  total.playouts += st.playouts;
  total.seconds += st.seconds;
  return total;
}

SearchStats MctsPlayer::analyze(const GameState& state, const SearchParams& params,
                                const Search::Progress& progress, double interval,
                                double maxSeconds, bool hidePreRootHistory) {
  prepare(state, params, hidePreRootHistory);
  if (state.isGameFinished()) return SearchStats();
  SearchLimits limits;
  limits.unlimited = true;
  limits.maxSeconds = maxSeconds;
  return search_->run(limits, progress, interval, &stop_);
}

std::vector<float> MctsPlayer::ownership(const GameState& state, const SearchParams& params,
                                         int64_t visits) {
  // A finished game has nothing to search: the net's own view of it.
  if (state.isGameFinished()) return evaluator_->evaluate(state, 0).whiteOwnership;
  prepare(state, params);
  SearchLimits limits;
  limits.maxVisits = visits;
  limits.maxSeconds = params.maxTime;
  resetStop();
  search_->run(limits, nullptr, 1.0, &stop_);
  return collectResult(*search_, true, 1, 1).root.whiteOwnership;
}

Loc MctsPlayer::chooseMove(const GameState& state, const SearchParams& params) {
  const int area = state.board().xSize() * state.board().ySize();
  const double t = chosenMoveTemperature(params, int(state.moves().size()), area);
  if (t <= 1e-4) return bestMove(*search_);
  if (!moveRngSeeded_) {
    // A given seed makes the choices repeatable; another stream than the search's.
    moveRng_.seed(params.seedGiven ? params.seed ^ 0x6d6f7665ULL : std::random_device{}());
    moveRngSeeded_ = true;
  }
  return sampleChosenMove(*search_, t, std::uniform_real_distribution<double>(0, 1)(moveRng_));
}

bool MctsPlayer::shouldResign(const GameState& state, const SearchParams& params) const {
  if (!params.allowResignation) return false;
  // Too early to judge: the first few moves of a handicap game look lost.
  const int area = state.board().xSize() * state.board().ySize();
  if (static_cast<int>(state.moves().size()) < area / 5) return false;
  return lostForTurns(values_.values(), state.toMove(), params);
}

}  // namespace hoshi::search
