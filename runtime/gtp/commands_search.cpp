// Search decorations of the game commands: pondering. After genmove (when
// ponderingEnabled and a net is loaded) the search goes on, silently, on the
// position the opponent faces; the next command stops it, and the tree it
// grew is reused if the opponent plays one of the moves it explored.

#include <memory>
#include <thread>

#include "gtp/command_table.h"
#include "search/engine.h"
#include "search/mcts_player.h"
#include "search/search_params.h"

namespace hoshi::gtp {
namespace {

void startPondering(CommandContext& ctx) {
  search::MctsPlayer* mcts = ctx.engine.mcts();
  const GameState& state = ctx.engine.state();
  if (!mcts || state.isGameFinished()) return;
  const search::SearchParams params = search::searchParamsFrom(ctx.engine.params());
  mcts->resetStop();
  auto worker = std::make_shared<std::thread>([mcts, state, params] {
    try {
      // Bounded anyway, so a silent front end does not keep a core busy forever.
      mcts->analyze(state, params, nullptr, 1.0, std::min(params.maxTime * 4, 600.0));
    } catch (const std::exception&) {
    }
  });
  ctx.stopBackground = [mcts, worker] {
    mcts->stop();
    worker->join();
  };
}

}  // namespace

void registerSearchCommands(CommandTable& table) {
  const Handler* genmove = table.find("genmove");
  if (!genmove) return;
  Handler inner = *genmove;
  table.add("genmove", [inner](CommandContext& ctx, const Args& args) {
    Reply reply = inner(ctx, args);
    if (reply.ok && reply.text != "resign" && ctx.engine.params().ponderingEnabled) startPondering(ctx);
    return reply;
  });
}

}  // namespace hoshi::gtp
