// Search decorations of the game commands: pondering. After genmove (when
// ponderingEnabled and a net is loaded) the search goes on, silently, on the
// position the opponent faces; the next command stops it, and the tree it
// grew is reused if the opponent plays one of the moves it explored.

#include <iomanip>
#include <memory>
#include <sstream>
#include <thread>

#include "gtp/parse.h"

#include "gtp/command_table.h"
#include "search/engine.h"
#include "search/mcts_player.h"
#include "search/search_params.h"
#include "search/search_result.h"

namespace hoshi::gtp {
namespace {

void startPondering(CommandContext& ctx) {
  search::MctsPlayer* mcts = ctx.engine.mcts();
  const GameState& state = ctx.engine.state();
  if (!mcts || state.isGameFinished()) return;
  const config::Params& p = ctx.engine.params();
  const search::SearchParams params = search::searchParamsFrom(p);
  const int64_t visits = p.maxVisitsPondering, playouts = p.maxPlayoutsPondering;
  const double seconds = p.maxTimePondering;
  mcts->resetStop();
  auto worker = std::make_shared<std::thread>([mcts, state, params, visits, playouts, seconds] {
    try {
      mcts->ponder(state, params, visits, playouts, seconds);
    } catch (const std::exception&) {
    }
  });
  ctx.stopBackground = [mcts, worker] {
    mcts->stop();
    worker->join();
  };
}

// logSearchInfo: what the search of the last genmove saw, on the log.
void logSearchInfo(CommandContext& ctx) {
  search::MctsPlayer* mcts = ctx.engine.mcts();
  if (!mcts || !mcts->search().root()) return;
  const search::SearchResult r = search::collectResult(mcts->search(), false, 5, 8);
  const Board& b = ctx.engine.board();
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << "search: visits " << r.root.visits << " winrate "
      << r.root.winrate << " scoreLead " << std::setprecision(1) << r.root.scoreLead << "\n";
  for (const search::MoveInfo& m : r.moves) {
    out << "  " << locToString(m.move, b) << " visits " << m.visits << " winrate "
        << std::setprecision(3) << m.winrate << " pv";
    for (Loc l : m.pv) out << " " << locToString(l, b);
    out << "\n";
  }
  ctx.log << out.str() << std::flush;
}

}  // namespace

void registerSearchCommands(CommandTable& table) {
  const Handler* genmove = table.find("genmove");
  if (!genmove) return;
  Handler inner = *genmove;
  table.add("genmove", [inner](CommandContext& ctx, const Args& args) {
    Reply reply = inner(ctx, args);
    if (reply.ok && ctx.engine.params().logSearchInfo) logSearchInfo(ctx);
    if (reply.ok && reply.text != "resign" && ctx.engine.params().ponderingEnabled)
      startPondering(ctx);
    return reply;
  });
}

}  // namespace hoshi::gtp
