#include "analysis/query.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace hoshi::analysis {
namespace {

using nlohmann::json;

// Every field of an analysis query; anything else draws a warning.
const std::set<std::string> kQueryFields = {
    "id",
    "moves",
    "initialStones",
    "initialPlayer",
    "rules",
    "komi",
    "whiteHandicapBonus",
    "boardXSize",
    "boardYSize",
    "analyzeTurns",
    "maxVisits",
    "rootPolicyTemperature",
    "rootFpuReductionMax",
    "analysisPVLen",
    "includeOwnership",
    "includeOwnershipStdev",
    "includeMovesOwnership",
    "includeMovesOwnershipStdev",
    "includePolicy",
    "includePVVisits",
    "includeNoResultValue",
    "avoidMoves",
    "allowMoves",
    "overrideSettings",
    "reportDuringSearchEvery",
    "priority",
    "priorities",
};

constexpr const char* kMovesShape =
    "Must be an array of pairs of the form: [\"b\" or \"w\", GTP board vertex]";
constexpr const char* kRuleFilterShape =
    "Must be a list of dicts with subfields 'player', 'moves', 'untilDepth'";

// Thrown inside parsing for a field error; caught once in parseLine.
struct FieldError {
  std::string field;
  std::string message;
};

[[noreturn]] void fail(const std::string& field, const std::string& message) {
  throw FieldError{field, message};
}

bool has(const json& in, const char* field) {
  return in.find(field) != in.end();
}

int64_t getInt(const json& in, const char* field, int64_t lo, int64_t hi, const std::string& msg) {
  const json& v = in.at(field);
  int64_t x = 0;
  if (v.is_number_integer()) {
    x = v.get<int64_t>();
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e18) fail(field, msg);
    x = static_cast<int64_t>(d);
  } else {
    fail(field, msg);
  }
  if (x < lo || x > hi) fail(field, msg);
  return x;
}

double getDouble(const json& in, const char* field, double lo, double hi, const std::string& msg) {
  const json& v = in.at(field);
  if (!v.is_number()) fail(field, msg);
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) fail(field, msg);
  return d;
}

bool getBool(const json& in, const char* field) {
  const json& v = in.at(field);
  if (!v.is_boolean()) fail(field, "Must be a boolean");
  return v.get<bool>();
}

Color parsePlayer(const json& v, const char* field) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "b" || s == "B" || s == "black" || s == "Black") return Color::kBlack;
    if (s == "w" || s == "W" || s == "white" || s == "White") return Color::kWhite;
  }
  fail(field, "Must be \"b\" or \"w\"");
}

// "D4", "pass", or KataGo's explicit "(x,y)" form.
Loc parseVertex(const std::string& s, int xSize, int ySize, const char* field, bool allowPass) {
  Loc loc;
  if (s.size() >= 5 && s.front() == '(' && s.back() == ')') {
    int x = -1, y = -1;
    char tail = 0;
    if (std::sscanf(s.c_str(), "(%d,%d%c", &x, &y, &tail) == 3 && tail == ')' && x >= 0 && y >= 0 &&
        x < xSize && y < ySize) {
      Board b(xSize, ySize);
      return b.loc(x, y);
    }
    fail(field, "Could not parse board location: " + s);
  }
  if (!tryParseLoc(s, xSize, ySize, loc)) fail(field, "Could not parse board location: " + s);
  if (loc == kPassLoc && !allowPass) fail(field, "Could not parse board location: " + s);
  return loc;
}

std::vector<Move> parseMoves(const json& in, const char* field, int xSize, int ySize,
                             bool allowPass) {
  const json& v = in.at(field);
  if (!v.is_array()) fail(field, kMovesShape);
  std::vector<Move> out;
  for (const json& m : v) {
    if (!m.is_array() || m.size() != 2 || !m[1].is_string()) fail(field, kMovesShape);
    if (!m[0].is_string()) fail(field, kMovesShape);
    const std::string p = m[0].get<std::string>();
    Color c;
    if (p == "b" || p == "B")
      c = Color::kBlack;
    else if (p == "w" || p == "W")
      c = Color::kWhite;
    else
      fail(field, "Could not parse player: " + p);
    out.push_back(Move{parseVertex(m[1].get<std::string>(), xSize, ySize, field, allowPass), c});
  }
  return out;
}

// overrideSettings: values of any JSON scalar type, set through the option
// table so that names, types and ranges are checked as for the config file.
void applyOverrides(const json& in, config::OptionSet& options, const std::string& id,
                    std::vector<std::string>& messages) {
  const json& o = in.at("overrideSettings");
  if (!o.is_object()) fail("overrideSettings", "Must be an object");
  std::vector<std::string> unknown, fixed;
  for (auto it = o.begin(); it != o.end(); ++it) {
    const config::OptionSpec* decl = options.registry().find(it.key());
    if (!decl) {
      unknown.push_back(it.key());
      continue;
    }
    if (!decl->changeableAtRuntime) {
      fixed.push_back(it.key());
      continue;
    }
    std::string text;
    if (it->is_string())
      text = it->get<std::string>();
    else if (it->is_boolean() || it->is_number())
      text = it->dump();
    else
      fail("overrideSettings", "Could not set settings: " + it.key() + ": must be a scalar");
    try {
      options.set(it.key(), text, "overrideSettings");
    } catch (const std::exception& e) {
      fail("overrideSettings", std::string("Could not set settings: ") + e.what());
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& k : v) s += (s.empty() ? "" : ",") + k;
    return s;
  };
  if (!unknown.empty())
    messages.push_back(
        fieldWarningLine(id, "overrideSettings", "Unknown config params: " + join(unknown)));
  if (!fixed.empty())
    messages.push_back(fieldWarningLine(id, "overrideSettings",
                                        "Not settable per query (engine-wide): " + join(fixed)));
}

void parseMoveFilters(const json& in, const char* field, bool allowOnly, int xSize, int ySize,
                      search::MoveFilter& filter) {
  const json& v = in.at(field);
  if (!v.is_array()) fail(field, kRuleFilterShape);
  if (allowOnly && v.size() > 2)
    fail(field, "Currently allowMoves only allows at most one entry per player");
  bool seen[2] = {false, false};
  for (const json& d : v) {
    if (!d.is_object() || !has(d, "player") || !has(d, "moves") || !has(d, "untilDepth"))
      fail(field, kRuleFilterShape);
    search::MoveRule r;
    r.allowOnly = allowOnly;
    r.player = parsePlayer(d.at("player"), field);
    const json& ms = d.at("moves");
    if (!ms.is_array()) fail(field, kRuleFilterShape);
    for (const json& m : ms) {
      if (!m.is_string()) fail(field, kRuleFilterShape);
      r.moves.push_back(parseVertex(m.get<std::string>(), xSize, ySize, field, true));
    }
    const json& u = d.at("untilDepth");
    if (!u.is_number_integer() || u.get<int64_t>() < 1 || u.get<int64_t>() > 1000000000)
      fail(field, "untilDepth must be a positive integer");
    r.untilDepth = static_cast<int>(u.get<int64_t>());
    const int k = r.player == Color::kBlack ? 0 : 1;
    if (allowOnly && seen[k])
      fail(field, "Cannot specify allowMoves more than once for the same player");
    seen[k] = true;
    filter.rules.push_back(std::move(r));
  }
}

Rules parseRules(const json& in) {
  if (!has(in, "rules"))
    fail("rules",
         "Must specify rules string, such as \"chinese\" or \"tromp-taylor\", or a JSON object "
         "with detailed rules parameters.");
  const json& v = in.at("rules");
  std::string text;
  if (v.is_string())
    text = v.get<std::string>();
  else if (v.is_object())
    text = v.dump();
  else
    fail("rules",
         "Must specify rules string, such as \"chinese\" or \"tromp-taylor\", or a JSON object "
         "with detailed rules parameters.");
  Rules rules;
  std::string error;
  if (!Rules::tryParse(text, rules, &error)) fail("rules", "Could not parse rules: " + text);
  return rules;
}

// Turns, their positions and priorities.
void buildTurns(const json& in, const Board& initial, Color initialPlayer, const Rules& rules,
                const std::vector<Move>& moves, const config::Params& p, Query& q) {
  std::vector<int> turns;
  if (has(in, "analyzeTurns")) {
    const json& a = in.at("analyzeTurns");
    if (!a.is_array())
      fail("analyzeTurns", "Must specify an array of integers indicating turns to analyze");
    for (const json& t : a) {
      if (!t.is_number_integer())
        fail("analyzeTurns", "Must specify an array of integers indicating turns to analyze");
      const int64_t n = t.get<int64_t>();
      if (n < 0 || n > static_cast<int64_t>(moves.size()))
        fail("analyzeTurns", "Invalid turn number: " + std::to_string(n));
      turns.push_back(static_cast<int>(n));
    }
  } else {
    turns.push_back(static_cast<int>(moves.size()));
  }
  std::vector<int64_t> priorities(turns.size(), 0);
  if (has(in, "priority")) {
    if (has(in, "priorities")) fail("priority", "Cannot specify both priority and priorities");
    const int64_t pr = getInt(in, "priority", -(int64_t(1) << 62), int64_t(1) << 62,
                              "Must be a number between -2^62 and 2^62");
    std::fill(priorities.begin(), priorities.end(), pr);
  } else if (has(in, "priorities")) {
    const json& a = in.at("priorities");
    if (!a.is_array())
      fail("priorities", "Must specify an array of integers indicating priorities");
    if (!has(in, "analyzeTurns"))
      fail("priorities", "Can only specify when also specifying analyzeTurns");
    if (a.size() != turns.size()) fail("priorities", "Must be of matching length to analyzeTurns");
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_number_integer())
        fail("priorities", "Must specify an array of integers indicating priorities");
      priorities[i] = a[i].get<int64_t>();
    }
  }

  // Every move is checked now, so that an illegal one refuses the query.
  GameState g(initial, initialPlayer, rules);
  g.setAssumeMultipleStartingBlackMovesAreHandicap(true);
  for (size_t t = 0; t < moves.size(); ++t) {
    if (!g.playAsGtp(moves[t].loc, moves[t].color, p.preventCleanupPhase))
      fail("moves", "Illegal move " + std::to_string(t) + ": " +
                        locToString(moves[t].loc, initial.xSize(), initial.ySize()));
  }
  auto game = std::make_shared<GameRecord>();
  game->initial = initial;
  game->initialPlayer = initialPlayer;
  game->rules = rules;
  game->moves = moves;
  game->ignorePreRootHistory = p.ignorePreRootHistory;
  game->preventEncore = p.preventCleanupPhase;
  q.game = std::move(game);
  for (size_t i = 0; i < turns.size(); ++i) {
    TurnRequest r;
    r.turnNumber = turns[i];
    r.priority = static_cast<int>(std::clamp<int64_t>(priorities[i], INT32_MIN, INT32_MAX));
    q.turns.push_back(r);
  }
}

Query parseQuery(const json& in, const std::string& id, const ParseContext& ctx,
                 std::vector<std::string>& messages) {
  Query q;
  q.id = id;
  const std::string sizeError =
      "Must provide an integer from 2 to " + std::to_string(ctx.maxBoardSize);
  if (!has(in, "boardXSize")) fail("boardXSize", sizeError);
  if (!has(in, "boardYSize")) fail("boardYSize", sizeError);
  const int xSize = static_cast<int>(getInt(in, "boardXSize", 2, ctx.maxBoardSize, sizeError));
  const int ySize = static_cast<int>(getInt(in, "boardYSize", 2, ctx.maxBoardSize, sizeError));

  if (!has(in, "moves")) fail("moves", "Must specify an array of [player,location] pairs");
  const std::vector<Move> moves = parseMoves(in, "moves", xSize, ySize, true);
  Board initial(xSize, ySize);
  if (has(in, "initialStones")) {
    for (const Move& m : parseMoves(in, "initialStones", xSize, ySize, false)) {
      if (initial.at(m.loc) != Color::kEmpty)
        fail("initialStones", "Two stones on " + locToString(m.loc, initial));
      initial.setStone(m.loc, m.color);
    }
  }
  Color initialPlayer = moves.empty() ? Color::kBlack : moves.front().color;
  if (has(in, "initialPlayer"))
    initialPlayer = parsePlayer(in.at("initialPlayer"), "initialPlayer");

  Rules rules = parseRules(in);
  if (has(in, "komi")) {
    const double komi = getDouble(in, "komi", Rules::kMinUserKomi, Rules::kMaxUserKomi,
                                  "Must be a integer or half-integer from -400 to 400");
    if (!Rules::komiIsIntOrHalfInt(static_cast<float>(komi)))
      fail("komi", "Must be a integer or half-integer from -400 to 400");
    rules.komi = static_cast<float>(komi);
  }
  if (has(in, "whiteHandicapBonus")) {
    const json& v = in.at("whiteHandicapBonus");
    if (!v.is_string()) fail("whiteHandicapBonus", "Must be a string");
    try {
      rules = rules.withSetting("whiteHandicapBonus", v.get<std::string>());
    } catch (const std::exception& e) {
      fail("whiteHandicapBonus", e.what());
    }
  }

  // Analysis defaults that differ from GTP's, as in KataGo's analysis engine.
  config::OptionSet options = *ctx.base;
  if (!ctx.base->isSet("ignorePreRootHistory"))
    options.set("ignorePreRootHistory", "true", "analysis");
  if (!ctx.base->isSet("reportAnalysisWinratesAs"))
    options.set("reportAnalysisWinratesAs", "BLACK", "analysis");
  if (!ctx.base->isSet("conservativePass")) options.set("conservativePass", "false", "analysis");
  if (has(in, "overrideSettings")) applyOverrides(in, options, id, messages);
  const config::Params& p = options.params();
  q.params = search::searchParamsFrom(p);
  q.report.pvLength = static_cast<int>(p.analysisPVLen);
  q.report.perspective = p.reportAnalysisWinratesAs == "BLACK"   ? Color::kBlack
                         : p.reportAnalysisWinratesAs == "WHITE" ? Color::kWhite
                                                                 : Color::kEmpty;

  if (has(in, "maxVisits"))
    q.maxVisits = getInt(in, "maxVisits", 1, int64_t(1) << 50, "Must be an integer from 1 to 2^50");
  if (has(in, "analysisPVLen"))
    q.report.pvLength =
        static_cast<int>(getInt(in, "analysisPVLen", 1, 1000, "Must be an integer from 1 to 1000"));
  if (has(in, "rootFpuReductionMax"))
    q.params.rootFpuReductionMax =
        getDouble(in, "rootFpuReductionMax", 0.0, 2.0, "Must be a number from 0.0 to 2.0");
  if (has(in, "rootPolicyTemperature"))
    q.params.rootPolicyTemperature =
        getDouble(in, "rootPolicyTemperature", 0.01, 100.0, "Must be a number from 0.01 to 100.0");
  ReportOptions& r = q.report;
  const std::pair<const char*, bool*> flags[] = {
      {"includeOwnership", &r.ownership},
      {"includeOwnershipStdev", &r.ownershipStdev},
      {"includeMovesOwnership", &r.movesOwnership},
      {"includeMovesOwnershipStdev", &r.movesOwnershipStdev},
      {"includePolicy", &r.policy},
      {"includePVVisits", &r.pvVisits},
      {"includeNoResultValue", &r.noResultValue},
  };
  for (const auto& [name, target] : flags)
    if (has(in, name)) *target = getBool(in, name);
  if (has(in, "reportDuringSearchEvery"))
    r.reportEvery = getDouble(in, "reportDuringSearchEvery", 0.001, 1000000.0,
                              "Must be number of seconds from 0.001 to 1000000.0");

  if (has(in, "avoidMoves") && has(in, "allowMoves"))
    fail("allowMoves", "Cannot specify both allowMoves and avoidMoves");
  if (has(in, "avoidMoves")) parseMoveFilters(in, "avoidMoves", false, xSize, ySize, q.filter);
  if (has(in, "allowMoves")) parseMoveFilters(in, "allowMoves", true, xSize, ySize, q.filter);

  buildTurns(in, initial, initialPlayer, rules, moves, p, q);
  for (auto it = in.begin(); it != in.end(); ++it)
    if (!kQueryFields.count(it.key()))
      messages.push_back(
          fieldWarningLine(id, it.key(), "Unexpected or unused field, do you have a typo?"));
  return q;
}

Action parseAction(const json& in, const std::string& id) {
  Action a;
  a.id = id;
  const json& v = in.at("action");
  a.name = v.is_string() ? v.get<std::string>() : "";
  static const std::set<std::string> kNames = {"query_version", "query_models", "clear_cache",
                                               "terminate", "terminate_all"};
  if (!kNames.count(a.name))
    throw FieldError{"",
                     "'action' field must be 'query_version' or 'query_models' or "
                     "'clear_cache' or 'terminate' or 'terminate_all'"};
  if (a.name == "terminate") {
    if (!has(in, "terminateId") || !in.at("terminateId").is_string())
      fail("terminateId",
           "Requests for a terminate action must have a string \"terminateId\" field");
    a.terminateId = in.at("terminateId").get<std::string>();
  }
  if ((a.name == "terminate" || a.name == "terminate_all") && has(in, "turnNumbers")) {
    const json& t = in.at("turnNumbers");
    const char* msg = "If provided, must be an array of integers indicating turns to terminate";
    if (!t.is_array()) fail("turnNumbers", msg);
    std::vector<int> turns;
    for (const json& n : t) {
      if (!n.is_number_integer()) fail("turnNumbers", msg);
      turns.push_back(static_cast<int>(n.get<int64_t>()));
    }
    a.turnNumbers = turns;
  }
  return a;
}

}  // namespace

std::string errorLine(const std::string& message) {
  return json{{"error", message}}.dump();
}

std::string fieldErrorLine(const std::string& id, const std::string& field,
                           const std::string& message) {
  return json{{"error", message}, {"field", field}, {"id", id}}.dump();
}

std::string fieldWarningLine(const std::string& id, const std::string& field,
                             const std::string& message) {
  return json{{"warning", message}, {"field", field}, {"id", id}}.dump();
}

GameState positionAt(const GameRecord& game, int turn) {
  GameState g(game.initial, game.initialPlayer, game.rules);
  g.setAssumeMultipleStartingBlackMovesAreHandicap(true);
  const int n = std::clamp(turn, 0, static_cast<int>(game.moves.size()));
  for (int t = 0; t < n; ++t)
    g.playAsGtp(game.moves[t].loc, game.moves[t].color, game.preventEncore);
  return g;
}

ParseResult parseLine(const std::string& line, const ParseContext& context) {
  ParseResult out;
  json in;
  try {
    in = json::parse(line);
  } catch (const std::exception& e) {
    std::string shown = line.size() > 200 ? line.substr(0, 200) + "..." : line;
    out.messages.push_back(errorLine(std::string(e.what()) +
                                     " - could not parse input line as json request: " + shown));
    return out;
  }
  if (!in.is_object()) {
    out.messages.push_back(
        errorLine("Request line was valid json but was not an object, ignoring"));
    return out;
  }
  if (!has(in, "id") || !in.at("id").is_string()) {
    out.messages.push_back(errorLine("Request must have a string \"id\" field"));
    return out;
  }
  const std::string id = in.at("id").get<std::string>();
  try {
    if (has(in, "action")) {
      out.action = parseAction(in, id);
      out.action->line = line;
    } else {
      out.query = parseQuery(in, id, context, out.messages);
    }
  } catch (const FieldError& e) {
    out.query.reset();
    out.action.reset();
    out.messages.push_back(e.field.empty() ? errorLine(e.message)
                                           : fieldErrorLine(id, e.field, e.message));
  } catch (const std::exception& e) {
    // Anything unforeseen (a board the game code refuses, ...) is still an
    // error line for this query only.
    out.query.reset();
    out.action.reset();
    out.messages.push_back(fieldErrorLine(id, "", e.what()));
  }
  return out;
}

}  // namespace hoshi::analysis
