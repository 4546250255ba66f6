#include "quant/golden.h"

#include <fstream>
#include <stdexcept>

#include "game/board.h"
#include "game/rules.h"

namespace hoshi::quant {

namespace {

// Just enough JSON for the golden lines: a top-level key's number, or every
// string in its value (a string or an array of them).
std::string rawValue(const std::string& line, const std::string& key) {
  size_t at = line.find("\"" + key + "\":");
  if (at == std::string::npos) throw std::runtime_error("no key " + key);
  return line.substr(at + key.size() + 3);
}

double numberOf(const std::string& line, const std::string& key) {
  return std::stod(rawValue(line, key));
}

std::vector<std::string> stringsOf(const std::string& line, const std::string& key) {
  const std::string rest = rawValue(line, key);
  std::vector<std::string> out;
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '[') ++depth;
    if (c == ']' && --depth <= 0) break;
    if (c == '"') {
      const size_t end = rest.find('"', i + 1);
      if (end == std::string::npos) throw std::runtime_error("unterminated string in " + key);
      out.push_back(rest.substr(i + 1, end - i - 1));
      i = end;
      if (depth == 0) break;  // a plain string value
    }
  }
  return out;
}

void addLine(const std::string& line, GoldenPositions& out) {
  const int size = int(numberOf(line, "board_size"));
  if (size < 2 || size > 19) throw std::runtime_error("bad board_size");
  Board board(size, size);
  const std::vector<std::string> handicap = stringsOf(line, "handicap_stones");
  for (const std::string& v : handicap) board.setStone(parseLoc(v, board), Color::kBlack);
  Rules rules =
      Rules::parseWithoutKomi(stringsOf(line, "rules").at(0), float(numberOf(line, "komi")));
  GameState state(board, handicap.empty() ? Color::kBlack : Color::kWhite, rules);
  const std::vector<std::string> moves = stringsOf(line, "moves");
  for (size_t i = 0; i + 1 < moves.size(); i += 2) {
    const Color c = moves[i] == "B" || moves[i] == "b" ? Color::kBlack : Color::kWhite;
    if (!state.playAsGtp(parseLoc(moves[i + 1], board), c))
      throw std::runtime_error("illegal move " + moves[i + 1]);
  }
  const int symmetry = int(numberOf(line, "symmetry"));
  if (symmetry < 0 || symmetry > 7) throw std::runtime_error("bad symmetry");
  out.ids.push_back(stringsOf(line, "id").at(0));
  out.states.push_back(std::move(state));
  out.symmetries.push_back(symmetry);
}

}  // namespace

GoldenPositions loadGoldenPositions(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read golden positions '" + path + "'");
  GoldenPositions out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    try {
      addLine(line, out);
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace hoshi::quant
