#pragma once

// The whole state of a game: the board, the rules (komi included), the move
// history from an initial position, superko bookkeeping, passes and phases
// (KataGo's territory-scoring encore), bonus points and the result. It follows
// KataGo's BoardHistory move for move, because the network's input features
// (superko bans, encore planes, pass-ends-game, self komi) are computed from it.
//
// Terms: a "ko hash" is the position key used for repetition under the rules
// (with the side to move for situational/simple ko and in the encore). A
// phase is the main game (0) or encore phase 1/2 (territory scoring only).

#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

#include "game/area.h"
#include "game/board.h"
#include "game/rules.h"

namespace hoshi {

class GameState {
 public:
  static constexpr int kNumRecentBoards = 6;

  // Empty 19x19, black to move, Tromp-Taylor rules.
  GameState();
  // encorePhase > 0 requires territory scoring; throws std::invalid_argument otherwise.
  GameState(const Board& initial, Color toMove, const Rules& rules, int encorePhase = 0);
  // Start over from a new initial position (keeps alwaysComputePassAliveUnderSuicideRules).
  void reset(const Board& initial, Color toMove, const Rules& rules, int encorePhase = 0);

  // --- Position ---------------------------------------------------------------------------
  const Board& board() const { return board_; }
  const Rules& rules() const { return rules_; }
  float komi() const { return rules_.komi; }
  // The side expected to move next (after the last move, the opponent of its player).
  Color toMove() const { return toMove_; }
  const std::vector<Move>& moves() const { return moves_; }
  const Board& initialBoard() const { return initialBoard_; }
  Color initialToMove() const { return initialToMove_; }
  int initialEncorePhase() const { return initialEncorePhase_; }
  // 0 = current board, 1 = before the last move, ... (< kNumRecentBoards). Before
  // the start of the history this is the initial board.
  const Board& recentBoard(int movesAgo) const;
  // Does `next` continue this game (same start, same rules, these moves as a
  // prefix of its moves)?
  bool isContinuedBy(const GameState& next) const;

  // --- Moves ------------------------------------------------------------------------------
  // KataGo's BoardHistory::isLegal: the right side to move, simple ko (main phase only),
  // suicide per rules, superko bans; in the encore a ko recapture that is blocked counts
  // as a legal "pass for ko".
  bool isLegal(Loc loc, Color color) const;
  // For SGF and GTP replay: either side; ko, superko and multi-stone suicide tolerated.
  bool isLegalTolerant(Loc loc, Color color) const;
  // Plays if isLegal; false and no change otherwise.
  bool play(Loc loc, Color color);
  // Plays if isLegalTolerant; false and no change otherwise.
  bool playTolerant(Loc loc, Color color, bool preventEncore = false);
  // KataGo's makeBoardMoveAssumeLegal. Requires at least board-legality ignoring ko.
  // preventEncore: two passes do not start the encore (the game stays "past its end").
  void playAssumeLegal(Loc loc, Color color, bool preventEncore = false);
  // KataGo's GTP `play` (Search::makeMove): simple ko, superko and the
  // multi-stone suicide rule are not enforced (occupied points and single-stone
  // suicide are refused); a move by the side not to move first restarts the
  // history from the current board with that side to move.
  bool playAsGtp(Loc loc, Color color, bool preventEncore = false);
  // Restart the history from the current board (simple ko point cleared), with
  // `color` to move, keeping rules and encore phase (KataGo's setPlayerAndClearHistory).
  // undo() can still step back across it.
  void setToMoveAndClearHistory(Color color);
  // Take back the last move (replays the rest from the initial position, so
  // everything, including results and encore state, is restored). False if no moves.
  bool undo();
  bool isPassForKo(Loc loc, Color color) const;

  // --- Ko and superko ---------------------------------------------------------------------
  // Points where the side to move may not play because of superko (KataGo's superKoBanned).
  bool superKoBanned(Loc loc) const { return superKoBanned_[loc]; }
  // Encore only: points whose ko recapture is blocked until a pass-for-ko.
  bool koRecapBlocked(Loc loc) const { return koRecapBlocked_[loc]; }
  int encorePhase() const { return encorePhase_; }
  // Encore phase 2: colour of each point when that phase began (kEmpty otherwise).
  Color secondEncoreStartColor(Loc loc) const { return secondEncoreStartColors_[loc]; }

  // --- Passes and the end -----------------------------------------------------------------
  int consecutiveEndingPasses() const { return consecutiveEndingPasses_; }
  bool passWouldEndPhase(Color color) const;
  bool passWouldEndGame(Color color) const;
  // Area scoring with friendlyPassOk: a second pass that would end the game should
  // not be taken as ending it during search (a third pass is wanted).
  bool shouldSuppressEndGameFromFriendlyPass(Color color) const;
  bool isFinalPhase() const;
  bool isGameFinished() const { return isGameFinished_; }
  bool isPastNormalPhaseEnd() const { return isPastNormalPhaseEnd_; }
  bool isScored() const { return isScored_; }
  bool isNoResult() const { return isNoResult_; }
  bool isResignation() const { return isResignation_; }
  Color winner() const { return winner_; }  // kEmpty for a draw or no result.
  float finalWhiteMinusBlackScore() const { return finalWhiteMinusBlackScore_; }
  int numTurnsThisPhase() const { return numTurnsThisPhase_; }
  // Longest recent stretch that plausibly obeys this phase's rules (KataGo's
  // numApproxValidTurnsThisPhase; the features limit move history to it).
  int numApproxValidTurnsThisPhase() const { return numApproxValidTurnsThisPhase_; }
  int numConsecValidTurnsThisGame() const { return numConsecValidTurnsThisGame_; }

  // Score the board as it stands and finish the game.
  void endAndScoreNow();
  // Finish the game if every point is pass-alive area for someone.
  void endGameIfAllPassAlive();
  void setWinnerByResignation(Color winner);
  // The area map that scoring would use now (area or territory, per rules).
  AreaMap areaNow() const;

  // --- Komi and bonuses -------------------------------------------------------------------
  void setKomi(float komi);
  // Replace the rules, keeping komi if keepKomi, and replay the moves under them (tolerantly).
  void setRules(const Rules& rules, bool keepKomi = true);
  // Points for white from territory chilling and the button (not komi, not handicap).
  float whiteBonusScore() const { return whiteBonusScore_; }
  float whiteHandicapBonusScore() const { return whiteHandicapBonusScore_; }
  bool hasButton() const { return hasButton_; }
  float whiteKomiAdjustmentForDraws(double drawEquivalentWinsForWhite) const;
  // Komi from color's point of view, bonuses and handicap bonus included (the net's komi input).
  float currentSelfKomi(Color color, double drawEquivalentWinsForWhite = 0.5) const;

  // --- Handicap ---------------------------------------------------------------------------
  // KataGo's computeNumHandicapStones.
  int numHandicapStones() const;
  // Black stones on a board with no white stones, if more than one; else 0.
  static int numHandicapStonesOnBoard(const Board& board);
  // Count an opening run of black moves as handicap (free placement played as moves).
  void setAssumeMultipleStartingBlackMovesAreHandicap(bool b);
  void setOverrideNumHandicapStones(int n);  // -1: no override.

  // Pass-alive areas computed as if multi-stone suicide were legal, whatever the rules.
  void setAlwaysComputePassAliveUnderSuicideRules(bool b) { alwaysPassAliveUnderSuicide_ = b; }
  bool alwaysComputePassAliveUnderSuicideRules() const { return alwaysPassAliveUnderSuicide_; }
  bool suicideLegalForPassAlive() const {
    return rules_.multiStoneSuicideLegal || alwaysPassAliveUnderSuicide_;
  }

  // Position, side to move and simple ko point.
  Hash128 situationHash() const { return board_.situationHashWithKo(toMove_); }

 private:
  struct EncoreKoCapture {
    Hash128 positionBefore;
    Loc loc;
    Color color;
  };

  Hash128 koHash(Color toMove) const;
  void addKoHash(Hash128 h);
  void clearKoHashes();
  bool koHashSeen(Hash128 h) const;
  int koHashCount(Hash128 h) const;
  int endingPassesAfterPass() const;
  bool passesClearHistory() const;
  bool wouldBeSpightlikeEndingPass(Color color, Hash128 koHashBefore) const;
  void setKoRecapBlocked(Loc loc, bool blocked);
  void updatePassState(Loc loc, Color color, bool& spightlikeEnd);
  bool applyPassForKo(Loc loc, Color color);
  void updateEncoreKoBlocks(Loc loc, Color color, Hash128 positionBefore);
  void updateSuperKoBans(Color next);
  void advancePhaseOrEnd(Color mover, bool preventEncore);
  int areaScoreWhiteMinusBlack(AreaMap& area) const;
  int territoryScoreWhiteMinusBlack(AreaMap& area) const;
  void finishScored(float whiteMinusBlack);
  int computeWhiteHandicapBonus() const;
  void takeButtonAtEnd();
  void replay(const std::vector<Move>& moves, const std::vector<bool>& preventEncore,
              const Rules& rules);

  Rules rules_;
  Board board_;
  Color toMove_ = Color::kBlack;
  std::vector<Move> moves_;
  std::vector<bool> preventEncoreHistory_;
  // Ko hashes of the states since the history was last cleared, the latest included.
  std::vector<Hash128> koHashes_;
  std::bitset<2048> koHashFilter_;  // Bit (lo % 2048) set for each hash in koHashes_.

  Board initialBoard_;
  Color initialToMove_ = Color::kBlack;
  int initialEncorePhase_ = 0;
  bool assumeBlackRunIsHandicap_ = false;
  bool whiteHasMoved_ = false;
  int overrideNumHandicapStones_ = -1;
  bool alwaysPassAliveUnderSuicide_ = false;

  std::array<Board, kNumRecentBoards> recent_;
  int recentIdx_ = 0;

  std::array<bool, kMaxArrSize> everOccupiedOrPlayed_{};
  std::array<bool, kMaxArrSize> superKoBanned_{};
  int consecutiveEndingPasses_ = 0;
  std::vector<Hash128> hashesBeforeBlackPass_;
  std::vector<Hash128> hashesBeforeWhitePass_;

  int encorePhase_ = 0;
  int numTurnsThisPhase_ = 0;
  int numApproxValidTurnsThisPhase_ = 0;
  int numConsecValidTurnsThisGame_ = 0;
  std::array<bool, kMaxArrSize> koRecapBlocked_{};
  Hash128 koRecapBlockHash_;
  std::vector<EncoreKoCapture> encoreKoCaptures_;
  AreaMap secondEncoreStartColors_{};

  float whiteBonusScore_ = 0.0f;
  float whiteHandicapBonusScore_ = 0.0f;
  bool hasButton_ = false;

  bool isPastNormalPhaseEnd_ = false;
  bool isGameFinished_ = false;
  Color winner_ = Color::kEmpty;
  float finalWhiteMinusBlackScore_ = 0.0f;
  bool isScored_ = false;
  bool isNoResult_ = false;
  bool isResignation_ = false;

  // The state before setToMoveAndClearHistory, so that undo can cross it.
  std::shared_ptr<const GameState> beforeRestart_;
};

}  // namespace hoshi
