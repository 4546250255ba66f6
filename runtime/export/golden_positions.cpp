#include "export/golden_positions.h"

#include <fstream>
#include <stdexcept>

#include "game/board.h"
#include "game/rules.h"

namespace hoshi::exporter {

namespace {

// The text after "key": in a golden line (keys are unique and flat enough
// for this: only the top level has the fields read here).
std::string after(const std::string& line, const std::string& key) {
  const size_t at = line.find("\"" + key + "\":");
  if (at == std::string::npos) throw std::runtime_error("missing field '" + key + "'");
  size_t i = at + key.size() + 3;
  while (i < line.size() && line[i] == ' ') ++i;
  return line.substr(i);
}

double number(const std::string& line, const std::string& key) {
  try {
    return std::stod(after(line, key));
  } catch (const std::invalid_argument&) {
    throw std::runtime_error("field '" + key + "' is not a number");
  }
}

// The strings of a string value or of a (nested) array of strings.
std::vector<std::string> strings(const std::string& line, const std::string& key) {
  const std::string rest = after(line, key);
  std::vector<std::string> out;
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '[') ++depth;
    if (c == ']' && --depth <= 0) break;
    if (c != '"') continue;
    const size_t end = rest.find('"', i + 1);
    if (end == std::string::npos) throw std::runtime_error("unterminated string in '" + key + "'");
    out.push_back(rest.substr(i + 1, end - i - 1));
    i = end;
    if (depth == 0) break;
  }
  return out;
}

GoldenPosition replay(const std::string& line) {
  const int size = int(number(line, "board_size"));
  if (size < 2 || size > 19) throw std::runtime_error("board_size must be 2..19");
  Board board(size, size);
  const std::vector<std::string> handicap = strings(line, "handicap_stones");
  for (const std::string& v : handicap) board.setStone(parseLoc(v, board), Color::kBlack);
  const std::vector<std::string> rulesName = strings(line, "rules");
  if (rulesName.empty()) throw std::runtime_error("field 'rules' is not a string");
  const Rules rules = Rules::parseWithoutKomi(rulesName[0], float(number(line, "komi")));
  GoldenPosition p;
  p.state = GameState(board, handicap.empty() ? Color::kBlack : Color::kWhite, rules);
  const std::vector<std::string> moves = strings(line, "moves");
  for (size_t i = 0; i + 1 < moves.size(); i += 2) {
    const Color c = (moves[i] == "B" || moves[i] == "b") ? Color::kBlack : Color::kWhite;
    // As GTP play with KataGo's default preventCleanupPhase: two passes
    // under territory rules do not start the cleanup phase.
    if (!p.state.playAsGtp(parseLoc(moves[i + 1], board), c, true))
      throw std::runtime_error("illegal move " + moves[i] + " " + moves[i + 1]);
  }
  p.symmetry = int(number(line, "symmetry"));
  if (p.symmetry < 0 || p.symmetry > 7) throw std::runtime_error("symmetry must be 0..7");
  const std::vector<std::string> id = strings(line, "id");
  p.id = id.empty() ? "" : id[0];
  return p;
}

}  // namespace

std::vector<GoldenPosition> readGoldenPositions(const std::string& path, int limit) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read golden positions '" + path + "'");
  std::vector<GoldenPosition> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    if (limit > 0 && int(out.size()) >= limit) break;
    try {
      out.push_back(replay(line));
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  if (out.empty()) throw std::runtime_error("no positions in '" + path + "'");
  return out;
}

}  // namespace hoshi::exporter
