#pragma once

// SGF (FF[4], reading FF[1-3] too): a syntax layer (collection -> trees ->
// nodes -> properties) and a game layer (size, komi, rules, setup stones and
// the main line of moves), plus replay into a GameState and writing back.
// Text is parsed completely before anything is used: errors are SgfError
// exceptions naming the problem and where it is, and never leave a game
// half changed.

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "game/board.h"
#include "game/game_state.h"
#include "game/rules.h"

namespace hoshi::sgf {

class SgfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --- Syntax ---------------------------------------------------------------------------------

struct Property {
  std::string id;                   // Upper-case letters only (FF[3] lower case is dropped).
  std::vector<std::string> values;  // Escapes resolved; soft line breaks removed.
};

struct Node {
  std::vector<Property> props;
  const Property* find(const std::string& id) const;
};

struct GameTree {
  std::vector<Node> sequence;
  std::vector<GameTree> variations;
};

// All game trees in the text (anything before the first '(' is skipped).
std::vector<GameTree> parseCollection(const std::string& text);
// Escapes ']' and '\' for a property value.
std::string escapeValue(const std::string& value);

// --- Game -----------------------------------------------------------------------------------

// One node of the main line after the root (a root move, if any, is step 0).
struct Step {
  std::vector<Move> setup;             // AB/AW (AE as kEmpty) in this node.
  Color playerToMove = Color::kEmpty;  // PL, if present.
  bool hasMove = false;
  Move move;  // B/W; loc kPassLoc for a pass.
};

struct Game {
  int xSize = 19;
  int ySize = 19;
  std::optional<float> komi;
  int handicap = 0;                    // HA, informational.
  std::string rules;                   // RU as written.
  std::vector<Move> setup;             // Root AB/AW/AE.
  Color playerToMove = Color::kEmpty;  // Root PL.
  // Other root properties (PB, PW, RE, DT, ...), in order, values as read.
  std::vector<std::pair<std::string, std::vector<std::string>>> info;
  std::vector<Step> steps;

  int numMoves() const;
  // First value of a root info property, or "".
  std::string infoValue(const std::string& id) const;
  void setInfo(const std::string& id, const std::string& value);
};

// First game tree of the text, main line only. Throws SgfError.
Game parseGame(const std::string& text);
// Reads and parses a file; errors name the file.
Game loadGameFile(const std::string& path);
// FF[4] text of the game (passes as B[]).
std::string writeGame(const Game& game);

// Rules for a game: RU if it names rules we know (else `fallback`), KM if present.
Rules rulesFor(const Game& game, const Rules& fallback);

// Replays the game into a fresh GameState under `rules`: setup, then moves
// tolerantly as GTP play does. untilMove N > 0 stops before move N (moves
// 1..N-1 are played; GTP loadsgf FILE N) and leaves move N's colour to play;
// untilMove <= 0 plays everything. Throws SgfError naming the bad move.
GameState replay(const Game& game, const Rules& rules, int untilMove = 0);

// A game record of the state: its initial position as setup, its moves, and
// SZ/KM/RU (and HA for a handicap start).
Game fromGameState(const GameState& state);

}  // namespace hoshi::sgf
