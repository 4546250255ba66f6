#include "search/engine.h"

#include <algorithm>
#include <functional>
#include <iostream>
#include <stdexcept>

#include "search/fallback_policy.h"

namespace hoshi {
namespace {

uint64_t seedFrom(const std::string& text) {
  if (text.empty()) return std::random_device()() ^ (uint64_t(std::random_device()()) << 32);
  // FNV-1a: stable across platforms, unlike std::hash.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// GTP v2 fixed handicap: 3rd line below 13x13, 4th line from 13x13 up; the
// side and centre points need an odd size, so 7x7 and even sizes stop at 4.
int maxFixedHandicap(int size) {
  if (size < 7) return 0;
  return (size == 7 || size % 2 == 0) ? 4 : 9;
}

std::vector<Loc> fixedHandicapPoints(const Board& board, int stones) {
  const int n = board.xSize();
  const int lo = n < 13 ? 2 : 3;
  const int hi = n - 1 - lo;
  const int mid = n / 2;
  // Coordinates are (x, y) with y = 0 the top row: first the lower-left and
  // upper-right corners, as the spec orders them.
  std::vector<std::pair<int, int>> pts = {{lo, hi}, {hi, lo}, {lo, lo}, {hi, hi}};
  if (stones >= 6) pts.insert(pts.end(), {{lo, mid}, {hi, mid}});
  if (stones >= 8) pts.insert(pts.end(), {{mid, hi}, {mid, lo}});
  if (stones % 2 == 1 && stones >= 5) pts.push_back({mid, mid});
  pts.resize(static_cast<size_t>(stones));
  std::vector<Loc> out;
  for (auto [x, y] : pts) out.push_back(board.loc(x, y));
  return out;
}

}  // namespace

Engine::Engine(const config::Params& params)
    : params_(params), rng_(seedFrom(params.searchRandSeed)) {
  const int n = static_cast<int>(params.defaultBoardSize);
  state_ = GameState(Board(n, n), Color::kBlack, rulesFromParams(params));
}

Engine::~Engine() = default;

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
  };
  for (const auto& [value, field] : refinements) {
    if (!value->empty()) rules = rules.withSetting(field, *value);
  }
  return rules;
}

void Engine::setParams(const config::Params& params) {
  if (params.searchRandSeed != params_.searchRandSeed) rng_.seed(seedFrom(params.searchRandSeed));
  params_ = params;
}

void Engine::setBoardSize(int xSize, int ySize) {
  // Board's constructor refuses sizes it cannot hold.
  state_ = GameState(Board(xSize, ySize), Color::kBlack, state_.rules());
  resetClocks();
}

void Engine::clearBoard() {
  const Board& b = state_.board();
  state_ = GameState(Board(b.xSize(), b.ySize()), Color::kBlack, state_.rules());
  resetClocks();
}

void Engine::setKomi(float komi) {
  if (!(komi >= Rules::kMinUserKomi && komi <= Rules::kMaxUserKomi))
    throw std::invalid_argument("komi out of range");
  state_.setKomi(komi);
}

void Engine::setRules(const Rules& rules) {
  Rules r = rules;
  r.komi = state_.komi();
  state_.setRules(r, true);
}

void Engine::play(Color color, Loc loc) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
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

bool Engine::undo() { return state_.undo(); }

void Engine::setState(const GameState& state) {
  state_ = state;
  resetClocks();
}

std::vector<Loc> Engine::placeFixedHandicap(int stones) {
  const Board& b = state_.board();
  if (!b.isEmpty() || !state_.moves().empty()) throw std::invalid_argument("board not empty");
  if (b.xSize() != b.ySize() || stones < 2 || stones > maxFixedHandicap(b.xSize()))
    throw std::invalid_argument("invalid number of stones");
  std::vector<Loc> pts = fixedHandicapPoints(b, stones);
  setFreeHandicap(pts);
  return pts;
}

std::vector<Loc> Engine::placeFreeHandicap(int stones) {
  const Board& b = state_.board();
  if (!b.isEmpty() || !state_.moves().empty()) throw std::invalid_argument("board not empty");
  const int area = b.xSize() * b.ySize();
  if (stones < 2 || stones >= area) throw std::invalid_argument("invalid number of stones");
  std::vector<Loc> pts;
  int fixed = b.xSize() == b.ySize() ? std::min(stones, maxFixedHandicap(b.xSize())) : 0;
  if (fixed >= 2) pts = fixedHandicapPoints(b, fixed);
  // Beyond the standard points, spread the rest at random.
  std::vector<Loc> rest;
  for (int y = 0; y < b.ySize(); ++y)
    for (int x = 0; x < b.xSize(); ++x)
      if (std::find(pts.begin(), pts.end(), b.loc(x, y)) == pts.end()) rest.push_back(b.loc(x, y));
  std::shuffle(rest.begin(), rest.end(), rng_);
  pts.insert(pts.end(), rest.begin(), rest.begin() + (stones - static_cast<int>(pts.size())));
  setFreeHandicap(pts);
  return pts;
}

void Engine::setFreeHandicap(const std::vector<Loc>& stones) {
  const Board& b = state_.board();
  if (!b.isEmpty() || !state_.moves().empty()) throw std::invalid_argument("board not empty");
  if (stones.size() < 2 || stones.size() >= static_cast<size_t>(b.xSize() * b.ySize()))
    throw std::invalid_argument("bad vertex list");
  Board setup(b.xSize(), b.ySize());
  for (Loc l : stones) {
    if (l == kPassLoc || !setup.isOnBoard(l) || setup.at(l) != Color::kEmpty)
      throw std::invalid_argument("bad vertex list");
    setup.setStone(l, Color::kBlack);
  }
  if (setup.numStones(Color::kBlack) != static_cast<int>(stones.size()))
    throw std::invalid_argument("bad vertex list");  // a stone without liberties
  state_ = GameState(setup, Color::kWhite, state_.rules());
}

Loc Engine::chooseMove(Color color) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
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
  state_.playAssumeLegal(loc, color, params_.preventCleanupPhase);
  return loc;
}

double Engine::finalScoreWhiteMinusBlack() const {
  GameState copy = state_;
  copy.endAndScoreNow();
  return copy.finalWhiteMinusBlackScore();
}

std::vector<Loc> Engine::stonesWithStatus(const std::string& status) const {
  std::vector<Loc> out;
  if (status != "alive") return out;  // no life-and-death judgement without a net
  const Board& b = state_.board();
  for (int y = 0; y < b.ySize(); ++y)
    for (int x = 0; x < b.xSize(); ++x)
      if (isStone(b.at(b.loc(x, y)))) out.push_back(b.loc(x, y));
  return out;
}

void Engine::setTimeControls(const TimeControls& tc) {
  timeControls_ = tc;
  resetClocks();
}

void Engine::setTimeLeft(Color color, double seconds, int stones) {
  if (!isStone(color)) throw std::invalid_argument("invalid color");
  clocks_[color == Color::kBlack ? 0 : 1] = ClockState{seconds, stones};
}

ClockState Engine::timeLeft(Color color) const {
  return clocks_[color == Color::kBlack ? 0 : 1];
}

void Engine::resetClocks() {
  for (ClockState& c : clocks_) c = ClockState{};
}

}  // namespace hoshi
