#pragma once

// KataGo input features, version 7 (model versions 8..16): 22 spatial planes
// and 19 global values, from the side to move's point of view.
//
// FeatureInputs is a plain snapshot of everything the encoding needs, so the
// encoder does not depend on how game history is stored; features_state.h
// builds one from a GameState.

#include <cstdint>
#include <vector>

#include "game/board.h"
#include "game/rules.h"

namespace hoshi::nn {

inline constexpr int kNumSpatialFeaturesV7 = 22;
inline constexpr int kNumGlobalFeaturesV7 = 19;
// FeatureInputs::maxHistory when nothing is hidden.
inline constexpr int kAllHistory = 1 << 30;

// What a search tells the net besides the position (KataGo's
// MiscNNInputParams, the part Hoshi uses).
struct InputOptions {
  // Moves of history shown at most (the analysis engine hides the moves
  // before the analysed position).
  int maxHistory = kAllHistory;
  // conservativePass at the root: a pass that would end the game is shown
  // as not ending it.
  bool conservativePassAndIsRoot = false;
  // KataGo's enablePassingHacks: where a pass would end the game without a
  // win for the side to move, the net is shown a game that goes on; and the
  // pass prior is capped at 19 times the other moves' (95%).
  bool enablePassingHacks = false;
};

struct FeatureInputs {
  const Board* board = nullptr;
  Color pla = Color::kBlack;  // side to move
  // The board before the last move and before the one prior (only read when
  // that many moves of history are shown; null falls back to the newer one).
  const Board* prevBoard1 = nullptr;
  const Board* prevBoard2 = nullptr;
  Rules rules;  // komi is not read: selfKomi carries it
  int encorePhase = 0;
  // Indexed by Loc; empty vectors mean "none".
  std::vector<uint8_t> superKoBanned;
  std::vector<uint8_t> koRecapBlocked;
  std::vector<Color> secondEncoreStart;
  // Moves of this game in order (at least the last five), and how many of
  // the last ones count as history of the current phase.
  std::vector<Move> moves;
  int approxValidTurnsThisPhase = 0;
  // Moves of history the net may see at most (KataGo's maxHistory): the
  // analysis engine hides the moves played before the analysed position.
  int maxHistory = kAllHistory;
  // Komi from pla's side: komi plus bonuses (handicap, territory chilling,
  // button), plus KataGo's draw adjustment for integer komi.
  float selfKomi = 0;
  bool hasButton = false;
  bool passWouldEndPhase = false;
  bool passWouldEndGame = false;
  // A friendly-pass ruleset where the next pass would end the game.
  bool suppressEndGameFromFriendlyPass = false;
  bool gameOver = false;  // finished, or past the end of the normal phase
  bool suicideLegalForPassAlive = false;
  // Search knobs (defaults are what kata-raw-nn uses).
  bool conservativePassAndIsRoot = false;
  bool enablePassingHacks = false;
  double playoutDoublingAdvantage = 0.0;
};

// Writes spatial [22][ySize][xSize] (board frame, rows from the top) and
// global [19].
void encodeFeaturesV7(const FeatureInputs& in, float* spatial, float* global);

}  // namespace hoshi::nn
