#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "config/options.h"

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

namespace fs = std::filesystem;

// Over TCP or serial a front end reaches the file system only inside
// gtpFileAccessDir: relative names are taken inside it, and a path (after
// resolving "..", links) that leaves it is refused. On stdin the front end
// runs as the user anyway, so any path goes. Returns the path to use, or ""
// with `why` set.
std::string allowedPath(const CommandContext& ctx, const std::string& name, std::string& why) {
  if (!ctx.remote) return name;
  const std::string& dir = ctx.options.params().gtpFileAccessDir;
  if (dir.empty()) {
    why = "file access is not allowed over TCP or serial (set gtpFileAccessDir to allow a folder)";
    return "";
  }
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(dir, ec);
  fs::path target = fs::path(name).is_relative() ? fs::path(dir) / name : fs::path(name);
  target = fs::weakly_canonical(target, ec);
  auto rel = target.lexically_relative(root);
  if (ec || rel.empty() || *rel.begin() == "..") {
    why = "'" + name + "' is outside gtpFileAccessDir";
    return "";
  }
  return target.string();
}

// Why `path` cannot be read as a game file, or "" when it may be.
std::string unreadableReason(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) return "no such file";
  if (fs::is_directory(st)) return "that is a folder, not an SGF file";
  return "";
}

// loadsgf FILE [N]: the position before move N (all moves without N). The
// game's RU and KM replace the current rules and komi when present.
Reply loadsgf(CommandContext& ctx, const Args& args) {
  if (args.empty() || args.size() > 2) return failure("syntax error");
  int untilMove = 0;
  if (args.size() == 2 && (!parseInt(args[1], untilMove) || untilMove < 1))
    return failure("syntax error");
  std::string why;
  const std::string path = allowedPath(ctx, args[0], why);
  if (!path.empty()) why = unreadableReason(path);
  if (!why.empty()) {
    ctx.log << "loadsgf " << args[0] << ": " << why << "\n";
    return failure("cannot load file: " + why);
  }
  try {
    sgf::Game game = sgf::loadGameFile(path);
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
    return failure(std::string("cannot load file: ") + e.what());
  }
  return success();
}

// printsgf [FILE]: the game as SGF, in the answer or written to FILE.
Reply printsgf(CommandContext& ctx, const Args& args) {
  if (args.size() > 1) return failure("syntax error");
  std::string text = sgf::writeGame(sgf::fromGameState(ctx.engine.state()));
  if (args.empty()) return success(text);
  std::string why;
  const std::string path = allowedPath(ctx, args[0], why);
  if (path.empty()) return failure("cannot write file: " + why);
  std::ofstream out(path);
  if (!(out << text << "\n")) return failure("cannot write file '" + args[0] + "'");
  return success();
}

}  // namespace

void registerSgfCommands(CommandTable& table) {
  table.add("loadsgf", loadsgf);
  table.add("printsgf", printsgf);
}

}  // namespace hoshi::gtp
