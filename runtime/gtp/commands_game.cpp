#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "game/scoring.h"
#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "search/engine.h"
#include "search/search_result.h"

namespace hoshi::gtp {
namespace {

std::string vertexList(const std::vector<Loc>& locs, const Board& b) {
  std::string out;
  for (Loc l : locs) out += (out.empty() ? "" : " ") + locToString(l, b);
  return out;
}

// Rows from the top, row number first, one cell per column; the header and
// footer give the column letters.
std::string showboard(const Engine& engine) {
  const Board& b = engine.board();
  static const char* kColumns = "ABCDEFGHJKLMNOPQRST";
  std::ostringstream out;
  std::string letters = "   ";
  for (int x = 0; x < b.xSize(); ++x) letters += std::string(" ") + kColumns[x];
  out << "\n" << letters << "\n";
  for (int y = 0; y < b.ySize(); ++y) {
    int row = b.ySize() - y;
    out << (row < 10 ? "  " : " ") << row;
    for (int x = 0; x < b.xSize(); ++x) {
      Color c = b.at(b.loc(x, y));
      out << ' ' << (c == Color::kBlack ? 'X' : c == Color::kWhite ? 'O' : '.');
    }
    out << (row < 10 ? "  " : " ") << row << "\n";
  }
  out << letters << "\n";
  const GameState& s = engine.state();
  out << "Next player: " << (s.toMove() == Color::kBlack ? "Black" : "White") << "\n";
  out << "Komi: " << s.komi() << "  Rules: " << s.rules().niceName() << "\n";
  out << "Captured stones: black " << b.numCaptured(Color::kWhite) << ", white "
      << b.numCaptured(Color::kBlack);
  return out.str();
}

// boardsize N, or as KataGo also takes it boardsize X Y (rectangular_boardsize).
Reply boardsize(CommandContext& ctx, const Args& args) {
  int x, y;
  if (args.empty() || args.size() > 2 || !parseInt(args[0], x) ||
      (args.size() == 2 && !parseInt(args[1], y)))
    return failure("syntax error");
  if (args.size() == 1) y = x;
  if (x < 2 || x > 19 || y < 2 || y > 19)
    return failure("unacceptable size: each side must be 2 to 19");
  ctx.engine.setBoardSize(x, y);
  return success();
}

Reply komi(CommandContext& ctx, const Args& args) {
  double k;
  if (args.size() != 1) return failure("syntax error");
  if (!parseFloat(args[0], k)) {
    char* end = nullptr;
    const double v = std::strtod(args[0].c_str(), &end);
    if (end && *end == '\0' && end != args[0].c_str() && !std::isfinite(v))
      return failure("unacceptable komi: '" + args[0] + "' is not a finite number");
    return failure("syntax error");
  }
  // The game core scores in half points.
  if (std::fabs(k) > 400) return failure("unacceptable komi: must be within -400 to 400");
  if (std::fabs(k * 2 - std::round(k * 2)) > 1e-9)
    return failure("unacceptable komi: must be a whole or half number");
  ctx.engine.setKomi(static_cast<float>(k));
  return success();
}

Reply play(CommandContext& ctx, const Args& args) {
  if (args.size() != 2) return failure("syntax error");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  Loc loc;
  if (!parseVertex(args[1], ctx.engine.board(), loc)) return failure("invalid coordinate");
  try {
    ctx.engine.play(c, loc);
  } catch (const std::invalid_argument& e) {
    return failure(e.what());
  }
  return success();
}

// logSearchInfo: what the search of the last genmove saw, on the log.
void logSearchInfo(CommandContext& ctx) {
  const search::SearchResult& r = ctx.engine.lastMoveSearch();
  const Board& b = ctx.engine.board();
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << "search: visits " << r.root.visits << " winrate "
      << r.root.winrate << " scoreLead " << std::setprecision(1) << r.root.scoreLead << "\n";
  // KataGo logs the same counts (New playouts, NN rows).
  const search::SearchStats& st = ctx.engine.lastMoveStats();
  out << "  playouts " << st.playouts << " nnEvals " << st.eval.evaluations << " cacheHits "
      << st.eval.cacheHits << " nodes " << st.nodes << "\n";
  for (const search::MoveInfo& m : r.moves) {
    out << "  " << locToString(m.move, b) << " visits " << m.visits << " winrate "
        << std::setprecision(3) << m.winrate << " pv";
    for (Loc l : m.pv) out << " " << locToString(l, b);
    out << "\n";
  }
  ctx.log << out.str() << std::flush;
}

// genmove also starts pondering (in the engine) when ponderingEnabled.
Reply genmoveImpl(CommandContext& ctx, const Args& args, bool playIt) {
  if (args.size() != 1) return failure("syntax error");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  Loc loc = playIt ? ctx.engine.genmove(c) : ctx.engine.chooseMove(c);
  if (playIt && ctx.engine.canSearch() && ctx.engine.params().logSearchInfo) logSearchInfo(ctx);
  if (loc == Engine::kResignLoc) return success("resign");
  return success(locToString(loc, ctx.engine.board()));
}

Reply handicap(CommandContext& ctx, const Args& args, bool fixed) {
  int n;
  if (args.size() != 1 || !parseInt(args[0], n)) return failure("syntax error");
  try {
    std::vector<Loc> pts =
        fixed ? ctx.engine.placeFixedHandicap(n) : ctx.engine.placeFreeHandicap(n);
    return success(vertexList(pts, ctx.engine.board()));
  } catch (const std::invalid_argument& e) {
    return failure(e.what());
  }
}

Reply setFreeHandicap(CommandContext& ctx, const Args& args) {
  std::vector<Loc> pts;
  for (const std::string& a : args) {
    Loc l;
    if (!parseVertex(a, ctx.engine.board(), l)) return failure("invalid coordinate");
    pts.push_back(l);
  }
  try {
    ctx.engine.setFreeHandicap(pts);
  } catch (const std::invalid_argument& e) {
    return failure(e.what());
  }
  return success();
}

Reply finalStatusList(CommandContext& ctx, const Args& args) {
  if (args.size() != 1) return failure("syntax error");
  const std::string& s = args[0];
  if (s != "alive" && s != "dead" && s != "seki") return failure("syntax error");
  std::vector<Loc> stones = ctx.engine.stonesWithStatus(s);
  // One line per chain would need chain grouping; GTP allows any split.
  return success(vertexList(stones, ctx.engine.board()));
}

}  // namespace

void registerGameCommands(CommandTable& table) {
  table.add("boardsize", boardsize);
  table.add("rectangular_boardsize", [](CommandContext& ctx, const Args& args) {
    return args.size() == 2 ? boardsize(ctx, args) : failure("syntax error: expected X Y");
  });
  table.add("clear_board", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    ctx.engine.clearBoard();
    return success();
  });
  table.add("komi", komi);
  table.add("play", play);
  table.add("genmove",
            [](CommandContext& ctx, const Args& a) { return genmoveImpl(ctx, a, true); });
  table.add("reg_genmove",
            [](CommandContext& ctx, const Args& a) { return genmoveImpl(ctx, a, false); });
  table.add("undo", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    return ctx.engine.undo() ? success() : failure("cannot undo");
  });
  table.add("showboard", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    return success(showboard(ctx.engine));
  });
  table.add("fixed_handicap",
            [](CommandContext& ctx, const Args& a) { return handicap(ctx, a, true); });
  table.add("place_free_handicap",
            [](CommandContext& ctx, const Args& a) { return handicap(ctx, a, false); });
  table.add("set_free_handicap", setFreeHandicap);
  table.add("final_score", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    return success(formatScore(static_cast<float>(ctx.engine.finalScoreWhiteMinusBlack())));
  });
  table.add("final_status_list", finalStatusList);
}

}  // namespace hoshi::gtp
