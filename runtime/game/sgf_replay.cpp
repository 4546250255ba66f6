// SGF games into GameStates and back.

#include "game/sgf.h"

namespace hoshi::sgf {

namespace {

bool onlyBlackStones(const Board& b) {
  return b.numStones(Color::kWhite) == 0 && b.numStones(Color::kBlack) >= 2;
}

// Who moves first when the record does not say (no PL): the first move's
// colour, else white after a handicap set-up, else black.
Color inferFirstPlayer(const Board& start, const std::vector<Step>& steps) {
  for (const Step& s : steps) {
    if (!s.setup.empty() || s.playerToMove != Color::kEmpty) break;
    if (s.hasMove) return s.move.color;
  }
  return onlyBlackStones(start) ? Color::kWhite : Color::kBlack;
}

Board applySetup(Board b, const std::vector<Move>& setup) {
  for (const Move& m : setup) b.setStone(m.loc, m.color);
  return b;
}

}  // namespace

GameState replay(const Game& g, const Rules& rules, int untilMove) {
  Board start = applySetup(Board(g.xSize, g.ySize), g.setup);
  Color first = g.playerToMove != Color::kEmpty ? g.playerToMove : inferFirstPlayer(start, g.steps);
  GameState state(start, first, rules);
  int moveNumber = 0;
  for (const Step& s : g.steps) {
    if (s.hasMove && untilMove > 0 && moveNumber + 1 >= untilMove) {
      // Stop before move N, leaving its colour to play.
      if (s.setup.empty() && s.move.color != state.toMove())
        state.setToMoveAndClearHistory(s.move.color);
      break;
    }
    if (!s.setup.empty()) {
      // Set-up stones mid-game start a new history from the edited board.
      Color toMove = s.playerToMove != Color::kEmpty ? s.playerToMove
                     : s.hasMove                     ? s.move.color
                                                     : state.toMove();
      Board edited = applySetup(state.board(), s.setup);
      edited.clearKoLoc();
      state = GameState(edited, toMove, rules);
    } else if (s.playerToMove != Color::kEmpty && s.playerToMove != state.toMove()) {
      state.setToMoveAndClearHistory(s.playerToMove);
    }
    if (!s.hasMove) continue;
    moveNumber++;
    if (!state.playAsGtp(s.move.loc, s.move.color)) {
      bool occupied = state.board().at(s.move.loc) != Color::kEmpty;
      throw SgfError("move " + std::to_string(moveNumber) + " (" + colorChar(s.move.color) + " " +
                     locToString(s.move.loc, state.board()) +
                     ") is illegal: " + (occupied ? "the point is occupied" : "suicide"));
    }
  }
  return state;
}

Game fromGameState(const GameState& state) {
  Game g;
  const Board& start = state.initialBoard();
  g.xSize = start.xSize();
  g.ySize = start.ySize();
  g.komi = state.komi();
  g.rules = state.rules().niceName();
  g.handicap = GameState::numHandicapStonesOnBoard(start);
  for (int y = 0; y < start.ySize(); y++)
    for (int x = 0; x < start.xSize(); x++) {
      Loc l = start.loc(x, y);
      if (isStone(start.at(l))) g.setup.push_back({l, start.at(l)});
    }
  for (const Move& m : state.moves()) {
    Step s;
    s.hasMove = true;
    s.move = m;
    g.steps.push_back(s);
  }
  if (inferFirstPlayer(start, g.steps) != state.initialToMove())
    g.playerToMove = state.initialToMove();
  return g;
}

}  // namespace hoshi::sgf
