#include <fstream>
#include <stdexcept>

#include "game/sgf.h"
#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

// Old records hold the odd impossible move (a stone on an occupied point).
// Like GNU Go, skip such moves with a note on the log rather than refuse the
// whole game; returns how many were dropped.
int dropUnplayableMoves(sgf::Game& game, std::ostream& log) {
  Board b(game.xSize, game.ySize);
  for (const Move& m : game.setup) b.setStone(m.loc, m.color);
  int dropped = 0;
  for (size_t i = 0; i < game.steps.size(); ++i) {
    sgf::Step& step = game.steps[i];
    for (const Move& m : step.setup) b.setStone(m.loc, m.color);
    if (!step.hasMove || step.move.loc == kPassLoc) continue;
    if (b.isOnBoard(step.move.loc) && b.isLegalIgnoringKo(step.move.loc, step.move.color, true)) {
      b.play(step.move.loc, step.move.color);
      continue;
    }
    log << "loadsgf: skipping impossible move " << colorChar(step.move.color) << " "
        << locToString(step.move.loc, b) << " in node " << i + 1 << "\n";
    step.hasMove = false;
    ++dropped;
  }
  return dropped;
}

// loadsgf FILE [N]: the position before move N (all moves without N). The
// game's RU and KM replace the current rules and komi when present.
Reply loadsgf(CommandContext& ctx, const Args& args) {
  if (args.empty() || args.size() > 2) return failure("syntax error");
  int untilMove = 0;
  if (args.size() == 2 && (!parseInt(args[1], untilMove) || untilMove < 1))
    return failure("syntax error");
  try {
    sgf::Game game = sgf::loadGameFile(args[0]);
    Rules rules = sgf::rulesFor(game, ctx.engine.rules());
    GameState state;
    try {
      state = sgf::replay(game, rules, untilMove);
    } catch (const sgf::SgfError& e) {
      if (dropUnplayableMoves(game, ctx.log) == 0) throw;
      state = sgf::replay(game, rules, untilMove);
    }
    ctx.engine.setState(state);
  } catch (const std::exception& e) {
    ctx.log << "loadsgf " << args[0] << ": " << e.what() << "\n";
    return failure("cannot load file");
  }
  return success();
}

// printsgf [FILE]: the game as SGF, in the answer or written to FILE.
Reply printsgf(CommandContext& ctx, const Args& args) {
  if (args.size() > 1) return failure("syntax error");
  std::string text = sgf::writeGame(sgf::fromGameState(ctx.engine.state()));
  if (args.empty()) return success(text);
  std::ofstream out(args[0]);
  if (!(out << text << "\n")) return failure("cannot write file");
  return success();
}

}  // namespace

void registerSgfCommands(CommandTable& table) {
  table.add("loadsgf", loadsgf);
  table.add("printsgf", printsgf);
}

}  // namespace hoshi::gtp
