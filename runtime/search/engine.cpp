#include "search/engine.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "game/handicap.h"
#include "game/scoring.h"
#include "search/end_game.h"
#include "search/fallback_policy.h"
#include "search/mcts_player.h"
#include "search/nn_cache.h"
#include "search/search_params.h"
#include "search/time_factors.h"
#include "search/time_manager.h"
#include "util/hash.h"

namespace hoshi {
namespace {

uint64_t seedFrom(const std::string& text) {
  if (text.empty()) return std::random_device()() ^ (uint64_t(std::random_device()()) << 32);
  // FNV-1a: stable across platforms, unlike std::hash.
  return util::fnv1a(text);
}

}  // namespace

Engine::Engine(const config::Params& params)
    : params_(params), rng_(seedFrom(params.searchRandSeed)) {
  const int n = static_cast<int>(params.defaultBoardSize);
  state_ = GameState(Board(n, n), Color::kBlack, rulesFromParams(params));
}

Engine::~Engine() {
  async_.stopAndWait();
}

void Engine::setEvaluator(std::shared_ptr<nn::Evaluator> evaluator) {
  stopAndWait();
  evaluator_ = std::move(evaluator);
  mcts_ = evaluator_ ? std::make_unique<search::MctsPlayer>(evaluator_) : nullptr;
}

search::MoveClock Engine::moveClock(Color color) const {
  search::MoveClock c;
  static_cast<TimeControls&>(c) = timeControls_;
  c.secondsLeft = timeLeft(color).seconds;
  c.stonesLeft = timeLeft(color).stones;
  return c;
}

double Engine::moveBudget(Color pla, const GameState& s) const {
  const double multiplier = search::midgameTimeMultiplier(search::searchParamsFrom(params_),
                                                          static_cast<int>(s.moves().size()),
                                                          s.board().xSize() * s.board().ySize());
  return search::moveTimeBudget(moveClock(pla), s, params_.lagBuffer, multiplier);
}

void Engine::stopSearch() {
  async_.stop();
  if (mcts_) mcts_->stop();
}

void Engine::stopAndWait() {
  async_.stopAndWait();
}

void Engine::clearCache() {
  stopAndWait();
  if (mcts_) mcts_->clearCache();
}

Rules Engine::rulesFromParams(const config::Params& p) {
  Rules rules;
  std::string error;
  if (!Rules::tryParse(p.rules, rules, &error))
    throw std::invalid_argument("rules: unknown rules '" + p.rules + "': " + error);
  // Config keys with the rules field each refines.
  const std::pair<const std::string*, const char*> refinements[] = {
      {&p.koRule, "ko"},
      {&p.scoringRule, "scoring"},
      {&p.taxRule, "tax"},
      {&p.multiStoneSuicideLegal, "suicide"},
      {&p.hasButton, "hasButton"},
      {&p.whiteHandicapBonus, "whiteHandicapBonus"},
      {&p.friendlyPassOk, "friendlyPassOk"},
  };
  for (const auto& [value, field] : refinements) {
    if (!value->empty()) rules = rules.withSetting(field, *value);
  }
  return rules;
}

void Engine::setParams(const config::Params& params) {
  stopAndWait();
  if (params.searchRandSeed != params_.searchRandSeed) rng_.seed(seedFrom(params.searchRandSeed));
  params_ = params;
}

std::string Engine::checkResources(const config::Params& p) {
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0) return "";
  const double ram = double(pages) * double(pageSize);
  const double table =
      double(search::NnCache::tableBytes(static_cast<int>(p.nnCacheSizePowerOfTwo)));
  if (table <= ram / 2) return "";
  int fits = static_cast<int>(p.nnCacheSizePowerOfTwo);
  while (fits > 0 && double(search::NnCache::tableBytes(fits)) > ram / 2) --fits;
  std::ostringstream out;
  out << "nnCacheSizePowerOfTwo = " << p.nnCacheSizePowerOfTwo << " needs "
      << int64_t(table / (1 << 20)) << " MiB for the cache's table alone, more than half of "
      << "this machine's " << int64_t(ram / (1 << 20)) << " MiB; use " << fits << " or less";
  return out.str();
}

void Engine::reset(const config::Params& params) {
  const int n = static_cast<int>(params.defaultBoardSize);
  GameState fresh(Board(n, n), Color::kBlack, rulesFromParams(params));
  setParams(params);  // stops the search
  state_ = std::move(fresh);
  timeControls_ = TimeControls{};
  resetClocks();
}

void Engine::setBoardSize(int xSize, int ySize) {
  stopAndWait();
  // Board's constructor refuses sizes it cannot hold.
  state_ = GameState(Board(xSize, ySize), Color::kBlack, state_.rules());
  resetClocks();
}

void Engine::clearBoard() {
  stopAndWait();
  const Board& b = state_.board();
  state_ = GameState(Board(b.xSize(), b.ySize()), Color::kBlack, state_.rules());
  resetClocks();
}

void Engine::setKomi(float komi) {
  if (!(komi >= Rules::kMinUserKomi && komi <= Rules::kMaxUserKomi))
    throw std::invalid_argument("komi out of range");
  stopAndWait();
  state_.setKomi(komi);
}

void Engine::setRules(const Rules& rules) {
  stopAndWait();
  Rules r = rules;
  r.komi = state_.komi();
  state_.setRules(r, true);
}

void Engine::play(Color color, Loc loc) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
  stopAndWait();
  const Board& b = state_.board();
  if (loc != kPassLoc && !b.isOnBoard(loc)) throw std::invalid_argument("invalid coordinate");
  bool legal;
  if (color == state_.toMove()) {
    legal = state_.isLegal(loc, color);
  } else {
    // Out of turn (GTP allows it): the board rules still hold, but the ko
    // and superko bans were computed for the other side and do not apply.
    legal = b.isLegalIgnoringKo(loc, color, state_.rules().multiStoneSuicideLegal);
  }
  if (!legal && params_.gtpTolerantPlay) legal = state_.isLegalTolerant(loc, color);
  if (!legal) throw std::invalid_argument("illegal move");
  state_.playAssumeLegal(loc, color, params_.preventCleanupPhase);
}

bool Engine::undo() {
  stopAndWait();
  return state_.undo();
}

void Engine::setState(const GameState& state) {
  stopAndWait();
  state_ = state;
  resetClocks();
}

void Engine::requireEmptyBoard() const {
  async_.stopAndWait();  // every caller goes on to change the board
  if (!state_.board().isEmpty() || !state_.moves().empty())
    throw std::invalid_argument("board not empty");
}

std::vector<Loc> Engine::placeFixedHandicap(int stones) {
  requireEmptyBoard();
  const Board& b = state_.board();
  if (stones < 2 || stones > maxFixedHandicap(b.xSize(), b.ySize()))
    throw std::invalid_argument("invalid number of stones");
  std::vector<Loc> pts = fixedHandicapPoints(b.xSize(), b.ySize(), stones);
  setFreeHandicap(pts);
  return pts;
}

std::vector<Loc> Engine::placeFreeHandicap(int stones) {
  requireEmptyBoard();
  const Board& b = state_.board();
  if (stones < 2 || stones >= b.xSize() * b.ySize())
    throw std::invalid_argument("invalid number of stones");
  // May be fewer than asked (GTP allows it): at most 30 and a quarter of the board.
  std::vector<Loc> pts = freeHandicapPoints(b.xSize(), b.ySize(), stones);
  setFreeHandicap(pts);
  return pts;
}

void Engine::setFreeHandicap(const std::vector<Loc>& stones) {
  requireEmptyBoard();
  Board setup(state_.board().xSize(), state_.board().ySize());
  if (!checkFreeHandicap(setup, stones).empty()) throw std::invalid_argument("bad vertex list");
  for (Loc l : stones) setup.setStone(l, Color::kBlack);
  state_ = GameState(setup, Color::kWhite, state_.rules());
}

Loc Engine::chooseMove(Color color) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
  stopAndWait();
  if (mcts_) mcts_->resetStop();  // a stop meant for an earlier search
  return chooseMoveNow(color);
}

Loc Engine::chooseMoveNow(Color color) {
  if (mcts_) {
    const auto start = std::chrono::steady_clock::now();
    GameState s = state_;
    // Two passes ended the game, but where passing before the dead stones
    // are captured is not fine (Tromp-Taylor: no friendlyPassOk), a genmove
    // after them plays on from the board as it stands, as KataGo does: it
    // passes again only once the game is settled.
    if (s.isGameFinished() && !s.isResignation() && s.rules().scoring == ScoringRule::kArea &&
        !s.rules().friendlyPassOk)
      s.setToMoveAndClearHistory(color);
    // Out of turn: let the side to move pass, so `color` is to move.
    if (color != s.toMove()) s.playAssumeLegal(kPassLoc, s.toMove());
    search::Decision d = mcts_->genmove(s, search::searchParamsFrom(params_), moveBudget(color, s));
    lastMoveSearch_ = search::collectResult(mcts_->search(), false, 5, 8);
    lastMoveStats_ = d.stats;
    if (d.stats.stoppedByMemory && !warnedMemory_) {
      // Once: a budget this small cuts every search short.
      std::cerr << "hoshi: maxMemoryMiB = " << params_.maxMemoryMiB
                << " is too small for this search: it stopped at " << d.stats.rootVisits
                << " visits of the " << params_.maxVisits << " asked for; raise maxMemoryMiB\n";
      warnedMemory_ = true;
    }
    moveSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return d.resign ? kResignLoc : d.move;
  }
  if (!warnedNoModel_ && !evaluator_) {
    std::cerr << "hoshi: no model configured, playing random moves that keep own eyes\n";
    warnedNoModel_ = true;
  }
  const Board& b = state_.board();
  std::vector<Loc> legal;
  for (int y = 0; y < b.ySize(); ++y) {
    for (int x = 0; x < b.xSize(); ++x) {
      Loc l = b.loc(x, y);
      bool ok = color == state_.toMove()
                    ? state_.isLegal(l, color)
                    : b.isLegalIgnoringKo(l, color, state_.rules().multiStoneSuicideLegal);
      if (ok) legal.push_back(l);
    }
  }
  return pickFallbackMove(b, color, legal, rng_);
}

Loc Engine::genmove(Color color) {
  Loc loc = chooseMove(color);
  if (loc == kResignLoc) return loc;
  state_.playAssumeLegal(loc, color, params_.preventCleanupPhase);
  if (params_.ponderingEnabled) startPondering();
  return loc;
}

GameState Engine::positionFor(Color pla) const {
  GameState s = state_;
  if (s.toMove() != pla && !s.isGameFinished()) s.playAssumeLegal(kPassLoc, s.toMove());
  return s;
}

Loc Engine::genmoveAnalyze(Color pla, const search::MoveFilter& filter, double interval,
                           const SearchReport& report) {
  if (!mcts_) throw std::invalid_argument("analysis needs a model (-model FILE)");
  stopAndWait();
  const GameState s = positionFor(pla);
  const double budget = moveBudget(pla, s);
  mcts_->resetStop();
  mcts_->setNextMoveFilter(filter);
  const search::Decision d =
      mcts_->genmove(s, search::searchParamsFrom(params_), budget, report, interval);
  if (report) report(mcts_->search());
  if (d.resign) return kResignLoc;
  try {
    play(pla, d.move);
    return d.move;
  } catch (const std::invalid_argument&) {
    play(pla, kPassLoc);
    return kPassLoc;
  }
}

void Engine::startAnalysis(Color pla, const search::MoveFilter& filter, double interval,
                           SearchReport report) {
  if (!mcts_) throw std::invalid_argument("analysis needs a model (-model FILE)");
  stopAndWait();
  search::MctsPlayer* mcts = mcts_.get();
  const GameState s = positionFor(pla);
  const search::SearchParams sp = search::searchParamsFrom(params_);
  const bool hide = params_.analysisIgnorePreRootHistory;
  mcts->resetStop();
  mcts->setNextMoveFilter(filter);
  async_.start(
      [mcts, s, sp, interval, hide, report = std::move(report)] {
        try {
          mcts->analyze(s, sp, report, interval, -1, hide);
        } catch (const std::exception&) {
          // The stream just ends; the next command gets a normal answer.
        }
      },
      [mcts] { mcts->stop(); });
}

void Engine::startPondering() {
  stopAndWait();
  if (!mcts_ || state_.isGameFinished()) return;
  search::MctsPlayer* mcts = mcts_.get();
  const GameState s = state_;
  const search::SearchParams sp = search::searchParamsFrom(params_);
  const int64_t visits = params_.maxVisitsPondering, playouts = params_.maxPlayoutsPondering;
  const double seconds = params_.maxTimePondering;
  mcts->resetStop();
  async_.start(
      [mcts, s, sp, visits, playouts, seconds] {
        try {
          mcts->ponder(s, sp, visits, playouts, seconds);
        } catch (const std::exception&) {
          // Pondering is silent: the next genmove searches afresh.
        }
      },
      [mcts] { mcts->stop(); });
}

void Engine::startChooseMove(Color color, std::function<void(Loc)> done,
                             std::function<void(const std::string&)> failed) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
  if (!mcts_) throw std::invalid_argument("a background search needs a model (-model FILE)");
  stopAndWait();
  search::MctsPlayer* mcts = mcts_.get();
  mcts->resetStop();
  async_.start(
      [this, color, done = std::move(done), failed = std::move(failed)] {
        Loc loc;
        try {
          loc = chooseMoveNow(color);
        } catch (const std::exception& e) {
          failed(e.what());
          return;
        }
        done(loc);
      },
      [mcts] { mcts->stop(); });
}

double Engine::finalScoreWhiteMinusBlack() const {
  if (mcts_) {
    async_.stopAndWait();
    const auto status = search::judgeStones(*mcts_, state_, search::searchParamsFrom(params_));
    return search::scoreWithDeadRemoved(state_, status);
  }
  return scoreNowWhiteMinusBlack(state_);
}

std::vector<Loc> Engine::stonesWithStatus(const std::string& status) const {
  std::vector<Loc> out;
  if (mcts_) {
    async_.stopAndWait();
    // The net's ownership judges life and death.
    const auto judged = search::judgeStones(*mcts_, state_, search::searchParamsFrom(params_));
    const search::StoneStatus wanted = status == "dead"   ? search::StoneStatus::kDead
                                       : status == "seki" ? search::StoneStatus::kSeki
                                                          : search::StoneStatus::kAlive;
    if (status != "alive" && status != "dead" && status != "seki") return out;
    const Board& b = state_.board();
    for (int y = 0; y < b.ySize(); ++y)
      for (int x = 0; x < b.xSize(); ++x)
        if (isStone(b.at(b.loc(x, y))) && judged[size_t(y) * b.xSize() + x] == wanted)
          out.push_back(b.loc(x, y));
    return out;
  }
  if (status != "alive") return out;  // no life-and-death judgement without a net
  const Board& b = state_.board();
  for (int y = 0; y < b.ySize(); ++y)
    for (int x = 0; x < b.xSize(); ++x)
      if (isStone(b.at(b.loc(x, y)))) out.push_back(b.loc(x, y));
  return out;
}

void Engine::setTimeControls(const TimeControls& tc) {
  stopAndWait();
  timeControls_ = tc;
  resetClocks();
}

void Engine::setTimeLeft(Color color, double seconds, int stones) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
  stopAndWait();
  clocks_[color == Color::kBlack ? 0 : 1] = ClockState{seconds, stones};
}

ClockState Engine::timeLeft(Color color) const {
  return clocks_[color == Color::kBlack ? 0 : 1];
}

void Engine::resetClocks() {
  for (ClockState& c : clocks_) c = ClockState{};
}

}  // namespace hoshi
