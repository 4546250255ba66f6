#include "quant/golden.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "game/board.h"
#include "game/rules.h"

namespace hoshi::quant {

namespace {

using Json = nlohmann::json;

void addLine(const std::string& line, GoldenPositions& out) {
  const Json j = Json::parse(line);
  const int size = j.at("board_size").get<int>();
  if (size < 2 || size > 19) throw std::runtime_error("board_size must be 2..19");
  Board board(size, size);
  const auto handicap = j.at("handicap_stones").get<std::vector<std::string>>();
  for (const std::string& v : handicap) board.setStone(parseLoc(v, board), Color::kBlack);
  const Rules rules =
      Rules::parseWithoutKomi(j.at("rules").get<std::string>(), j.at("komi").get<float>());
  GameState state(board, handicap.empty() ? Color::kBlack : Color::kWhite, rules);
  for (const Json& m : j.at("moves")) {
    const std::string who = m.at(0).get<std::string>();
    const std::string where = m.at(1).get<std::string>();
    const Color c = who == "B" || who == "b" ? Color::kBlack : Color::kWhite;
    // As GTP play with KataGo's default preventCleanupPhase (kata-raw-nn's
    // positions): two passes under territory rules do not start the cleanup
    // phase.
    if (!state.playAsGtp(parseLoc(where, board), c, true))
      throw std::runtime_error("illegal move " + who + " " + where);
  }
  const int symmetry = j.at("symmetry").get<int>();
  if (symmetry < 0 || symmetry > 7) throw std::runtime_error("symmetry must be 0..7");
  out.ids.push_back(j.value("id", std::string()));
  out.states.push_back(std::move(state));
  out.symmetries.push_back(symmetry);
}

}  // namespace

GoldenPositions loadGoldenPositions(const std::string& path, int limit) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read golden positions '" + path + "'");
  GoldenPositions out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    if (limit > 0 && int(out.states.size()) >= limit) break;
    try {
      addLine(line, out);
    } catch (const std::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  if (out.states.empty()) throw std::runtime_error("no positions in '" + path + "'");
  return out;
}

}  // namespace hoshi::quant
