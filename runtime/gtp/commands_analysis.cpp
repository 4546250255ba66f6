// Analysis for front ends (Lizzie, Sabaki, KaTrain): kata-analyze and
// lz-analyze answer "=" at once, then stream one "info ..." line per
// interval from the engine's background search until the next command
// arrives; the *-genmove_analyze forms stream while choosing a move, then
// play it. Here only the arguments are parsed and the reports formatted.

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>

#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "gtp/session.h"
#include "search/engine.h"
#include "search/search_result.h"

namespace hoshi::gtp {
namespace {

struct AnalyzeRequest {
  Color pla = Color::kBlack;
  double interval = 1.0;  // seconds; 0: as often as the search can report
  int maxMoves = -1;      // -1: every visited move
  int minMoves = 0;       // report at least this many moves, unvisited ones too
  bool ownership = false;
  bool ownershipStdev = false;
  bool movesOwnership = false;
  bool movesOwnershipStdev = false;
  bool rootInfo = false;
  bool pvVisits = false;
  bool pvEdgeVisits = false;
  bool noResultValue = false;
  search::MoveFilter filter;          // avoid / allow
  Color perspective = Color::kEmpty;  // reportAnalysisWinratesAs; kEmpty: side to move
  int pvLength = 15;
  bool lz = false;  // Leela Zero's format (lz-*) rather than KataGo's
};

bool parseBoolWord(const std::string& s, bool& out) {
  if (s == "true" || s == "1") return out = true, true;
  if (s == "false" || s == "0") return out = false, true;
  return false;
}

bool parseNumber(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == '\0' && std::isfinite(out);
}

// avoid|allow PLAYER VERTEX,VERTEX,... UNTILDEPTH (KataGo's GTP extension).
bool parseMoveRule(const Args& args, size_t& i, const Board& board, AnalyzeRequest& req,
                   std::string& error) {
  const std::string& key = args[i];
  if (i + 3 >= args.size()) return error = key + " needs PLAYER VERTICES UNTILDEPTH", false;
  search::MoveRule rule;
  rule.allowOnly = key == "allow";
  if (!tryParseColor(args[i + 1], rule.player))
    return error = key + ": bad player '" + args[i + 1] + "'", false;
  std::stringstream list(args[i + 2]);
  for (std::string v; std::getline(list, v, ',');) {
    if (v.empty()) continue;
    Loc loc;
    std::string why;
    if (!tryParseLoc(v, board.xSize(), board.ySize(), loc, &why))
      return error = key + ": bad vertex '" + v + "'", false;
    rule.moves.push_back(loc);
  }
  double depth;
  if (!parseNumber(args[i + 3], depth) || depth < 1 || depth != std::floor(depth) || depth > 1e9)
    return error = key + ": untilDepth must be a positive integer, got '" + args[i + 3] + "'",
           false;
  rule.untilDepth = static_cast<int>(depth);
  for (const search::MoveRule& r : req.filter.rules) {
    if (r.player == rule.player && (r.allowOnly || rule.allowOnly))
      return error = "allow cannot be combined with avoid or another allow for the same player",
             false;
  }
  req.filter.rules.push_back(std::move(rule));
  i += 4;
  return true;
}

// [player] [interval] then key value pairs, as KataGo's parseAnalyzeCommand.
bool parseAnalyzeArgs(const Args& args, const Board& board, Color toMove, AnalyzeRequest& req,
                      std::string& error) {
  req.pla = toMove;
  size_t i = 0;
  Color c;
  if (i < args.size() && tryParseColor(args[i], c)) req.pla = c, ++i;
  double v;
  if (i < args.size() && parseNumber(args[i], v) && v >= 0) req.interval = v / 100.0, ++i;
  while (i < args.size()) {
    const std::string& key = args[i];
    if (key == "avoid" || key == "allow") {
      if (!parseMoveRule(args, i, board, req, error)) return false;
      continue;
    }
    if (i + 1 >= args.size()) return error = "missing value for " + key, false;
    const std::string& value = args[i + 1];
    i += 2;
    const std::pair<const char*, bool*> kataFlags[] = {
        {"ownership", &req.ownership},
        {"ownershipStdev", &req.ownershipStdev},
        {"movesOwnership", &req.movesOwnership},
        {"movesOwnershipStdev", &req.movesOwnershipStdev},
        {"rootInfo", &req.rootInfo},
        {"pvVisits", &req.pvVisits},
        {"pvEdgeVisits", &req.pvEdgeVisits},
        {"noResultValue", &req.noResultValue},
    };
    bool done = false;
    if (key == "interval" && parseNumber(value, v) && v >= 0) {
      req.interval = v / 100.0, done = true;
    } else if (key == "maxmoves" && parseNumber(value, v) && v >= 0 && v < 1e9) {
      req.maxMoves = static_cast<int>(v), done = true;
    } else if (key == "minmoves" && parseNumber(value, v) && v >= 0 && v < 1e9) {
      req.minMoves = static_cast<int>(v), done = true;
    } else if (!req.lz) {
      for (const auto& [name, flag] : kataFlags)
        if (key == name && parseBoolWord(value, *flag)) done = true;
    }
    if (!done)
      return error = "unsupported or invalid analyze argument: " + key + " " + value, false;
  }
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

// +1 when values from the side to move's view are reported as they are.
double flipFor(const AnalyzeRequest& req, Color pla) {
  return req.perspective != Color::kEmpty && req.perspective != pla ? -1.0 : 1.0;
}

void writeOwnership(std::ostream& os, const std::vector<float>& white, double sign) {
  for (float o : white) os << " " << fmt(sign * o, "%.4f");
}

void writeStdev(std::ostream& os, const std::vector<float>& v) {
  for (float o : v) os << " " << fmt(o, "%.4f");
}

void writeKataMove(std::ostream& os, const search::MoveInfo& m, const Board& b,
                   const AnalyzeRequest& req, double f, double ownSign) {
  const double wr = f > 0 ? m.winrate : 1.0 - m.winrate;
  const double lcb = f > 0 ? m.lcb : 1.0 - m.lcb;
  os << "info move " << locToString(m.move, b) << " visits " << m.visits << " edgeVisits "
     << m.edgeVisits << " utility " << fmt(f * m.utility) << " winrate " << fmt(wr) << " scoreMean "
     << fmt(f * m.scoreLead) << " scoreStdev " << fmt(m.scoreStdev) << " scoreLead "
     << fmt(f * m.scoreLead) << " scoreSelfplay " << fmt(f * m.scoreMean) << " prior "
     << fmt(m.prior) << " lcb " << fmt(lcb) << " utilityLcb " << fmt(f * m.utilityLcb) << " weight "
     << fmt(m.weight);
  if (req.noResultValue) os << " noResultValue " << fmt(m.noResult);
  os << " order " << m.order << " pv" << pvText(m.pv, b);
  if (req.pvVisits) {
    os << " pvVisits";
    for (int64_t n : m.pvVisits) os << " " << n;
  }
  if (req.pvEdgeVisits) {
    os << " pvEdgeVisits";
    for (int64_t n : m.pvEdgeVisits) os << " " << n;
  }
  if (req.movesOwnership) {
    os << " movesOwnership";
    writeOwnership(os, m.whiteOwnership, ownSign);
  }
  if (req.movesOwnershipStdev) {
    os << " movesOwnershipStdev";
    writeStdev(os, m.ownershipStdev);
  }
}

std::string formatKata(const search::Search& s, const search::SearchResult& r, const Board& b,
                       const AnalyzeRequest& req) {
  std::ostringstream os;
  const Color pla = r.root.pla;
  const double f = flipFor(req, pla);
  // White's ownership to the reported view.
  const Color view = req.perspective == Color::kEmpty ? pla : req.perspective;
  const double ownSign = view == Color::kWhite ? 1.0 : -1.0;
  bool first = true;
  for (const search::MoveInfo& m : r.moves) {
    if (!first) os << " ";
    first = false;
    writeKataMove(os, m, b, req, f, ownSign);
  }
  if (req.rootInfo) {
    const search::RootInfo& ri = r.root;
    os << (first ? "" : " ") << "rootInfo visits " << ri.visits << " utility "
       << fmt(f * ri.utility) << " winrate " << fmt(f > 0 ? ri.winrate : 1.0 - ri.winrate)
       << " scoreMean " << fmt(f * ri.scoreLead) << " scoreStdev " << fmt(ri.scoreStdev)
       << " scoreLead " << fmt(f * ri.scoreLead) << " scoreSelfplay " << fmt(f * ri.scoreMean)
       << " weight " << fmt(ri.weight);
    const search::Node* root = s.root();
    if (root && root->state() == search::Node::State::kExpanded && root->nnOutput()) {
      const nn::NetOutput& nn = *root->nnOutput();
      os << " rawStWrError " << fmt(nn.shorttermWinlossError * 0.5) << " rawStScoreError "
         << fmt(nn.shorttermScoreError) << " rawVarTimeLeft " << fmt(nn.varTimeLeft);
    }
    first = false;
  }
  if (req.ownership && !r.root.whiteOwnership.empty()) {
    os << (first ? "" : " ") << "ownership";
    writeOwnership(os, r.root.whiteOwnership, ownSign);
  }
  if (req.ownershipStdev && !r.root.ownershipStdev.empty()) {
    os << " ownershipStdev";
    writeStdev(os, r.root.ownershipStdev);
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
  search::ResultOptions o;
  o.ownership = req.ownership && !req.lz;
  o.ownershipStdev = (req.ownershipStdev || req.movesOwnershipStdev) && !req.lz;
  o.movesOwnership = (req.movesOwnership || req.movesOwnershipStdev) && !req.lz;
  o.minMoves = req.minMoves;
  o.maxPvLength = req.pvLength + 1;
  search::SearchResult r = search::collectResult(s, o);
  // Nothing visited yet: no line (an empty one would end the response).
  if (r.root.visits <= 0) return "";
  if (req.maxMoves >= 0 && static_cast<int>(r.moves.size()) > req.maxMoves)
    r.moves.resize(req.maxMoves);
  const Board& b = s.rootState().board();
  const std::string line = req.lz ? formatLz(r, b) : formatKata(s, r, b, req);
  return line;
}

// What both analysis commands do first: check there is a net, parse the
// arguments and open the response. Returns an error reply, or none with req
// filled in and "=id" already sent.
std::optional<Reply> beginAnalysis(CommandContext& ctx, const Args& args, bool lz,
                                   AnalyzeRequest& req) {
  if (!ctx.engine.canSearch()) return failure("analysis needs a model (-model FILE)");
  req.lz = lz;
  std::string error;
  if (!parseAnalyzeArgs(args, ctx.engine.board(), ctx.engine.state().toMove(), req, error))
    return failure(error);
  const config::Params& p = ctx.engine.params();
  req.perspective = p.reportAnalysisWinratesAs == "BLACK"   ? Color::kBlack
                    : p.reportAnalysisWinratesAs == "WHITE" ? Color::kWhite
                                                            : Color::kEmpty;
  req.pvLength = static_cast<int>(p.analysisPVLen);
  ctx.sink->write("=" + ctx.id + "\n");
  return std::nullopt;
}

// Writes one analysis line per progress report.
Engine::SearchReport lineWriter(Sink* sink, const AnalyzeRequest& req) {
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

// The engine searches in the background and calls lineWriter; the blank
// line closing the response follows once the next line has stopped it.
Reply analyze(CommandContext& ctx, const Args& args, bool lz) {
  AnalyzeRequest req;
  if (auto error = beginAnalysis(ctx, args, lz, req)) return *error;
  Sink* sink = ctx.sink;
  ctx.engine.startAnalysis(req.pla, req.filter, req.interval, lineWriter(sink, req));
  Engine* engine = &ctx.engine;
  ctx.stopBackground = [engine, sink] {
    engine->stopAndWait();
    sink->write("\n");
  };
  return sentAlready();
}

Reply genmoveAnalyze(CommandContext& ctx, const Args& args, bool lz) {
  AnalyzeRequest req;
  if (auto error = beginAnalysis(ctx, args, lz, req)) return *error;
  Sink* sink = ctx.sink;
  // The last report has no line at all when nothing was visited (a finished
  // game): an empty one would be the blank line that ends the response
  // before "play".
  const Loc played =
      ctx.engine.genmoveAnalyze(req.pla, req.filter, req.interval, lineWriter(sink, req));
  const std::string move =
      played == Engine::kResignLoc ? "resign" : locToString(played, ctx.engine.board());
  sink->write("play " + move + "\n\n");
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
