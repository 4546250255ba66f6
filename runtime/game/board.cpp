#include "game/board.h"

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace hoshi {

namespace {

int colorIndex(Color c) {
  return static_cast<int>(c) - 1;
}

const Hash128& stoneKey(Loc l, Color c) {
  return zobrist::kTables.stone[l][colorIndex(c)];
}

// Column letters of GTP vertices: I is skipped to avoid confusion with J.
constexpr const char* kColumns = "ABCDEFGHJKLMNOPQRST";

}  // namespace

std::string Hash128::toString() const {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(hi),
                static_cast<unsigned long long>(lo));
  return buf;
}

char colorChar(Color c) {
  switch (c) {
    case Color::kBlack:
      return 'B';
    case Color::kWhite:
      return 'W';
    case Color::kEmpty:
      return '.';
    default:
      return '#';
  }
}

bool tryParseColor(const std::string& s, Color& out) {
  std::string t;
  for (char ch : s) t += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (t == "b" || t == "black") {
    out = Color::kBlack;
    return true;
  }
  if (t == "w" || t == "white") {
    out = Color::kWhite;
    return true;
  }
  return false;
}

Board::Board(int xSize, int ySize) : xSize_(xSize), ySize_(ySize) {
  if (xSize < 2 || ySize < 2 || xSize > kMaxBoardLen || ySize > kMaxBoardLen)
    throw std::invalid_argument("board size must be between 2 and 19, got " +
                                std::to_string(xSize) + "x" + std::to_string(ySize));
  colors_.fill(Color::kWall);
  for (int y = 0; y < ySize; y++)
    for (int x = 0; x < xSize; x++) colors_[loc(x, y)] = Color::kEmpty;
  const int row = xSize + 1;
  adj_ = {static_cast<int16_t>(-row),
          -1,
          1,
          static_cast<int16_t>(row),
          static_cast<int16_t>(-row - 1),
          static_cast<int16_t>(-row + 1),
          static_cast<int16_t>(row - 1),
          static_cast<int16_t>(row + 1)};
  hash_ = zobrist::kTables.sizeX[xSize] ^ zobrist::kTables.sizeY[ySize];
}

std::vector<Loc> Board::chainStones(Loc l) const {
  std::vector<Loc> out;
  forEachChainStone(l, [&](Loc s) { out.push_back(s); });
  return out;
}

std::vector<Loc> Board::chainLiberties(Loc l) const {
  std::array<bool, kMaxArrSize> seen{};
  std::vector<Loc> out;
  forEachChainStone(l, [&](Loc s) {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + adj_[i]);
      if (colors_[a] == Color::kEmpty && !seen[a]) {
        seen[a] = true;
        out.push_back(a);
      }
    }
  });
  return out;
}

int Board::numEmptyNeighbours(Loc l) const {
  int n = 0;
  for (int i = 0; i < 4; i++) n += colors_[l + adj_[i]] == Color::kEmpty;
  return n;
}

bool Board::isSuicide(Loc l, Color c) const {
  if (l == kPassLoc) return false;
  Color opp = opponent(c);
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    Color ac = colors_[a];
    if (ac == Color::kEmpty) return false;
    if (ac == c && numLiberties(a) > 1) return false;
    if (ac == opp && numLiberties(a) == 1) return false;
  }
  return true;
}

bool Board::isIllegalSuicide(Loc l, Color c, bool multiStoneSuicideLegal) const {
  Color opp = opponent(c);
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    Color ac = colors_[a];
    if (ac == Color::kEmpty) return false;
    // Touching a friendly chain makes it a multi-stone suicide at worst.
    if (ac == c && (multiStoneSuicideLegal || numLiberties(a) > 1)) return false;
    if (ac == opp && numLiberties(a) == 1) return false;
  }
  return true;
}

bool Board::isLegalIgnoringKo(Loc l, Color c, bool multiStoneSuicideLegal) const {
  if (!isStone(c)) return false;
  if (l == kPassLoc) return true;
  return l >= 0 && l < kMaxArrSize && colors_[l] == Color::kEmpty &&
         !isIllegalSuicide(l, c, multiStoneSuicideLegal);
}

bool Board::isLegalIgnoringSuperko(Loc l, Color c, bool multiStoneSuicideLegal) const {
  if (l != kPassLoc && isKoBanned(l)) return false;
  return isLegalIgnoringKo(l, c, multiStoneSuicideLegal);
}

bool Board::wouldBeCapture(Loc l, Color c) const {
  if (colors_[l] != Color::kEmpty) return false;
  Color opp = opponent(c);
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] == opp && numLiberties(a) == 1) return true;
  }
  return false;
}

Loc Board::koCaptureLoc(Loc l, Color c) const {
  if (l < 0 || l >= kMaxArrSize || colors_[l] != Color::kEmpty) return kNullLoc;
  Color opp = opponent(c);
  Loc victim = kNullLoc;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] != Color::kWall && colors_[a] != opp) return kNullLoc;
    if (colors_[a] == opp && numLiberties(a) == 1) {
      if (victim != kNullLoc) return kNullLoc;
      victim = a;
    }
  }
  if (victim == kNullLoc || chainSize(victim) != 1) return kNullLoc;
  return victim;
}

bool Board::isSimpleEye(Loc l, Color c) const {
  if (colors_[l] != Color::kEmpty) return false;
  bool edge = false;
  for (int i = 0; i < 4; i++) {
    Color ac = colors_[l + adj_[i]];
    if (ac == Color::kWall)
      edge = true;
    else if (ac != c)
      return false;
  }
  int oppCorners = 0;
  for (int i = 4; i < 8; i++) oppCorners += colors_[l + adj_[i]] == opponent(c);
  return oppCorners < (edge ? 1 : 2);
}

bool Board::isAdjacentToColor(Loc l, Color c) const {
  for (int i = 0; i < 4; i++)
    if (colors_[l + adj_[i]] == c) return true;
  return false;
}

void Board::putStone(Loc l, Color c) {
  colors_[l] = c;
  hash_ ^= stoneKey(l, c);
  numStones_[colorIndex(c)]++;
}

void Board::liftStone(Loc l) {
  Color c = colors_[l];
  hash_ ^= stoneKey(l, c);
  numStones_[colorIndex(c)]--;
  colors_[l] = Color::kEmpty;
}

// Adds delta to the liberty count of each distinct chain of chainColor next to l.
void Board::addToNeighbourChains(Loc l, Color chainColor, int delta) {
  Loc seen[4];
  int n = 0;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] != chainColor) continue;
    Loc h = head_[a];
    bool dup = false;
    for (int j = 0; j < n; j++) dup |= seen[j] == h;
    if (dup) continue;
    seen[n++] = h;
    libs_[h] = static_cast<int16_t>(libs_[h] + delta);
  }
}

// Flood fill of the chain through start: head, circular links, size, liberties.
void Board::rebuildChain(Loc start) {
  Color c = colors_[start];
  std::array<bool, kMaxArrSize> seen{};
  Loc stack[kMaxArrSize];
  int top = 0;
  stack[top++] = start;
  seen[start] = true;
  Loc prev = start;
  int16_t size = 0, libs = 0;
  while (top > 0) {
    Loc s = stack[--top];
    head_[s] = start;
    next_[prev] = s;
    prev = s;
    size++;
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + adj_[i]);
      if (seen[a]) continue;
      if (colors_[a] == c) {
        seen[a] = true;
        stack[top++] = a;
      } else if (colors_[a] == Color::kEmpty) {
        seen[a] = true;
        libs++;
      }
    }
  }
  next_[prev] = start;
  size_[start] = size;
  libs_[start] = libs;
}

int Board::removeChain(Loc l) {
  Color c = colors_[l];
  int removed = 0;
  Loc cur = l;
  do {
    liftStone(cur);
    removed++;
    addToNeighbourChains(cur, opponent(c), +1);
    cur = next_[cur];
  } while (cur != l);
  numCaptured_[colorIndex(c)] += removed;
  return removed;
}

Board::UndoRecord Board::play(Loc l, Color c) {
  UndoRecord rec{l, c, koLoc_, 0, false};
  if (l == kPassLoc) {
    koLoc_ = kNullLoc;
    return rec;
  }
  Color opp = opponent(c);
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] == opp && numLiberties(a) == 1) rec.captureDirs |= static_cast<uint8_t>(1 << i);
  }
  // The new point stops being a liberty of every chain around it.
  addToNeighbourChains(l, c, -1);
  addToNeighbourChains(l, opp, -1);
  putStone(l, c);
  // Relinking the merged chain costs O(chain size), like recounting its liberties would.
  rebuildChain(l);

  int captured = 0;
  Loc lastCaptured = kNullLoc;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] == opp && numLiberties(a) == 0) {
      captured += removeChain(a);
      lastCaptured = a;
    }
  }
  bool loneInAtari = chainSize(l) == 1 && numLiberties(l) == 1;
  koLoc_ = (captured == 1 && loneInAtari) ? lastCaptured : kNullLoc;

  if (numLiberties(l) == 0) {
    rec.suicide = true;
    removeChain(l);
  }
  return rec;
}

int Board::fillRegion(Loc start, Color c) {
  Loc stack[kMaxArrSize];
  int top = 0, placed = 0;
  stack[top++] = start;
  putStone(start, c);
  while (top > 0) {
    Loc s = stack[--top];
    placed++;
    addToNeighbourChains(s, opponent(c), -1);
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(s + adj_[i]);
      if (colors_[a] == Color::kEmpty) {
        putStone(a, c);
        stack[top++] = a;
      }
    }
  }
  return placed;
}

void Board::liftAndSplit(Loc l) {
  Color c = colors_[l];
  forEachChainStone(l, [&](Loc s) { head_[s] = kNullLoc; });
  liftStone(l);
  addToNeighbourChains(l, opponent(c), +1);
  // The rest of the chain may fall apart into up to four chains.
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] == c && head_[a] == kNullLoc) rebuildChain(a);
  }
}

void Board::undo(const UndoRecord& rec) {
  koLoc_ = rec.prevKoLoc;
  const Loc l = rec.loc;
  if (l == kPassLoc) return;
  const Color c = rec.color, opp = opponent(c);
  // Captured and suicided chains each left an empty region bounded only by the
  // other colour, so refilling that region restores exactly the lost stones.
  if (rec.suicide) {
    numCaptured_[colorIndex(c)] -= fillRegion(l, c);
    rebuildChain(l);
  } else {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(l + adj_[i]);
      if ((rec.captureDirs & (1 << i)) && colors_[a] == Color::kEmpty) {
        numCaptured_[colorIndex(opp)] -= fillRegion(a, opp);
        rebuildChain(a);
      }
    }
  }
  liftAndSplit(l);
}

bool Board::tryPlay(Loc l, Color c, bool multiStoneSuicideLegal) {
  if (!isLegalIgnoringSuperko(l, c, multiStoneSuicideLegal)) return false;
  play(l, c);
  return true;
}

bool Board::setStone(Loc l, Color c) {
  if (!isOnBoard(l) || c == Color::kWall) return false;
  if (colors_[l] != c) {
    if (colors_[l] != Color::kEmpty) liftAndSplit(l);
    if (c != Color::kEmpty) play(l, c);
  }
  koLoc_ = kNullLoc;
  return true;
}

Hash128 Board::situationHashWithKo(Color toMove) const {
  Hash128 h = hash_;
  if (koLoc_ != kNullLoc) h ^= zobrist::kTables.koLoc[koLoc_];
  return h ^ zobrist::kTables.player[colorIndex(toMove)];
}

Hash128 Board::positionHashAfterMove(Loc l, Color c) const {
  if (l == kPassLoc) return hash_;
  Hash128 h = hash_ ^ stoneKey(l, c);
  const Color opp = opponent(c);
  Loc done[4];
  int numDone = 0;
  auto firstVisit = [&](Loc head) {
    for (int j = 0; j < numDone; j++)
      if (done[j] == head) return false;
    done[numDone++] = head;
    return true;
  };
  bool suicide = true;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    Color ac = colors_[a];
    if (ac == Color::kEmpty || (ac == c && numLiberties(a) > 1)) suicide = false;
    if (ac == opp && numLiberties(a) == 1) {
      suicide = false;
      if (firstVisit(head_[a])) forEachChainStone(a, [&](Loc s) { h ^= stoneKey(s, opp); });
    }
  }
  if (!suicide) return h;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + adj_[i]);
    if (colors_[a] == c && firstVisit(head_[a]))
      forEachChainStone(a, [&](Loc s) { h ^= stoneKey(s, c); });
  }
  return h ^ stoneKey(l, c);
}

std::string Board::toString() const {
  std::string out;
  for (int y = 0; y < ySize_; y++) {
    for (int x = 0; x < xSize_; x++) {
      Color c = colors_[loc(x, y)];
      out += c == Color::kBlack ? 'X' : c == Color::kWhite ? 'O' : '.';
    }
    out += '\n';
  }
  return out;
}

Board Board::parse(int xSize, int ySize, const std::string& rows) {
  Board b(xSize, ySize);
  int i = 0;
  for (char ch : rows) {
    Color c;
    if (ch == 'X' || ch == 'x' || ch == 'B' || ch == 'b')
      c = Color::kBlack;
    else if (ch == 'O' || ch == 'o' || ch == 'W' || ch == 'w')
      c = Color::kWhite;
    else if (ch == '.' || ch == '+' || ch == '-')
      c = Color::kEmpty;
    else
      continue;
    if (i >= xSize * ySize) throw std::invalid_argument("Board::parse: too many points");
    Loc l = b.loc(i % xSize, i / xSize);
    if (c != Color::kEmpty) b.setStone(l, c);
    i++;
  }
  if (i != xSize * ySize)
    throw std::invalid_argument("Board::parse: expected " + std::to_string(xSize * ySize) +
                                " points, got " + std::to_string(i));
  return b;
}

void Board::checkConsistency() const {
  auto fail = [](const std::string& what) {
    throw std::logic_error("Board inconsistent: " + what);
  };
  Hash128 h = zobrist::kTables.sizeX[xSize_] ^ zobrist::kTables.sizeY[ySize_];
  std::array<int, 2> counts{};
  for (int l = 0; l < kMaxArrSize; l++) {
    Color c = colors_[l];
    if (!isStone(c)) continue;
    h ^= stoneKey(static_cast<Loc>(l), c);
    counts[colorIndex(c)]++;
    Board fresh = *this;
    fresh.rebuildChain(static_cast<Loc>(l));
    Loc hd = head_[l];
    if (!isStone(colors_[hd]) || colors_[hd] != c) fail("bad head");
    if (size_[hd] != fresh.size_[l] || libs_[hd] != fresh.libs_[l]) fail("size/liberties");
    int ring = 0;
    bool ok = true;
    forEachChainStone(static_cast<Loc>(l), [&](Loc s) {
      ring++;
      ok &= head_[s] == hd && fresh.head_[s] == l;
    });
    if (!ok || ring != size_[hd]) fail("chain ring");
  }
  if (h != hash_) fail("hash");
  if (counts != numStones_) fail("stone counts");
}

bool Board::samePosition(const Board& other) const {
  return xSize_ == other.xSize_ && ySize_ == other.ySize_ && colors_ == other.colors_ &&
         koLoc_ == other.koLoc_ && hash_ == other.hash_ && numCaptured_ == other.numCaptured_;
}

std::string locToString(Loc l, int xSize, int ySize) {
  if (l == kPassLoc) return "pass";
  if (l == kNullLoc) return "null";
  int x = l % (xSize + 1) - 1, y = l / (xSize + 1) - 1;
  if (x < 0 || x >= xSize || y < 0 || y >= ySize) return "offboard";
  return std::string(1, kColumns[x]) + std::to_string(ySize - y);
}

bool tryParseLoc(const std::string& s, int xSize, int ySize, Loc& out, std::string* error) {
  auto reject = [&](const std::string& why) {
    if (error) *error = "invalid vertex '" + s + "': " + why;
    return false;
  };
  std::string t;
  for (char ch : s)
    if (!std::isspace(static_cast<unsigned char>(ch)))
      t += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (t == "PASS") {
    out = kPassLoc;
    return true;
  }
  if (t.size() < 2 || t.size() > 3) return reject("expected a letter and a row number");
  if (t[0] == 'I') return reject("column I is not used");
  int x = -1;
  for (int i = 0; kColumns[i]; i++)
    if (kColumns[i] == t[0]) x = i;
  if (x < 0) return reject("bad column letter");
  int row = 0;
  for (size_t i = 1; i < t.size(); i++) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return reject("bad row number");
    row = row * 10 + (t[i] - '0');
  }
  if (x >= xSize || row < 1 || row > ySize)
    return reject("off the " + std::to_string(xSize) + "x" + std::to_string(ySize) + " board");
  out = static_cast<Loc>((x + 1) + (ySize - row + 1) * (xSize + 1));
  return true;
}

Loc parseLoc(const std::string& s, int xSize, int ySize) {
  Loc l;
  std::string err;
  if (!tryParseLoc(s, xSize, ySize, l, &err)) throw std::invalid_argument(err);
  return l;
}

}  // namespace hoshi
