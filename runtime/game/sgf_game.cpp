// SGF game layer: from syntax trees to a Game and back, and replay.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "game/sgf.h"

namespace hoshi::sgf {

namespace {

int coordOf(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 26;
  return -1;
}

char coordChar(int v) {
  return static_cast<char>(v < 26 ? 'a' + v : 'A' + v - 26);
}

Loc pointLoc(int x, int y, int xSize) {
  return static_cast<Loc>((x + 1) + (y + 1) * (xSize + 1));
}

// A move value: "" or (on boards up to 19x19) "tt" is a pass.
Loc parseMovePoint(const std::string& raw, int xs, int ys, const std::string& where) {
  // Stray line breaks inside point values occur in old records.
  std::string v;
  for (char c : raw)
    if (!std::isspace(static_cast<unsigned char>(c))) v += c;
  if (v.empty() || (v == "tt" && xs <= 19 && ys <= 19)) return kPassLoc;
  int x = v.size() == 2 ? coordOf(v[0]) : -1, y = v.size() == 2 ? coordOf(v[1]) : -1;
  if (x < 0 || y < 0) throw SgfError(where + ": bad point '" + v + "'");
  if (x >= xs || y >= ys)
    throw SgfError(where + ": point '" + v + "' is off the " + std::to_string(xs) + "x" +
                   std::to_string(ys) + " board");
  return pointLoc(x, y, xs);
}

// Setup values: single points or compressed rectangles "aa:cc".
void parseSetupList(const Property& p, Color c, int xs, int ys, const std::string& where,
                    std::vector<Move>& out) {
  for (const std::string& v : p.values) {
    size_t colon = v.find(':');
    if (colon == std::string::npos) {
      Loc l = parseMovePoint(v, xs, ys, where + " " + p.id);
      if (l == kPassLoc) throw SgfError(where + " " + p.id + ": empty setup point");
      out.push_back({l, c});
      continue;
    }
    Loc a = parseMovePoint(v.substr(0, colon), xs, ys, where + " " + p.id);
    Loc b = parseMovePoint(v.substr(colon + 1), xs, ys, where + " " + p.id);
    if (a == kPassLoc || b == kPassLoc)
      throw SgfError(where + " " + p.id + ": bad rectangle '" + v + "'");
    int x0 = a % (xs + 1) - 1, y0 = a / (xs + 1) - 1, x1 = b % (xs + 1) - 1, y1 = b / (xs + 1) - 1;
    for (int y = std::min(y0, y1); y <= std::max(y0, y1); y++)
      for (int x = std::min(x0, x1); x <= std::max(x0, x1); x++)
        out.push_back({pointLoc(x, y, xs), c});
  }
}

// One entry per point (the last one written wins), black first, then white,
// then empty points, each by position: the order the writer uses.
void normalizeSetup(std::vector<Move>& setup) {
  std::vector<Move> out;
  for (size_t i = setup.size(); i-- > 0;) {
    bool later = false;
    for (const Move& m : out) later |= m.loc == setup[i].loc;
    if (!later) out.push_back(setup[i]);
  }
  auto rank = [](Color c) { return c == Color::kBlack ? 0 : c == Color::kWhite ? 1 : 2; };
  std::sort(out.begin(), out.end(), [&](const Move& a, const Move& b) {
    return rank(a.color) != rank(b.color) ? rank(a.color) < rank(b.color) : a.loc < b.loc;
  });
  setup = out;
}

Color parsePlayer(const Property& p, const std::string& where) {
  Color c;
  if (p.values.size() != 1 || !tryParseColor(p.values[0], c))
    throw SgfError(where + ": bad PL value");
  return c;
}

void parseSize(const Node& root, Game& g) {
  const Property* sz = root.find("SZ");
  if (!sz) return;
  const std::string& v = sz->values.at(0);
  size_t colon = v.find(':');
  char* end = nullptr;
  long x = std::strtol(v.c_str(), &end, 10), y = x;
  bool ok =
      end != v.c_str() && (colon == std::string::npos ? *end == '\0' : end == v.c_str() + colon);
  if (ok && colon != std::string::npos) {
    const char* rest = v.c_str() + colon + 1;
    y = std::strtol(rest, &end, 10);
    ok = end != rest && *end == '\0';
  }
  if (!ok) throw SgfError("root: bad SZ value '" + v + "'");
  if (x < 2 || y < 2 || x > kMaxBoardLen || y > kMaxBoardLen)
    throw SgfError("root: board size SZ[" + v + "] is not supported (2 to 19)");
  g.xSize = static_cast<int>(x);
  g.ySize = static_cast<int>(y);
}

// Some records (GNU Go's among them) put two moves in one node: each becomes its own step.
void parseMove(const Property& p, const Game& g, const std::string& where, std::vector<Step>& out) {
  if (p.values.size() != 1) throw SgfError(where + ": move " + p.id + " needs one value");
  if (out.empty() || out.back().hasMove) out.emplace_back();
  out.back().hasMove = true;
  out.back().move = {parseMovePoint(p.values[0], g.xSize, g.ySize, where),
                     p.id == "B" ? Color::kBlack : Color::kWhite};
}

void parseRootProperty(const Property& p, Game& g, std::vector<Step>& rootMoves) {
  const std::string where = "root";
  const std::string& v = p.values.at(0);
  if (p.id == "SZ" || p.id == "FF" || p.id == "CA") return;
  if (p.id == "GM") {
    if (v != "1") throw SgfError("root: GM[" + v + "] is not a game of Go");
  } else if (p.id == "KM") {
    char* end = nullptr;
    double k = std::strtod(v.c_str(), &end);
    // Beyond float range the conversion below is undefined (in practice inf,
    // which writeGame would print and parseGame refuse).
    if (v.empty() || *end != '\0' || !std::isfinite(k) ||
        std::fabs(k) > std::numeric_limits<float>::max())
      throw SgfError("root: bad KM value '" + v + "'");
    g.komi = static_cast<float>(k);
  } else if (p.id == "HA") {
    char* end = nullptr;
    long h = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || h < 0 || h > 400)
      throw SgfError("root: bad HA value '" + v + "'");
    g.handicap = static_cast<int>(h);
  } else if (p.id == "RU") {
    g.rules = v;
  } else if (p.id == "AB" || p.id == "AW" || p.id == "AE") {
    Color c = p.id == "AB" ? Color::kBlack : p.id == "AW" ? Color::kWhite : Color::kEmpty;
    parseSetupList(p, c, g.xSize, g.ySize, where, g.setup);
  } else if (p.id == "PL") {
    g.playerToMove = parsePlayer(p, where);
  } else if (p.id == "B" || p.id == "W") {
    parseMove(p, g, where, rootMoves);
  } else {
    g.info.emplace_back(p.id, p.values);
  }
}

std::string pointText(Loc l, int xs) {
  if (l == kPassLoc) return "";
  return std::string(1, coordChar(l % (xs + 1) - 1)) + coordChar(l / (xs + 1) - 1);
}

void writeSetup(std::ostringstream& out, const std::vector<Move>& setup, int xs) {
  for (Color c : {Color::kBlack, Color::kWhite, Color::kEmpty}) {
    bool any = false;
    for (const Move& m : setup) {
      if (m.color != c) continue;
      if (!any) out << (c == Color::kBlack ? "AB" : c == Color::kWhite ? "AW" : "AE");
      any = true;
      out << "[" << pointText(m.loc, xs) << "]";
    }
  }
}

std::string formatKomi(float k) {
  std::ostringstream o;
  o << k;
  return o.str();
}

}  // namespace

int Game::numMoves() const {
  int n = 0;
  for (const Step& s : steps) n += s.hasMove;
  return n;
}

std::string Game::infoValue(const std::string& id) const {
  for (const auto& [k, v] : info)
    if (k == id && !v.empty()) return v[0];
  return "";
}

void Game::setInfo(const std::string& id, const std::string& value) {
  for (auto& [k, v] : info)
    if (k == id) {
      v = {value};
      return;
    }
  info.emplace_back(id, std::vector<std::string>{value});
}

Game parseGame(const std::string& text) {
  std::vector<GameTree> trees = parseCollection(text);
  std::vector<const Node*> line;
  for (const GameTree* t = &trees[0];; t = &t->variations[0]) {
    for (const Node& n : t->sequence) line.push_back(&n);
    if (t->variations.empty()) break;
  }
  Game g;
  const Node& root = *line[0];
  parseSize(root, g);
  for (const Property& p : root.props) parseRootProperty(p, g, g.steps);
  normalizeSetup(g.setup);
  for (size_t i = 1; i < line.size(); i++) {
    // Set-up and PL apply before the node's move(s).
    Step head;
    std::vector<Step> moves;
    const std::string where = "node " + std::to_string(i);
    for (const Property& p : line[i]->props) {
      if (p.id == "B" || p.id == "W") {
        parseMove(p, g, where, moves);
      } else if (p.id == "AB" || p.id == "AW" || p.id == "AE") {
        Color c = p.id == "AB" ? Color::kBlack : p.id == "AW" ? Color::kWhite : Color::kEmpty;
        parseSetupList(p, c, g.xSize, g.ySize, where, head.setup);
      } else if (p.id == "PL") {
        head.playerToMove = parsePlayer(p, where);
      }
    }
    normalizeSetup(head.setup);
    if (!moves.empty()) {
      moves[0].setup = head.setup;
      moves[0].playerToMove = head.playerToMove;
      g.steps.insert(g.steps.end(), moves.begin(), moves.end());
    } else if (!head.setup.empty() || head.playerToMove != Color::kEmpty) {
      g.steps.push_back(head);
    }
  }
  return g;
}

Game loadGameFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SgfError("cannot open SGF file '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  try {
    return parseGame(buf.str());
  } catch (const SgfError& e) {
    throw SgfError(path + ": " + e.what());
  }
}

std::string writeGame(const Game& g) {
  std::ostringstream out;
  out << "(;FF[4]GM[1]CA[UTF-8]SZ[" << g.xSize;
  if (g.ySize != g.xSize) out << ":" << g.ySize;
  out << "]";
  if (g.komi) out << "KM[" << formatKomi(*g.komi) << "]";
  if (g.handicap > 0) out << "HA[" << g.handicap << "]";
  if (!g.rules.empty()) out << "RU[" << escapeValue(g.rules) << "]";
  for (const auto& [id, values] : g.info) {
    out << id;
    for (const std::string& v : values) out << "[" << escapeValue(v) << "]";
  }
  writeSetup(out, g.setup, g.xSize);
  if (g.playerToMove != Color::kEmpty) out << "PL[" << colorChar(g.playerToMove) << "]";
  out << "\n";
  int n = 0;
  for (const Step& s : g.steps) {
    out << ";";
    writeSetup(out, s.setup, g.xSize);
    if (s.playerToMove != Color::kEmpty) out << "PL[" << colorChar(s.playerToMove) << "]";
    if (s.hasMove) out << colorChar(s.move.color) << "[" << pointText(s.move.loc, g.xSize) << "]";
    if (++n % 12 == 0) out << "\n";
  }
  out << ")\n";
  return out.str();
}

Rules rulesFor(const Game& g, const Rules& fallback) {
  Rules r = fallback;
  Rules named;
  if (!g.rules.empty() && Rules::tryParse(g.rules, named)) r = named;
  r.komi = fallback.komi;
  if (g.komi) {
    // Old records sometimes carry odd komi; keep the nearest legal value.
    float k = std::round(*g.komi * 2.0f) / 2.0f;
    r.komi = std::max(Rules::kMinUserKomi, std::min(Rules::kMaxUserKomi, k));
  }
  return r;
}

}  // namespace hoshi::sgf
