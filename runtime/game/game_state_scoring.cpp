// GameState: scoring, results, komi and handicap bonus.

#include "game/game_state.h"

namespace hoshi {

namespace {

int sumArea(const Board& b, const AreaMap& area) {
  int score = 0;
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Color c = area[b.loc(x, y)];
      score += c == Color::kWhite ? 1 : c == Color::kBlack ? -1 : 0;
    }
  return score;
}

int handicapFromBoard(const Board& b, int blackMovesAtStart) {
  // A set-up position with white stones is not a handicap game.
  if (b.numStones(Color::kWhite) != 0) return 0;
  int blackAdvantage = b.numStones(Color::kBlack) + blackMovesAtStart;
  return blackAdvantage <= 1 ? 0 : blackAdvantage;
}

}  // namespace

int GameState::areaScoreWhiteMinusBlack(AreaMap& area) const {
  int score = 0;
  if (rules_.tax == TaxRule::kNone) {
    area = calculateArea(board_, true, true, true, suicideLegalForPassAlive());
  } else {
    int regions = 0;
    area = calculateIndependentLifeArea(board_, regions, false, true, suicideLegalForPassAlive());
    if (rules_.tax == TaxRule::kAll) score -= 2 * regions;
  }
  return score + sumArea(board_, area);
}

// Also colours in `area` the stones that were not pass-alive but still score.
int GameState::territoryScoreWhiteMinusBlack(AreaMap& area) const {
  int regions = 0;
  const bool keepTerritories = rules_.tax == TaxRule::kNone;
  area = calculateIndependentLifeArea(board_, regions, keepTerritories, false,
                                      suicideLegalForPassAlive());
  int score = 0;
  for (int y = 0; y < board_.ySize(); y++)
    for (int x = 0; x < board_.xSize(); x++) {
      Loc l = board_.loc(x, y);
      if (area[l] == Color::kWhite) {
        score++;
      } else if (area[l] == Color::kBlack) {
        score--;
      } else {
        // Stones count when they survived from the start of the second encore (or
        // when the game was cut short before it).
        Color c = board_.at(l);
        if (isStone(c) && (encorePhase_ < 2 || secondEncoreStartColors_[l] == c)) {
          score += c == Color::kWhite ? 1 : -1;
          area[l] = c;
        }
      }
    }
  if (rules_.tax == TaxRule::kAll) score -= 2 * regions;
  return score;
}

AreaMap GameState::areaNow() const {
  AreaMap area;
  if (rules_.scoring == ScoringRule::kArea)
    areaScoreWhiteMinusBlack(area);
  else
    territoryScoreWhiteMinusBlack(area);
  return area;
}

void GameState::takeButtonAtEnd() {
  if (!hasButton_) return;
  // Nobody took the button: it goes to the side to move, as if they passed first.
  hasButton_ = false;
  whiteBonusScore_ += toMove_ == Color::kWhite ? 0.5f : -0.5f;
}

void GameState::finishScored(float boardScore) {
  float score = boardScore + whiteBonusScore_ + whiteHandicapBonusScore_ + rules_.komi;
  finalWhiteMinusBlackScore_ = score;
  winner_ = score > 0 ? Color::kWhite : score < 0 ? Color::kBlack : Color::kEmpty;
  isScored_ = true;
  isNoResult_ = false;
  isResignation_ = false;
  isGameFinished_ = true;
  isPastNormalPhaseEnd_ = false;
}

void GameState::endAndScoreNow() {
  AreaMap area;
  int boardScore = rules_.scoring == ScoringRule::kArea ? areaScoreWhiteMinusBlack(area)
                                                        : territoryScoreWhiteMinusBlack(area);
  takeButtonAtEnd();
  finishScored(static_cast<float>(boardScore));
}

void GameState::endGameIfAllPassAlive() {
  AreaMap area = calculateArea(board_, false, false, false, suicideLegalForPassAlive());
  for (int y = 0; y < board_.ySize(); y++)
    for (int x = 0; x < board_.xSize(); x++)
      if (area[board_.loc(x, y)] == Color::kEmpty) return;
  // A group tax needs the full count.
  if (rules_.tax == TaxRule::kAll) return endAndScoreNow();
  takeButtonAtEnd();
  finishScored(static_cast<float>(sumArea(board_, area)));
}

void GameState::setWinnerByResignation(Color winner) {
  isGameFinished_ = true;
  isPastNormalPhaseEnd_ = false;
  isScored_ = false;
  isNoResult_ = false;
  isResignation_ = true;
  winner_ = winner;
  finalWhiteMinusBlackScore_ = 0.0f;
}

void GameState::setKomi(float komi) {
  float old = rules_.komi;
  rules_.komi = komi;
  if (isGameFinished_ && isScored_) {
    finalWhiteMinusBlackScore_ += komi - old;
    float s = finalWhiteMinusBlackScore_;
    winner_ = s > 0 ? Color::kWhite : s < 0 ? Color::kBlack : Color::kEmpty;
  }
}

float GameState::whiteKomiAdjustmentForDraws(double drawEquivalentWinsForWhite) const {
  // A draw worth d wins is like komi shifted by d - 0.5 when scores are integers.
  return rules_.gameResultWillBeInteger() ? static_cast<float>(drawEquivalentWinsForWhite - 0.5)
                                          : 0.0f;
}

float GameState::currentSelfKomi(Color color, double drawEquivalentWinsForWhite) const {
  float white = whiteBonusScore_ + whiteHandicapBonusScore_ + rules_.komi +
                whiteKomiAdjustmentForDraws(drawEquivalentWinsForWhite);
  return color == Color::kWhite ? white : -white;
}

int GameState::numHandicapStonesOnBoard(const Board& board) {
  return handicapFromBoard(board, 0);
}

int GameState::numHandicapStones() const {
  if (overrideNumHandicapStones_ >= 0) return overrideNumHandicapStones_;
  int blackRun = 0;
  if (assumeBlackRunIsHandicap_) {
    // Servers and SGFs often give free handicap as a run of black moves, maybe
    // with lone white passes between; two white moves in a row mean a set-up.
    for (size_t i = 0; i < moves_.size(); i++) {
      const Move& m = moves_[i];
      if (m.color != Color::kBlack) {
        if (i + 1 < moves_.size() && moves_[i + 1].color != Color::kBlack) {
          blackRun = 0;
          break;
        }
        if (m.loc == kPassLoc) continue;
        break;
      }
      if (m.loc != kPassLoc && m.loc != kNullLoc) blackRun++;
    }
  }
  return handicapFromBoard(initialBoard_, blackRun);
}

int GameState::computeWhiteHandicapBonus() const {
  switch (rules_.whiteHandicapBonus) {
    case WhiteHandicapBonus::kZero:
      return 0;
    case WhiteHandicapBonus::kN:
      return numHandicapStones();
    case WhiteHandicapBonus::kNMinusOne: {
      int n = numHandicapStones();
      return n > 1 ? n - 1 : 0;
    }
  }
  return 0;
}

void GameState::setAssumeMultipleStartingBlackMovesAreHandicap(bool b) {
  assumeBlackRunIsHandicap_ = b;
  whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());
}

void GameState::setOverrideNumHandicapStones(int n) {
  overrideNumHandicapStones_ = n;
  whiteHandicapBonusScore_ = static_cast<float>(computeWhiteHandicapBonus());
}

}  // namespace hoshi
