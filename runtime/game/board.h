#pragma once

// The Go board: fixed capacity (up to 19x19, any rectangle from 2x2), padded
// 1-D points, chains kept as circular linked lists with liberty counts, and an
// incremental Zobrist key. Semantics (capture, suicide, simple ko) follow
// KataGo's Board so that network input features match it bit for bit.
//
// Layout: loc = (x+1) + (y+1)*(xSize+1); x from the left (column A is 0), y
// from the top (y = 0 is the highest GTP row). Off-board points are kWall.
// The board does not enforce turn order, superko or rules; GameState does.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "game/zobrist.h"

namespace hoshi {

enum class Color : uint8_t { kEmpty = 0, kBlack = 1, kWhite = 2, kWall = 3 };

constexpr Color opponent(Color c) {
  return static_cast<Color>(static_cast<uint8_t>(c) ^ 3);
}
constexpr bool isStone(Color c) {
  return c == Color::kBlack || c == Color::kWhite;
}
// 'B', 'W', '.', '#'.
char colorChar(Color c);
// "B"/"b"/"black"/"W"/"w"/"white" (any case); false otherwise.
bool tryParseColor(const std::string& s, Color& out);

using Loc = int16_t;
inline constexpr Loc kNullLoc = 0;  // Never on the board: "no point".
inline constexpr Loc kPassLoc = 1;  // Never on the board: a pass.

struct Move {
  Loc loc = kNullLoc;
  Color color = Color::kEmpty;
};

class Board {
 public:
  // What play() changed, for undo(). Undo records must be undone in reverse order.
  struct UndoRecord {
    Loc loc = kNullLoc;
    Color color = Color::kEmpty;
    Loc prevKoLoc = kNullLoc;
    uint8_t captureDirs = 0;  // Bit i: the neighbour at adjOffset(i) was captured.
    bool suicide = false;
  };

  Board() : Board(19, 19) {}
  // Throws std::invalid_argument unless 2 <= size <= 19.
  Board(int xSize, int ySize);

  int xSize() const { return xSize_; }
  int ySize() const { return ySize_; }
  // The Loc of point (x, y) on a board xSize wide (what loc() gives).
  static Loc locOf(int x, int y, int xSize) {
    return static_cast<Loc>((x + 1) + (y + 1) * (xSize + 1));
  }
  Loc loc(int x, int y) const { return locOf(x, y, xSize_); }
  int x(Loc l) const { return l % (xSize_ + 1) - 1; }
  int y(Loc l) const { return l / (xSize_ + 1) - 1; }
  // Offsets 0..3 are the four neighbours (-y, -x, +x, +y), 4..7 the diagonals.
  int adjOffset(int i) const { return adj_[i]; }

  Color at(Loc l) const { return colors_[l]; }
  const Color* colors() const { return colors_.data(); }
  bool isOnBoard(Loc l) const { return l >= 0 && l < kMaxArrSize && colors_[l] != Color::kWall; }
  bool isEmpty() const { return numStones_[0] + numStones_[1] == 0; }

  // Chain queries; precondition: a stone at l.
  Loc chainHead(Loc l) const { return head_[l]; }
  Loc nextInChain(Loc l) const { return next_[l]; }
  int numLiberties(Loc l) const { return libs_[head_[l]]; }
  int chainSize(Loc l) const { return size_[head_[l]]; }
  std::vector<Loc> chainStones(Loc l) const;
  template <class F>
  void forEachChainStone(Loc l, F&& f) const {
    Loc cur = l;
    do {
      f(cur);
      cur = next_[cur];
    } while (cur != l);
  }
  // Liberties of the chain at l, in no particular order.
  std::vector<Loc> chainLiberties(Loc l) const;

  // Simple-ko ban point (KataGo's ko_loc): set after a single-stone capture by
  // a lone stone left with one liberty; kNullLoc otherwise.
  Loc koLoc() const { return koLoc_; }
  void clearKoLoc() { koLoc_ = kNullLoc; }
  void setKoLoc(Loc l) { koLoc_ = l; }
  bool isKoBanned(Loc l) const { return l == koLoc_ && l != kNullLoc; }

  int numEmptyNeighbours(Loc l) const;
  // Would a stone of c at l have no liberties after captures (pass: false)?
  bool isSuicide(Loc l, Color c) const;
  // Single-stone suicide is always illegal; multi-stone suicide only when not allowed.
  bool isIllegalSuicide(Loc l, Color c, bool multiStoneSuicideLegal) const;
  bool isLegalIgnoringKo(Loc l, Color c, bool multiStoneSuicideLegal) const;
  // KataGo's Board::isLegal: empty point, not simple-ko banned, not illegal suicide; pass is legal.
  bool isLegalIgnoringSuperko(Loc l, Color c, bool multiStoneSuicideLegal) const;
  bool wouldBeCapture(Loc l, Color c) const;
  // True when l is a ko mouth: all neighbours are c's opponent or wall, and
  // exactly one of them, a single stone, is in atari.
  bool wouldBeKoCapture(Loc l, Color c) const { return koCaptureLoc(l, c) != kNullLoc; }
  // The stone that wouldBeKoCapture would take, or kNullLoc.
  Loc koCaptureLoc(Loc l, Color c) const;
  bool isSimpleEye(Loc l, Color c) const;
  bool isAdjacentToColor(Loc l, Color c) const;
  int numStones(Color c) const { return numStones_[static_cast<int>(c) - 1]; }
  // Stones of colour c removed from the board so far (captures and suicides).
  int numCaptured(Color c) const { return numCaptured_[static_cast<int>(c) - 1]; }

  // Play a move assumed legal (ignoring turn order); pass clears the ko point.
  UndoRecord play(Loc l, Color c);
  void undo(const UndoRecord& rec);
  // Checks legality first (ignoring superko); false and no change if illegal.
  bool tryPlay(Loc l, Color c, bool multiStoneSuicideLegal);

  // Setup (AB/AW/AE, handicap): put c (or kEmpty) at l, resolving any capture
  // or self-capture like a move; clears the ko point. False if l is off-board.
  bool setStone(Loc l, Color c);

  // Key of the stones and the board size (KataGo's pos_hash).
  Hash128 positionHash() const { return hash_; }
  // Position plus simple-ko point plus side to move.
  Hash128 situationHashWithKo(Color toMove) const;
  // positionHash() after c plays at l (an empty point), resolving captures and suicide.
  Hash128 positionHashAfterMove(Loc l, Color c) const;

  // Rows top to bottom, 'X' black, 'O' white, '.' empty, separated by '\n'.
  std::string toString() const;
  // Inverse of toString (also accepts 'x'/'o'/'B'/'W'/'b'/'w', '.'/'+'/'-', spaces ignored).
  static Board parse(int xSize, int ySize, const std::string& rows);

  // Debug check of chains, liberties and hash; throws std::logic_error.
  void checkConsistency() const;
  // Same stones and sizes, ko point and capture counts (chain layout may differ).
  bool samePosition(const Board& other) const;

 private:
  void rebuildChain(Loc start);
  int removeChain(Loc l);
  // Occupy the empty region containing start with c; returns stones placed.
  int fillRegion(Loc start, Color c);
  // Remove the stone at l; the rest of its chain may split.
  void liftAndSplit(Loc l);
  void addToNeighbourChains(Loc l, Color chainColor, int delta);
  void putStone(Loc l, Color c);
  void liftStone(Loc l);

  int xSize_ = 0;
  int ySize_ = 0;
  std::array<int16_t, 8> adj_{};
  std::array<Color, kMaxArrSize> colors_{};
  std::array<Loc, kMaxArrSize> head_{};
  std::array<Loc, kMaxArrSize> next_{};
  std::array<int16_t, kMaxArrSize> libs_{};  // Valid at chain heads.
  std::array<int16_t, kMaxArrSize> size_{};  // Valid at chain heads.
  Loc koLoc_ = kNullLoc;
  Hash128 hash_;
  std::array<int, 2> numStones_{};
  std::array<int, 2> numCaptured_{};
};

// GTP vertices: "D4", "d4", "pass" (any case). Column letters skip I; row 1 is
// the bottom. tryParse reports why a string was rejected in *error if given.
std::string locToString(Loc l, int xSize, int ySize);
inline std::string locToString(Loc l, const Board& b) {
  return locToString(l, b.xSize(), b.ySize());
}
bool tryParseLoc(const std::string& s, int xSize, int ySize, Loc& out,
                 std::string* error = nullptr);
// Throws std::invalid_argument with a message naming the vertex.
Loc parseLoc(const std::string& s, int xSize, int ySize);
inline Loc parseLoc(const std::string& s, const Board& b) {
  return parseLoc(s, b.xSize(), b.ySize());
}

}  // namespace hoshi
