#pragma once

// Zobrist keys for positions and game situations. The tables are computed at
// compile time from a fixed seed, so there is no init() call and no mutable
// global. They need not equal KataGo's keys: hashes never reach the network.

#include <cstdint>
#include <string>

namespace hoshi {

inline constexpr int kMaxBoardLen = 19;
// Padded 1-D layout: (x+1) + (y+1)*(xSize+1), plus one guard row below.
inline constexpr int kMaxArrSize = (kMaxBoardLen + 1) * (kMaxBoardLen + 2) + 1;

struct Hash128 {
  uint64_t hi = 0;
  uint64_t lo = 0;

  constexpr Hash128() = default;
  constexpr Hash128(uint64_t h, uint64_t l) : hi(h), lo(l) {}
  constexpr Hash128 operator^(const Hash128& o) const { return Hash128(hi ^ o.hi, lo ^ o.lo); }
  constexpr Hash128& operator^=(const Hash128& o) {
    hi ^= o.hi;
    lo ^= o.lo;
    return *this;
  }
  constexpr bool operator==(const Hash128& o) const { return hi == o.hi && lo == o.lo; }
  constexpr bool operator!=(const Hash128& o) const { return !(*this == o); }
  constexpr bool operator<(const Hash128& o) const {
    return hi < o.hi || (hi == o.hi && lo < o.lo);
  }
  std::string toString() const;
};

namespace zobrist {

struct Tables {
  // Indexed by [loc][color-1] for the two stone colours.
  Hash128 stone[kMaxArrSize][2];
  Hash128 koLoc[kMaxArrSize];
  // Points where a ko recapture is blocked in the encore, per blocked colour.
  Hash128 koRecapBlocked[kMaxArrSize][2];
  // Stones present when the second encore phase began.
  Hash128 secondEncoreStart[kMaxArrSize][2];
  Hash128 player[2];
  Hash128 sizeX[kMaxBoardLen + 1];
  Hash128 sizeY[kMaxBoardLen + 1];
  Hash128 encorePhase[3];
  Hash128 passEndsPhase;
  Hash128 gameOver;
};

namespace detail {

constexpr uint64_t splitMix(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr Hash128 nextKey(uint64_t& state) {
  uint64_t h = splitMix(state);
  uint64_t l = splitMix(state);
  return Hash128(h, l);
}

constexpr Tables makeTables() {
  Tables t{};
  uint64_t s = 0x486F736869476F31ULL;  // "HoshiGo1"
  for (int i = 0; i < kMaxArrSize; i++) {
    for (int c = 0; c < 2; c++) {
      t.stone[i][c] = nextKey(s);
      t.koRecapBlocked[i][c] = nextKey(s);
      t.secondEncoreStart[i][c] = nextKey(s);
    }
    t.koLoc[i] = nextKey(s);
  }
  for (int c = 0; c < 2; c++) t.player[c] = nextKey(s);
  for (int n = 0; n <= kMaxBoardLen; n++) {
    t.sizeX[n] = nextKey(s);
    t.sizeY[n] = nextKey(s);
  }
  for (int e = 0; e < 3; e++) t.encorePhase[e] = nextKey(s);
  t.passEndsPhase = nextKey(s);
  t.gameOver = nextKey(s);
  return t;
}

}  // namespace detail

inline constexpr Tables kTables = detail::makeTables();

}  // namespace zobrist
}  // namespace hoshi
