// Analysis for front ends (Lizzie, Sabaki, KaTrain): kata-analyze and
// lz-analyze answer "=" at once, then stream one "info ..." line per
// interval from a background search until the next command arrives;
// the *-genmove_analyze forms stream while choosing a move, then play it.

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "gtp/session.h"
#include "search/engine.h"
#include "search/mcts_player.h"
#include "search/search_params.h"
#include "search/search_result.h"
#include "search/time_manager.h"

namespace hoshi::gtp {
namespace {

struct AnalyzeRequest {
  Color pla = Color::kBlack;
  double interval = 1.0;  // seconds
  int maxMoves = 0;       // 0: every visited move
  bool ownership = false;
  bool lz = false;  // Leela Zero's format (lz-*) rather than KataGo's
};

bool parseBoolWord(const std::string& s, bool& out) {
  if (s == "true" || s == "1") return out = true, true;
  if (s == "false" || s == "0") return out = false, true;
  return false;
}

// [player] [interval] then key value pairs (interval, maxmoves, ownership,
// minmoves and pvVisits are read; other KataGo keys are refused).
bool parseAnalyzeArgs(const Args& args, Color toMove, AnalyzeRequest& req, std::string& error) {
  req.pla = toMove;
  size_t i = 0;
  Color c;
  if (i < args.size() && tryParseColor(args[i], c)) req.pla = c, ++i;
  auto number = [&](const std::string& s, double& out) {
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end && *end == '\0' && std::isfinite(out);
  };
  double v;
  if (i < args.size() && number(args[i], v)) req.interval = v / 100.0, ++i;
  for (; i < args.size(); i += 2) {
    const std::string& key = args[i];
    if (i + 1 >= args.size()) return error = "missing value for " + key, false;
    const std::string& value = args[i + 1];
    if (key == "interval" && number(value, v)) {
      req.interval = v / 100.0;
    } else if (key == "maxmoves" && number(value, v) && v >= 0) {
      req.maxMoves = static_cast<int>(v);
    } else if (key == "ownership" && parseBoolWord(value, req.ownership)) {
    } else if ((key == "minmoves" || key == "pvVisits" || key == "ownershipStdev") &&
               number(value, v)) {
      // Accepted for compatibility; every visited move is reported anyway.
    } else {
      return error = "unsupported or invalid analyze argument: " + key + " " + value, false;
    }
  }
  if (req.interval <= 0) req.interval = 1.0;
  req.interval = std::max(req.interval, 0.05);
  return true;
}

std::string fmt(double v, const char* spec = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

std::string pvText(const std::vector<Loc>& pv, const Board& b) {
  std::string out;
  for (Loc l : pv) out += " " + locToString(l, b);
  return out;
}

std::string formatKata(const search::SearchResult& r, const Board& b, const AnalyzeRequest& req) {
  std::ostringstream os;
  for (const search::MoveInfo& m : r.moves) {
    if (m.order > 0) os << " ";
    os << "info move " << locToString(m.move, b) << " visits " << m.visits << " edgeVisits "
       << m.visits << " utility " << fmt(m.utility) << " winrate " << fmt(m.winrate)
       << " scoreMean " << fmt(m.scoreLead) << " scoreStdev " << fmt(m.scoreStdev) << " scoreLead "
       << fmt(m.scoreLead) << " scoreSelfplay " << fmt(m.scoreMean) << " prior " << fmt(m.prior)
       << " lcb " << fmt(m.lcb) << " utilityLcb " << fmt(m.utilityLcb) << " order " << m.order
       << " pv" << pvText(m.pv, b);
  }
  if (req.ownership && !r.root.whiteOwnership.empty()) {
    const double sign = r.root.pla == Color::kWhite ? 1.0 : -1.0;
    os << " ownership";
    for (float o : r.root.whiteOwnership) os << " " << fmt(sign * o, "%.4f");
  }
  return os.str();
}

std::string formatLz(const search::SearchResult& r, const Board& b) {
  std::ostringstream os;
  for (const search::MoveInfo& m : r.moves) {
    if (m.order > 0) os << " ";
    os << "info move " << locToString(m.move, b) << " visits " << m.visits << " winrate "
       << std::lround(m.winrate * 10000) << " prior " << std::lround(m.prior * 10000) << " lcb "
       << std::lround(std::max(0.0, m.lcb) * 10000) << " order " << m.order << " pv"
       << pvText(m.pv, b);
  }
  return os.str();
}

std::string formatResult(const search::Search& s, const AnalyzeRequest& req) {
  const search::SearchResult r = search::collectResult(s, req.ownership && !req.lz, req.maxMoves);
  if (r.moves.empty()) return "";  // nothing visited yet: no line
  const Board& b = s.rootState().board();
  return req.lz ? formatLz(r, b) : formatKata(r, b, req);
}

// The position to analyse for `pla`: the current one, with a pass inserted
// when it is the other side's turn.
GameState positionFor(const Engine& engine, Color pla) {
  GameState s = engine.state();
  if (s.toMove() != pla && !s.isGameFinished()) s.playAssumeLegal(kPassLoc, s.toMove());
  return s;
}

// What both analysis commands do first: check there is a net, parse the
// arguments and open the response. Returns an error reply, or none with req
// and state filled in and "=id" already sent.
std::optional<Reply> beginAnalysis(CommandContext& ctx, const Args& args, bool lz,
                                   AnalyzeRequest& req, GameState& state) {
  if (!ctx.engine.mcts()) return failure("analysis needs a model (-model FILE)");
  req.lz = lz;
  std::string error;
  if (!parseAnalyzeArgs(args, ctx.engine.state().toMove(), req, error)) return failure(error);
  ctx.sink->write("=" + ctx.id + "\n");
  state = positionFor(ctx.engine, req.pla);
  return std::nullopt;
}

// Writes one analysis line per progress report.
std::function<void(const search::Search&)> lineWriter(Sink* sink, const AnalyzeRequest& req) {
  return [sink, req](const search::Search& s) {
    const std::string line = formatResult(s, req);
    if (!line.empty()) sink->write(line + "\n");
  };
}

Reply sentAlready() {
  Reply r;
  r.alreadySent = true;
  return r;
}

Reply analyze(CommandContext& ctx, const Args& args, bool lz) {
  AnalyzeRequest req;
  GameState state;
  if (auto error = beginAnalysis(ctx, args, lz, req, state)) return *error;
  search::MctsPlayer* mcts = ctx.engine.mcts();
  Sink* sink = ctx.sink;
  const search::SearchParams params = search::searchParamsFrom(ctx.engine.params());
  mcts->resetStop();
  auto worker = std::make_shared<std::thread>([mcts, sink, state, params, req] {
    try {
      mcts->analyze(state, params, lineWriter(sink, req), req.interval);
    } catch (const std::exception&) {
      // The stream just ends; the next command gets a normal answer.
    }
  });
  ctx.stopBackground = [mcts, worker, sink] {
    mcts->stop();
    worker->join();
    sink->write("\n");
  };
  return sentAlready();
}

search::MoveClock clockFor(const Engine& engine, Color pla) {
  search::MoveClock c;
  const TimeControls& tc = engine.timeControls();
  c.kind = static_cast<search::MoveClock::Kind>(tc.kind);
  c.mainTime = tc.mainTime;
  c.periodTime = tc.periodTime;
  c.periodStones = tc.periodStones;
  c.periods = tc.periods;
  c.secondsLeft = engine.timeLeft(pla).seconds;
  c.stonesLeft = engine.timeLeft(pla).stones;
  return c;
}

Reply genmoveAnalyze(CommandContext& ctx, const Args& args, bool lz) {
  AnalyzeRequest req;
  GameState state;
  if (auto error = beginAnalysis(ctx, args, lz, req, state)) return *error;
  search::MctsPlayer* mcts = ctx.engine.mcts();
  Sink* sink = ctx.sink;
  const double budget =
      search::moveTimeBudget(clockFor(ctx.engine, req.pla), state, ctx.engine.params().lagBuffer);
  search::Decision d = mcts->genmove(state, search::searchParamsFrom(ctx.engine.params()), budget,
                                     lineWriter(sink, req), req.interval);
  // No line at all when nothing was visited (a finished game): an empty one
  // would be the blank line that ends the response before "play".
  const std::string last = formatResult(mcts->search(), req);
  if (!last.empty()) sink->write(last + "\n");
  std::string played = "resign";
  if (!d.resign) {
    try {
      ctx.engine.play(req.pla, d.move);
      played = locToString(d.move, ctx.engine.board());
    } catch (const std::invalid_argument&) {
      played = "pass";
      ctx.engine.play(req.pla, kPassLoc);
    }
  }
  sink->write("play " + played + "\n\n");
  return sentAlready();
}

}  // namespace

void registerAnalysisCommands(CommandTable& table) {
  table.add("kata-analyze",
            [](CommandContext& ctx, const Args& a) { return analyze(ctx, a, false); });
  table.add("lz-analyze", [](CommandContext& ctx, const Args& a) { return analyze(ctx, a, true); });
  table.add("kata-genmove_analyze",
            [](CommandContext& ctx, const Args& a) { return genmoveAnalyze(ctx, a, false); });
  table.add("lz-genmove_analyze",
            [](CommandContext& ctx, const Args& a) { return genmoveAnalyze(ctx, a, true); });
  // The session already ended any analysis before running this.
  table.add("stop", [](CommandContext&, const Args&) { return success(); });
}

}  // namespace hoshi::gtp
