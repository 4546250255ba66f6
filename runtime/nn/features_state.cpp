#include "nn/features_state.h"

#include "game/game_state.h"

namespace hoshi::nn {

FeatureSnapshot::FeatureSnapshot(const GameState& state, bool modelPrefersPassAliveUnderSuicide,
                                 const InputOptions& options)
    : state_(state) {
  const Board& b = state.board();
  const Color pla = state.toMove();
  FeatureInputs& in = inputs_;
  in.board = &b;
  in.pla = pla;
  in.prevBoard1 = &state.recentBoard(1);
  in.prevBoard2 = &state.recentBoard(2);
  in.rules = state.rules();
  in.encorePhase = state.encorePhase();
  in.superKoBanned.assign(kMaxArrSize, 0);
  in.koRecapBlocked.assign(kMaxArrSize, 0);
  in.secondEncoreStart.assign(kMaxArrSize, Color::kEmpty);
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc loc = b.loc(x, y);
      in.superKoBanned[loc] = state.superKoBanned(loc);
      in.koRecapBlocked[loc] = state.koRecapBlocked(loc);
      in.secondEncoreStart[loc] = state.secondEncoreStartColor(loc);
    }
  }
  in.moves = state.moves();
  in.approxValidTurnsThisPhase = state.numApproxValidTurnsThisPhase();
  in.maxHistory = options.maxHistory;
  in.conservativePassAndIsRoot = options.conservativePassAndIsRoot;
  in.enablePassingHacks = options.enablePassingHacks;
  // kata-raw-nn counts a draw as half a win, which adds nothing to komi.
  in.selfKomi = state.currentSelfKomi(pla, 0.5);
  in.hasButton = state.hasButton();
  in.passWouldEndPhase = state.passWouldEndPhase(pla);
  in.passWouldEndGame = state.passWouldEndGame(pla);
  in.suppressEndGameFromFriendlyPass = state.shouldSuppressEndGameFromFriendlyPass(pla);
  in.gameOver = state.isGameFinished() || state.isPastNormalPhaseEnd();
  in.suicideLegalForPassAlive =
      state.suicideLegalForPassAlive() || modelPrefersPassAliveUnderSuicide;
}

std::vector<uint8_t> FeatureSnapshot::legalMoves() const {
  const Board& b = state_.board();
  const Color pla = state_.toMove();
  std::vector<uint8_t> legal(b.xSize() * b.ySize() + 1);
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) legal[y * b.xSize() + x] = state_.isLegal(b.loc(x, y), pla);
  legal.back() = state_.isLegal(kPassLoc, pla);
  return legal;
}

}  // namespace hoshi::nn
