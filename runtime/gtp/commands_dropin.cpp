// KataGo's GTP extensions that front ends send besides analysis
// (docs/GTP_Extensions.md): komi and rectangular sizes, set_position,
// clear_cache, kata-get-models, kata-set-rule, kata-search*, genmove_debug,
// cputime.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "gtp/session.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Reply getKomi(CommandContext& ctx, const Args& args) {
  if (!args.empty()) return failure("syntax error");
  std::ostringstream out;
  out << ctx.engine.state().komi();
  return success(out.str());
}

// set_position COLOR VERTEX ...: a position without history, black to move.
Reply setPosition(CommandContext& ctx, const Args& args) {
  if (args.size() % 2 != 0) return failure("syntax error: expected COLOR VERTEX pairs");
  const Board& current = ctx.engine.board();
  Board b(current.xSize(), current.ySize());
  std::set<Loc> seen;
  for (size_t i = 0; i < args.size(); i += 2) {
    Color c;
    Loc l;
    if (!parseColor(args[i], c)) return failure("invalid color '" + args[i] + "'");
    if (!parseVertex(args[i + 1], b, l) || l == kPassLoc)
      return failure("invalid vertex '" + args[i + 1] + "'");
    if (!seen.insert(l).second) return failure("vertex " + args[i + 1] + " given twice");
    b.setStone(l, c);
  }
  for (Loc l : seen) {
    if (b.numLiberties(l) == 0)
      return failure("stone at " + locToString(l, b) + " would have no liberties");
  }
  ctx.engine.setState(GameState(b, Color::kBlack, ctx.engine.rules()));
  return success();
}

Reply kataGetModels(CommandContext& ctx, const Args& args) {
  if (!args.empty()) return failure("syntax error");
  const auto& evaluator = ctx.engine.evaluator();
  if (!evaluator) return success("[]");
  const nn::EvaluatorOptions& o = evaluator->options();
  const std::string file = std::filesystem::path(ctx.engine.modelFile()).filename().string();
  std::ostringstream out;
  out << "[{\"name\":" << jsonString(file)
      << ",\"internalName\":" << jsonString(evaluator->model().name)
      << ",\"maxBatchSize\":" << o.maxBatch << ",\"usesHumanSLProfile\":false"
      << ",\"version\":" << evaluator->model().modelVersion
      << ",\"usingFP16\":" << (o.precision == "fp16" ? "true" : "false")
      << ",\"backend\":" << jsonString(o.backend) << ",\"precision\":" << jsonString(o.precision)
      << "}]";
  return success(out.str());
}

// kata-set-rule RULE VALUE: one field of the rules in force.
Reply kataSetRule(CommandContext& ctx, const Args& args) {
  if (args.size() != 2) return failure("syntax error: expected kata-set-rule RULE VALUE");
  try {
    ctx.engine.setRules(ctx.engine.rules().withSetting(args[0], args[1]));
  } catch (const std::invalid_argument& e) {
    return failure(e.what());
  }
  return success();
}

Reply searchOnly(CommandContext& ctx, const Args& args) {
  if (args.size() != 1) return failure("syntax error");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  Loc loc = ctx.engine.chooseMove(c);
  return success(loc == Engine::kResignLoc ? "resign" : locToString(loc, ctx.engine.board()));
}

// kata-search_cancellable: the engine searches after the handler returns;
// the answer is written when the search ends, or "cancelled" when the next
// line (even an empty one) arrives first.
Reply searchCancellable(CommandContext& ctx, const Args& args) {
  if (args.size() != 1) return failure("syntax error");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  if (!ctx.engine.canSearch()) return searchOnly(ctx, args);
  Engine* engine = &ctx.engine;
  Sink* sink = ctx.sink;
  const std::string id = ctx.id;
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  ctx.engine.startChooseMove(
      c,
      [engine, sink, id, cancelled](Loc loc) {
        const std::string text =
            loc == Engine::kResignLoc ? "resign" : locToString(loc, engine->board());
        sink->write("=" + id + " " + (cancelled->load() ? "cancelled" : text) + "\n\n");
      },
      [sink, id](const std::string& error) { sink->write("?" + id + " " + error + "\n\n"); });
  ctx.stopBackground = [engine, cancelled] {
    cancelled->store(true);
    engine->stopAndWait();
  };
  Reply reply;
  reply.alreadySent = true;
  return reply;
}

Reply genmoveDebug(CommandContext& ctx, const Args& args, const Handler& inner) {
  const auto start = std::chrono::steady_clock::now();
  Reply reply = inner(ctx, args);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx.log << "genmove_debug: " << (reply.ok ? reply.text : "error " + reply.text) << " after "
          << seconds << " s\n";
  if (ctx.engine.canSearch())
    ctx.log << "genmove_debug: root visits " << ctx.engine.lastMoveSearch().root.visits << "\n";
  ctx.log << std::flush;
  return reply;
}

}  // namespace

void registerDropinCommands(CommandTable& table) {
  table.add("get_komi", getKomi);
  table.add("set_position", setPosition);
  table.add("clear_cache", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    ctx.engine.clearCache();
    return success();
  });
  table.add("kata-get-models", kataGetModels);
  table.add("kata-set-rule", kataSetRule);
  table.add("kata-search", searchOnly);
  table.add("kata-search_cancellable", searchCancellable);
  auto cputime = [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    std::ostringstream out;
    out << ctx.engine.moveSeconds();
    return success(out.str());
  };
  table.add("cputime", cputime);
  table.add("gomill-cpu_time", cputime);
  // Debug variants print what the search saw on the log (stderr).
  if (const Handler* genmove = table.find("genmove")) {
    Handler g = *genmove;
    table.add("genmove_debug",
              [g](CommandContext& ctx, const Args& a) { return genmoveDebug(ctx, a, g); });
  }
  table.add("kata-search_debug",
            [](CommandContext& ctx, const Args& a) { return genmoveDebug(ctx, a, searchOnly); });
}

}  // namespace hoshi::gtp
