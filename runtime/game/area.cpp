#include "game/area.h"

namespace hoshi {

namespace {

// Regions are started only from empty points, so at most one per two points.
constexpr int kMaxRegions = (kMaxBoardLen * kMaxBoardLen + 1) / 2 + 1;
constexpr int kMaxChains = kMaxBoardLen * kMaxBoardLen;

// A maximal connected set of points that are empty or hold the opponent's stones.
struct Region {
  Loc first = kNullLoc;
  int vitalStart = 0;  // Slice of the vital-chain list: chains this region is vital to.
  int vitalLen = 0;
  int internalPoints = 0;  // Points not touching pla, counted up to 2.
  bool containsOpp = false;
  bool bordersDeadChain = false;
};

bool touchesChain(const Board& b, Loc l, Color pla, Loc head) {
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(l + b.adjOffset(i));
    if (b.at(a) == pla && b.chainHead(a) == head) return true;
  }
  return false;
}

struct RegionSet {
  std::array<int16_t, kMaxArrSize> regionOf;
  std::array<Loc, kMaxArrSize> nextInRegion;  // Circular list per region.
  Region regions[kMaxRegions];
  Loc vital[kMaxRegions * 4];
  int numRegions = 0;
  bool anyPla = false;
};

// Floods the region through `start` (empty). A region is vital to a pla chain
// when every point of it touches that chain; when multi-stone suicide is
// illegal only its empty points have to (the opponent can't fill them all).
void floodRegion(const Board& b, Color pla, bool suicideLegal, Loc start, RegionSet& rs) {
  const Color opp = opponent(pla);
  const int idx = rs.numRegions++;
  Region& r = rs.regions[idx];
  r.first = start;
  r.vitalStart = idx == 0 ? 0 : rs.regions[idx - 1].vitalStart + rs.regions[idx - 1].vitalLen;
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(start + b.adjOffset(i));
    if (b.at(a) != pla) continue;
    Loc h = b.chainHead(a);
    bool known = false;
    for (int j = 0; j < r.vitalLen; j++) known |= rs.vital[r.vitalStart + j] == h;
    if (!known) rs.vital[r.vitalStart + r.vitalLen++] = h;
  }
  Loc queue[kMaxArrSize];
  int head = 0, tail = 0;
  queue[tail++] = start;
  rs.regionOf[start] = static_cast<int16_t>(idx);
  Loc prev = start;
  while (head < tail) {
    Loc p = queue[head++];
    if (r.vitalLen > 0 && (suicideLegal || b.at(p) == Color::kEmpty)) {
      int kept = 0;
      for (int j = 0; j < r.vitalLen; j++) {
        Loc h = rs.vital[r.vitalStart + j];
        if (touchesChain(b, p, pla, h)) rs.vital[r.vitalStart + kept++] = h;
      }
      r.vitalLen = kept;
    }
    if (r.internalPoints < 2 && !b.isAdjacentToColor(p, pla)) r.internalPoints++;
    if (b.at(p) == opp) r.containsOpp = true;
    rs.nextInRegion[prev] = p;
    prev = p;
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(p + b.adjOffset(i));
      if ((b.at(a) == Color::kEmpty || b.at(a) == opp) && rs.regionOf[a] < 0) {
        rs.regionOf[a] = static_cast<int16_t>(idx);
        queue[tail++] = a;
      }
    }
  }
  rs.nextInRegion[prev] = start;
}

// Benson: repeatedly drop chains with fewer than two vital regions; a region
// touching a dropped chain stops counting as vital for anyone.
void killNonPassAlive(const Board& b, RegionSet& rs, const Loc* heads, int numHeads, bool* killed) {
  std::array<int16_t, kMaxArrSize> vitalCount{};
  for (int i = 0; i < rs.numRegions; i++) {
    const Region& r = rs.regions[i];
    for (int j = 0; j < r.vitalLen; j++) vitalCount[rs.vital[r.vitalStart + j]]++;
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (int i = 0; i < numHeads; i++) {
      if (killed[i] || vitalCount[heads[i]] >= 2) continue;
      killed[i] = changed = true;
      b.forEachChainStone(heads[i], [&](Loc s) {
        for (int d = 0; d < 4; d++) {
          int ri = rs.regionOf[s + b.adjOffset(d)];
          if (ri < 0 || rs.regions[ri].bordersDeadChain) continue;
          Region& r = rs.regions[ri];
          r.bordersDeadChain = true;
          for (int j = 0; j < r.vitalLen; j++) vitalCount[rs.vital[r.vitalStart + j]]--;
        }
      });
    }
  }
}

void markForPlayer(const Board& b, Color pla, bool safeBig, bool unsafeBig, bool suicideLegal,
                   AreaMap& out) {
  RegionSet rs;
  rs.regionOf.fill(-1);
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (rs.regionOf[l] >= 0) continue;
      if (b.at(l) != Color::kEmpty) {
        rs.anyPla |= b.at(l) == pla;
        continue;
      }
      floodRegion(b, pla, suicideLegal, l, rs);
    }
  }
  Loc heads[kMaxChains] = {};
  bool killed[kMaxChains] = {};
  int numHeads = 0;
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (b.at(l) == pla && b.chainHead(l) == l) heads[numHeads++] = l;
    }
  killNonPassAlive(b, rs, heads, numHeads, killed);

  for (int i = 0; i < numHeads; i++)
    if (!killed[i]) b.forEachChainStone(heads[i], [&](Loc s) { out[s] = pla; });

  for (int i = 0; i < rs.numRegions; i++) {
    const Region& r = rs.regions[i];
    bool alive = !r.bordersDeadChain && rs.anyPla;
    // Unconditional marks may overwrite the opponent's unsafe territory next to pass-dead stones.
    bool mark = alive && (r.internalPoints <= 1 || (safeBig && !r.containsOpp));
    bool markIfFree = !mark && unsafeBig && !r.containsOpp && rs.anyPla;
    if (!mark && !markIfFree) continue;
    Loc cur = r.first;
    do {
      if (mark || out[cur] == Color::kEmpty) out[cur] = pla;
      cur = rs.nextInRegion[cur];
    } while (cur != r.first);
  }
}

AreaMap basicArea(const Board& b, bool safeBig, bool unsafeBig, bool suicideLegal) {
  AreaMap out;
  out.fill(Color::kEmpty);
  markForPlayer(b, Color::kBlack, safeBig, unsafeBig, suicideLegal, out);
  markForPlayer(b, Color::kWhite, safeBig, unsafeBig, suicideLegal, out);
  return out;
}

// Floods from l over points owned (in `area`) by the same player.
template <class Visit>
void floodOwned(const Board& b, const AreaMap& area, Loc l, Visit&& shouldVisit) {
  Color owner = area[l];
  Loc queue[kMaxArrSize];
  int head = 0, tail = 0;
  queue[tail++] = l;
  while (head < tail) {
    Loc p = queue[head++];
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(p + b.adjOffset(i));
      if (area[a] == owner && shouldVisit(a)) queue[tail++] = a;
    }
  }
}

}  // namespace

AreaMap calculateArea(const Board& board, bool nonPassAliveStones, bool safeBigTerritories,
                      bool unsafeBigTerritories, bool multiStoneSuicideLegal) {
  AreaMap out = basicArea(board, safeBigTerritories, unsafeBigTerritories, multiStoneSuicideLegal);
  if (nonPassAliveStones) {
    for (int y = 0; y < board.ySize(); y++)
      for (int x = 0; x < board.xSize(); x++) {
        Loc l = board.loc(x, y);
        if (out[l] == Color::kEmpty) out[l] = board.at(l);
      }
  }
  return out;
}

AreaMap calculateIndependentLifeArea(const Board& b, int& whiteMinusBlackIndependentLifeRegionCount,
                                     bool keepTerritories, bool keepStones,
                                     bool multiStoneSuicideLegal) {
  AreaMap basic = calculateArea(b, true, true, true, multiStoneSuicideLegal);
  AreaMap result;
  result.fill(Color::kEmpty);
  whiteMinusBlackIndependentLifeRegionCount = 0;

  // Seki-like regions: touching a dame point, or holding an owner's stone in atari.
  std::array<bool, kMaxArrSize> seki{};
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (basic[l] == Color::kEmpty || seki[l]) continue;
      bool ownerInAtari = b.at(l) == basic[l] && b.numLiberties(l) == 1;
      bool touchesDame = false;
      for (int i = 0; i < 4; i++) {
        Loc a = static_cast<Loc>(l + b.adjOffset(i));
        touchesDame |= b.at(a) == Color::kEmpty && basic[a] == Color::kEmpty;
      }
      if (!ownerInAtari && !touchesDame) continue;
      seki[l] = true;
      floodOwned(b, basic, l, [&](Loc a) { return !seki[a] && (seki[a] = true); });
    }

  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (basic[l] == Color::kEmpty || seki[l] || result[l] == basic[l]) continue;
      whiteMinusBlackIndependentLifeRegionCount += basic[l] == Color::kWhite ? 1 : -1;
      result[l] = basic[l];
      floodOwned(b, basic, l, [&](Loc a) {
        if (result[a] == basic[a]) return false;
        result[a] = basic[a];
        return true;
      });
    }

  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (basic[l] == Color::kEmpty) continue;
      bool isStoneOfOwner = basic[l] == b.at(l);
      if ((keepTerritories && !isStoneOfOwner) || (keepStones && isStoneOfOwner))
        result[l] = basic[l];
    }
  return result;
}

}  // namespace hoshi
