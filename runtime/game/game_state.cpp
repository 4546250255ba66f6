#include "game/game_state.h"

#include <algorithm>
#include <stdexcept>

namespace hoshi {

namespace {

const Hash128& playerKey(Color c) {
  return zobrist::kTables.player[static_cast<int>(c) - 1];
}

// Situational and simple ko (and the encore) tell positions apart by the side to move.
bool koHashHasPlayer(const Rules& r, int encorePhase) {
  return r.ko == KoRule::kSituational || r.ko == KoRule::kSimple || encorePhase > 0;
}

}  // namespace

GameState::GameState() : GameState(Board(19, 19), Color::kBlack, Rules::trompTaylor()) {}

GameState::GameState(const Board& initial, Color toMove, const Rules& rules, int encorePhase) {
  reset(initial, toMove, rules, encorePhase);
}

void GameState::reset(const Board& initial, Color toMove, const Rules& rules, int encorePhase) {
  if (encorePhase < 0 || encorePhase > 2)
    throw std::invalid_argument("encore phase must be 0, 1 or 2");
  if (encorePhase > 0 && rules.scoring != ScoringRule::kTerritory)
    throw std::invalid_argument("an encore phase needs territory scoring");
  if (!isStone(toMove)) throw std::invalid_argument("side to move must be black or white");
  beforeRestart_.reset();
  rules_ = rules;
  board_ = initial;
  toMove_ = toMove;
  moves_.clear();
  preventEncoreHistory_.clear();
  clearKoHashes();
  initialBoard_ = initial;
  initialToMove_ = toMove;
  initialEncorePhase_ = encorePhase;
  assumeBlackRunIsHandicap_ = false;
  whiteHasMoved_ = false;
  overrideNumHandicapStones_ = -1;
  recent_.fill(initial);
  recentIdx_ = 0;
  everOccupiedOrPlayed_.fill(false);
  for (int y = 0; y < initial.ySize(); y++)
    for (int x = 0; x < initial.xSize(); x++) {
      Loc l = initial.loc(x, y);
      everOccupiedOrPlayed_[l] = initial.at(l) != Color::kEmpty;
    }
  superKoBanned_.fill(false);
  consecutiveEndingPasses_ = 0;
  hashesBeforeBlackPass_.clear();
  hashesBeforeWhitePass_.clear();
  numTurnsThisPhase_ = numApproxValidTurnsThisPhase_ = numConsecValidTurnsThisGame_ = 0;
  koRecapBlocked_.fill(false);
  koRecapBlockHash_ = Hash128();
  encoreKoCaptures_.clear();
  whiteBonusScore_ = whiteHandicapBonusScore_ = 0.0f;
  encorePhase_ = encorePhase;
  hasButton_ = rules.hasButton && encorePhase == 0;
  isPastNormalPhaseEnd_ = isGameFinished_ = isScored_ = isNoResult_ = isResignation_ = false;
  winner_ = Color::kEmpty;
  finalWhiteMinusBlackScore_ = 0.0f;
  if (encorePhase == 2)
    std::copy(initial.colors(), initial.colors() + kMaxArrSize, secondEncoreStartColors_.begin());
  else
    secondEncoreStartColors_.fill(Color::kEmpty);
  addKoHash(koHash(toMove));

  if (rules.scoring == ScoringRule::kTerritory) {
    // Territory scoring "chills" one point per stone played; stones already on the
    // board, and stones captured before the start, are counted as played moves.
    whiteBonusScore_ +=
        static_cast<float>(initial.numStones(Color::kBlack) - initial.numStones(Color::kWhite));
    whiteBonusScore_ -=
        static_cast<float>(initial.numCaptured(Color::kWhite) - initial.numCaptured(Color::kBlack));
  }
  whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());
}

const Board& GameState::recentBoard(int movesAgo) const {
  if (movesAgo < 0 || movesAgo >= kNumRecentBoards)
    throw std::out_of_range("recentBoard: movesAgo out of range");
  return recent_[(recentIdx_ - movesAgo + kNumRecentBoards) % kNumRecentBoards];
}

Hash128 GameState::koHash(Color toMove) const {
  Hash128 h = board_.positionHash() ^ koRecapBlockHash_;
  if (koHashHasPlayer(rules_, encorePhase_)) h ^= playerKey(toMove);
  return h;
}

void GameState::addKoHash(Hash128 h) {
  koHashes_.push_back(h);
  koHashFilter_.set(h.lo % koHashFilter_.size());
}

void GameState::clearKoHashes() {
  koHashes_.clear();
  koHashFilter_.reset();
}

bool GameState::koHashSeen(Hash128 h) const {
  // The filter answers most superko probes without scanning the history.
  if (!koHashFilter_.test(h.lo % koHashFilter_.size())) return false;
  return std::find(koHashes_.begin(), koHashes_.end(), h) != koHashes_.end();
}

int GameState::koHashCount(Hash128 h) const {
  return static_cast<int>(std::count(koHashes_.begin(), koHashes_.end(), h));
}

void GameState::setKoRecapBlocked(Loc loc, bool blocked) {
  if (koRecapBlocked_[loc] == blocked) return;
  koRecapBlocked_[loc] = blocked;
  koRecapBlockHash_ ^=
      zobrist::kTables.koRecapBlocked[loc][0] ^ zobrist::kTables.koRecapBlocked[loc][1];
}

bool GameState::isPassForKo(Loc loc, Color color) const {
  if (encorePhase_ <= 0 || loc < 0 || loc >= kMaxArrSize || loc == kPassLoc) return false;
  const Color opp = opponent(color);
  if (board_.at(loc) == opp && koRecapBlocked_[loc] && board_.chainSize(loc) == 1 &&
      board_.numLiberties(loc) == 1)
    return true;
  Loc victim = board_.koCaptureLoc(loc, color);
  return victim != kNullLoc && koRecapBlocked_[victim] && board_.at(victim) == opp;
}

bool GameState::isLegal(Loc loc, Color color) const {
  if (color != toMove_) return false;
  if (encorePhase_ > 0) {
    // In the encore a blocked ko recapture is how a player "passes for ko".
    if (isPassForKo(loc, color)) return true;
  } else if (loc != kPassLoc && board_.isKoBanned(loc)) {
    return false;
  }
  if (!board_.isLegalIgnoringKo(loc, color, rules_.multiStoneSuicideLegal)) return false;
  return !superKoBanned_[loc];
}

bool GameState::isLegalTolerant(Loc loc, Color color) const {
  if (!isStone(color)) return false;
  return isPassForKo(loc, color) || board_.isLegalIgnoringKo(loc, color, true);
}

bool GameState::play(Loc loc, Color color) {
  if (!isLegal(loc, color)) return false;
  playAssumeLegal(loc, color, false);
  return true;
}

bool GameState::playTolerant(Loc loc, Color color, bool preventEncore) {
  if (!isLegalTolerant(loc, color)) return false;
  playAssumeLegal(loc, color, preventEncore);
  return true;
}

int GameState::endingPassesAfterPass() const {
  if (encorePhase_ == 0 && rules_.ko == KoRule::kSpight) return 0;
  return consecutiveEndingPasses_ + 1;
}

// Where passes lift ko bans (simple and Spight ko, the encore), a phase instead
// ends when a player passes again in a situation where they passed before.
bool GameState::passesClearHistory() const {
  return encorePhase_ > 0 || rules_.ko == KoRule::kSimple || rules_.ko == KoRule::kSpight;
}

bool GameState::wouldBeSpightlikeEndingPass(Color color, Hash128 koHashBefore) const {
  if (!passesClearHistory()) return false;
  const auto& seen = color == Color::kBlack ? hashesBeforeBlackPass_ : hashesBeforeWhitePass_;
  return std::find(seen.begin(), seen.end(), koHashBefore) != seen.end();
}

bool GameState::passWouldEndPhase(Color color) const {
  return endingPassesAfterPass() >= 2 || wouldBeSpightlikeEndingPass(color, koHash(color));
}

bool GameState::isFinalPhase() const {
  return rules_.scoring == ScoringRule::kArea || encorePhase_ >= 2;
}

bool GameState::passWouldEndGame(Color color) const {
  return passWouldEndPhase(color) && isFinalPhase();
}

bool GameState::shouldSuppressEndGameFromFriendlyPass(Color color) const {
  return rules_.friendlyPassOk && rules_.scoring == ScoringRule::kArea &&
         endingPassesAfterPass() == 2 && !wouldBeSpightlikeEndingPass(color, koHash(color));
}

void GameState::updatePassState(Loc loc, Color color, bool& spightlikeEnd) {
  spightlikeEnd = false;
  if (loc != kPassLoc) {
    consecutiveEndingPasses_ = 0;
    return;
  }
  if (hasButton_) {
    // Taking the button is the first pass; the button-less state is a new situation.
    hasButton_ = false;
    whiteBonusScore_ += color == Color::kWhite ? 0.5f : -0.5f;
    consecutiveEndingPasses_ = 0;
    hashesBeforeBlackPass_.clear();
    hashesBeforeWhitePass_.clear();
    clearKoHashes();
    return;
  }
  if (passesClearHistory()) clearKoHashes();
  Hash128 before = koHash(color);
  consecutiveEndingPasses_ = endingPassesAfterPass();
  spightlikeEnd = wouldBeSpightlikeEndingPass(color, before);
  (color == Color::kBlack ? hashesBeforeBlackPass_ : hashesBeforeWhitePass_).push_back(before);
}

bool GameState::applyPassForKo(Loc loc, Color color) {
  const Color opp = opponent(color);
  Loc unblock = kNullLoc;
  if (board_.at(loc) == opp && koRecapBlocked_[loc]) {
    unblock = loc;
  } else {
    Loc victim = board_.koCaptureLoc(loc, color);
    if (victim != kNullLoc && koRecapBlocked_[victim] && board_.at(victim) == opp) unblock = victim;
  }
  if (unblock == kNullLoc) return false;
  setKoRecapBlocked(unblock, false);
  // The board is untouched, so from its view one side moves twice: drop any ko point.
  board_.clearKoLoc();
  return true;
}

void GameState::updateEncoreKoBlocks(Loc loc, Color color, Hash128 positionBefore) {
  if (board_.koLoc() != kNullLoc) {
    // In the encore a ko capture blocks the recapture until the opponent passes for ko.
    setKoRecapBlocked(loc, true);
    encoreKoCaptures_.push_back({positionBefore, loc, color});
    board_.clearKoLoc();
  }
  for (int y = 0; y < board_.ySize(); y++)
    for (int x = 0; x < board_.xSize(); x++) {
      Loc l = board_.loc(x, y);
      if (board_.at(l) == Color::kEmpty && koRecapBlocked_[l]) setKoRecapBlocked(l, false);
    }
}

void GameState::updateSuperKoBans(Color next) {
  if (encorePhase_ > 0) {
    // Encore: each ko may be captured once per position by each player.
    superKoBanned_.fill(false);
    for (const EncoreKoCapture& c : encoreKoCaptures_)
      if (c.positionBefore == board_.positionHash() && c.color == next)
        superKoBanned_[c.loc] = true;
    return;
  }
  if (rules_.ko == KoRule::kSimple) return;
  const bool withPlayer = koHashHasPlayer(rules_, encorePhase_);
  for (int y = 0; y < board_.ySize(); y++)
    for (int x = 0; x < board_.xSize(); x++) {
      Loc l = board_.loc(x, y);
      bool banned = false;
      if (board_.at(l) != Color::kEmpty) {
        banned = false;
      } else if (!everOccupiedOrPlayed_[l] && !board_.isSuicide(l, next)) {
        banned = false;  // A stone on a never-used point makes a new position.
      } else if (board_.isIllegalSuicide(l, next, rules_.multiStoneSuicideLegal) ||
                 l == board_.koLoc()) {
        banned = false;  // Already illegal for other reasons.
      } else {
        Hash128 after = board_.positionHashAfterMove(l, next);
        if (withPlayer) after ^= playerKey(opponent(next));
        banned = koHashSeen(after);
      }
      superKoBanned_[l] = banned;
    }
}

void GameState::advancePhaseOrEnd(Color mover, bool preventEncore) {
  if (isFinalPhase()) {
    endAndScoreNow();
    return;
  }
  if (preventEncore) {
    isPastNormalPhaseEnd_ = true;
    numApproxValidTurnsThisPhase_ = std::min(numApproxValidTurnsThisPhase_, 1);
    numConsecValidTurnsThisGame_ = std::min(numConsecValidTurnsThisGame_, 1);
    return;
  }
  encorePhase_++;
  numTurnsThisPhase_ = 0;
  numApproxValidTurnsThisPhase_ = 0;
  if (encorePhase_ == 2)
    std::copy(board_.colors(), board_.colors() + kMaxArrSize, secondEncoreStartColors_.begin());
  superKoBanned_.fill(false);
  consecutiveEndingPasses_ = 0;
  hashesBeforeBlackPass_.clear();
  hashesBeforeWhitePass_.clear();
  koRecapBlocked_.fill(false);
  koRecapBlockHash_ = Hash128();
  encoreKoCaptures_.clear();
  clearKoHashes();
  addKoHash(koHash(opponent(mover)));
}

void GameState::playAssumeLegal(Loc loc, Color color, bool preventEncore) {
  const Hash128 positionBefore = board_.positionHash();
  if (isGameFinished_ || isPastNormalPhaseEnd_) {
    // Playing on after the end: only the move itself can still count as valid.
    numApproxValidTurnsThisPhase_ = std::min(numApproxValidTurnsThisPhase_, 1);
    numConsecValidTurnsThisGame_ = std::min(numConsecValidTurnsThisGame_, 1);
  }
  const bool illegal = !isLegal(loc, color);
  isGameFinished_ = isPastNormalPhaseEnd_ = isScored_ = isNoResult_ = isResignation_ = false;
  winner_ = Color::kEmpty;
  finalWhiteMinusBlackScore_ = 0.0f;

  bool spightlikeEnd = false;
  updatePassState(loc, color, spightlikeEnd);
  const bool passForKo = encorePhase_ > 0 && loc != kPassLoc && applyPassForKo(loc, color);
  if (!passForKo) {
    board_.play(loc, color);
    if (encorePhase_ > 0) updateEncoreKoBlocks(loc, color, positionBefore);
  }

  recentIdx_ = (recentIdx_ + 1) % kNumRecentBoards;
  recent_[recentIdx_] = board_;
  const Color next = opponent(color);
  addKoHash(koHash(next));
  moves_.push_back({loc, color});
  preventEncoreHistory_.push_back(preventEncore);
  numTurnsThisPhase_++;
  numApproxValidTurnsThisPhase_++;
  numConsecValidTurnsThisGame_++;
  toMove_ = next;
  if (illegal) numConsecValidTurnsThisGame_ = 0;
  if (loc != kPassLoc) everOccupiedOrPlayed_[loc] = true;
  updateSuperKoBans(next);

  if (rules_.scoring == ScoringRule::kTerritory && encorePhase_ <= 1 && loc != kPassLoc &&
      !passForKo)
    whiteBonusScore_ += color == Color::kBlack ? 1.0f : -1.0f;
  if (color == Color::kWhite && loc != kPassLoc) whiteHasMoved_ = true;
  if (assumeBlackRunIsHandicap_ && !whiteHasMoved_ && color == Color::kBlack &&
      rules_.whiteHandicapBonus != WhiteHandicapBonus::kZero)
    whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());

  if (consecutiveEndingPasses_ >= 2 || spightlikeEnd) advancePhaseOrEnd(color, preventEncore);

  // Where passes clear the history, a position seen three times is an endless cycle.
  if (loc != kPassLoc && (encorePhase_ > 0 || rules_.ko == KoRule::kSimple) &&
      koHashCount(koHashes_.back()) >= 3) {
    isNoResult_ = true;
    isGameFinished_ = true;
  }
}

void GameState::replay(const std::vector<Move>& moves, const std::vector<bool>& preventEncore,
                       const Rules& rules) {
  const bool assume = assumeBlackRunIsHandicap_;
  const int override = overrideNumHandicapStones_;
  auto before = beforeRestart_;
  reset(initialBoard_, initialToMove_, rules, initialEncorePhase_);
  beforeRestart_ = before;
  assumeBlackRunIsHandicap_ = assume;
  overrideNumHandicapStones_ = override;
  whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());
  for (size_t i = 0; i < moves.size(); i++)
    playAssumeLegal(moves[i].loc, moves[i].color, preventEncore[i]);
}

bool GameState::isContinuedBy(const GameState& next) const {
  if (rules_ != next.rules_ || initialToMove_ != next.initialToMove_) return false;
  if (!initialBoard_.samePosition(next.initialBoard_)) return false;
  if (next.moves_.size() < moves_.size()) return false;
  for (size_t i = 0; i < moves_.size(); ++i) {
    if (moves_[i].loc != next.moves_[i].loc || moves_[i].color != next.moves_[i].color)
      return false;
  }
  return true;
}

bool GameState::undo() {
  if (moves_.empty()) return false;
  if (moves_.size() == 1 && beforeRestart_) {
    // The only move here was the one that restarted the history.
    GameState previous = *beforeRestart_;
    *this = previous;
    return true;
  }
  std::vector<Move> moves(moves_.begin(), moves_.end() - 1);
  std::vector<bool> prevent(preventEncoreHistory_.begin(), preventEncoreHistory_.end() - 1);
  replay(moves, prevent, rules_);
  return true;
}

void GameState::setRules(const Rules& rules, bool keepKomi) {
  Rules r = rules;
  if (keepKomi) r.komi = rules_.komi;
  if (initialEncorePhase_ > 0 && r.scoring != ScoringRule::kTerritory)
    throw std::invalid_argument("an encore phase needs territory scoring");
  std::vector<Move> moves = moves_;
  std::vector<bool> prevent = preventEncoreHistory_;
  replay(moves, prevent, r);
}

void GameState::setToMoveAndClearHistory(Color color) {
  auto before = std::make_shared<const GameState>(*this);
  const bool assume = assumeBlackRunIsHandicap_;
  const bool passAlive = alwaysPassAliveUnderSuicide_;
  Board b = board_;
  b.clearKoLoc();
  reset(b, color, rules_, encorePhase_);
  assumeBlackRunIsHandicap_ = assume;
  alwaysPassAliveUnderSuicide_ = passAlive;
  whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());
  beforeRestart_ = before;
}

bool GameState::playAsGtp(Loc loc, Color color, bool preventEncore) {
  if (!isLegalTolerant(loc, color)) return false;
  if (color != toMove_) setToMoveAndClearHistory(color);
  playAssumeLegal(loc, color, preventEncore);
  return true;
}

}  // namespace hoshi
