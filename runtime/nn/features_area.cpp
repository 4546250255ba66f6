#include "nn/features_area.h"

#include <vector>

namespace hoshi::nn {
namespace {

// A maximal connected set of points that are empty or hold an opponent
// stone, grown from an empty point.
struct Region {
  std::vector<Loc> points;
  std::vector<Loc> vitalFor;  // heads of pla chains adjacent to all its qualifying points
  int internalPoints = 0;     // points not next to any pla stone, capped at 2
  bool containsOpp = false;
  bool bordersDeadChain = false;
};

bool touchesChain(const Board& b, Loc p, Color pla, Loc head) {
  for (int i = 0; i < 4; i++) {
    Loc a = static_cast<Loc>(p + b.adjOffset(i));
    if (b.at(a) == pla && b.chainHead(a) == head) return true;
  }
  return false;
}

std::vector<Region> findRegions(const Board& b, Color pla, bool suicideLegal,
                                std::array<int16_t, kMaxArrSize>& regionOf) {
  const Color opp = opponent(pla);
  regionOf.fill(-1);
  std::vector<Region> regions;
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc start = b.loc(x, y);
      if (regionOf[start] != -1 || b.at(start) != Color::kEmpty) continue;
      Region r;
      for (int i = 0; i < 4; i++) {
        Loc a = static_cast<Loc>(start + b.adjOffset(i));
        if (b.at(a) != pla) continue;
        Loc h = b.chainHead(a);
        bool dup = false;
        for (Loc v : r.vitalFor) dup = dup || v == h;
        if (!dup) r.vitalFor.push_back(h);
      }
      const int16_t idx = static_cast<int16_t>(regions.size());
      regionOf[start] = idx;
      r.points.push_back(start);
      for (size_t q = 0; q < r.points.size(); q++) {
        Loc p = r.points[q];
        // Without suicide, a pla chain need not touch the opponent's stones
        // inside the region for the region to be vital to it.
        if (suicideLegal || b.at(p) == Color::kEmpty) {
          std::vector<Loc> kept;
          for (Loc h : r.vitalFor)
            if (touchesChain(b, p, pla, h)) kept.push_back(h);
          r.vitalFor.swap(kept);
        }
        if (r.internalPoints < 2 && !b.isAdjacentToColor(p, pla)) r.internalPoints++;
        if (b.at(p) == opp) r.containsOpp = true;
        for (int i = 0; i < 4; i++) {
          Loc a = static_cast<Loc>(p + b.adjOffset(i));
          if ((b.at(a) == Color::kEmpty || b.at(a) == opp) && regionOf[a] == -1) {
            regionOf[a] = idx;
            r.points.push_back(a);
          }
        }
      }
      regions.push_back(std::move(r));
    }
  }
  return regions;
}

void areaForColor(const Board& b, Color pla, bool safeBig, bool unsafeBig, bool suicideLegal,
                  AreaMap& result) {
  const Color opp = opponent(pla);
  std::array<int16_t, kMaxArrSize> regionOf;
  std::vector<Region> regions = findRegions(b, pla, suicideLegal, regionOf);

  std::vector<Loc> heads;
  for (int y = 0; y < b.ySize(); y++)
    for (int x = 0; x < b.xSize(); x++) {
      Loc l = b.loc(x, y);
      if (b.at(l) == pla && b.chainHead(l) == l) heads.push_back(l);
    }
  const bool anyPla = !heads.empty();
  std::array<int16_t, kMaxArrSize> vitalCount{};
  for (const Region& r : regions)
    for (Loc h : r.vitalFor) vitalCount[h]++;

  // Benson: repeatedly drop chains with fewer than two vital regions; a region
  // next to a dropped chain stops counting as vital for anyone.
  std::vector<bool> dead(heads.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < heads.size(); i++) {
      if (dead[i] || vitalCount[heads[i]] >= 2) continue;
      dead[i] = true;
      changed = true;
      b.forEachChainStone(heads[i], [&](Loc s) {
        for (int k = 0; k < 4; k++) {
          Loc a = static_cast<Loc>(s + b.adjOffset(k));
          int16_t ri = regionOf[a];
          if (ri < 0 || regions[ri].bordersDeadChain) continue;
          if (b.at(a) != Color::kEmpty && b.at(a) != opp) continue;
          regions[ri].bordersDeadChain = true;
          for (Loc h : regions[ri].vitalFor) vitalCount[h]--;
        }
      });
    }
  }
  for (size_t i = 0; i < heads.size(); i++)
    if (!dead[i]) b.forEachChainStone(heads[i], [&](Loc s) { result[s] = pla; });

  for (const Region& r : regions) {
    bool mark = anyPla && !r.bordersDeadChain && (r.internalPoints <= 1 || (safeBig && !r.containsOpp));
    if (mark) {
      for (Loc p : r.points) result[p] = pla;
    } else if (unsafeBig && !r.containsOpp && anyPla) {
      for (Loc p : r.points)
        if (result[p] == Color::kEmpty) result[p] = pla;
    }
  }
}

// Floods from start over points whose area colour equals `owner`, calling
// visit on each newly reached point; `seen` marks the reached ones.
template <class Seen, class F>
void floodArea(const Board& b, const AreaMap& area, Loc start, Seen&& seen, F&& visit) {
  const Color owner = area[start];
  std::vector<Loc> queue{start};
  visit(start);
  for (size_t q = 0; q < queue.size(); q++) {
    for (int i = 0; i < 4; i++) {
      Loc a = static_cast<Loc>(queue[q] + b.adjOffset(i));
      if (area[a] == owner && !seen(a)) {
        visit(a);
        queue.push_back(a);
      }
    }
  }
}

}  // namespace

AreaMap computeArea(const Board& board, bool nonPassAliveStones, bool safeBigTerritories,
                    bool unsafeBigTerritories, bool multiStoneSuicideLegal) {
  AreaMap result;
  result.fill(Color::kEmpty);
  areaForColor(board, Color::kBlack, safeBigTerritories, unsafeBigTerritories, multiStoneSuicideLegal,
               result);
  areaForColor(board, Color::kWhite, safeBigTerritories, unsafeBigTerritories, multiStoneSuicideLegal,
               result);
  if (nonPassAliveStones) {
    for (int y = 0; y < board.ySize(); y++)
      for (int x = 0; x < board.xSize(); x++) {
        Loc l = board.loc(x, y);
        if (result[l] == Color::kEmpty) result[l] = board.at(l);
      }
  }
  return result;
}

AreaMap computeIndependentLifeArea(const Board& board, int& whiteMinusBlackRegions,
                                   bool keepTerritories, bool keepStones,
                                   bool multiStoneSuicideLegal) {
  AreaMap basic = computeArea(board, true, true, true, multiStoneSuicideLegal);
  AreaMap result;
  result.fill(Color::kEmpty);
  whiteMinusBlackRegions = 0;

  // An owned region touching dame or holding an owner's stone in atari is
  // treated as seki and does not count as independent life.
  std::array<bool, kMaxArrSize> seki{};
  for (int y = 0; y < board.ySize(); y++) {
    for (int x = 0; x < board.xSize(); x++) {
      Loc l = board.loc(x, y);
      if (basic[l] == Color::kEmpty || seki[l]) continue;
      bool isSeki = board.at(l) == basic[l] && board.numLiberties(l) == 1;
      for (int i = 0; i < 4 && !isSeki; i++) {
        Loc a = static_cast<Loc>(l + board.adjOffset(i));
        isSeki = board.at(a) == Color::kEmpty && basic[a] == Color::kEmpty;
      }
      if (!isSeki) continue;
      floodArea(board, basic, l, [&](Loc p) { return seki[p]; }, [&](Loc p) { seki[p] = true; });
    }
  }
  for (int y = 0; y < board.ySize(); y++) {
    for (int x = 0; x < board.xSize(); x++) {
      Loc l = board.loc(x, y);
      if (basic[l] == Color::kEmpty || seki[l] || result[l] == basic[l]) continue;
      whiteMinusBlackRegions += basic[l] == Color::kWhite ? 1 : -1;
      floodArea(board, basic, l, [&](Loc p) { return result[p] == basic[p]; },
                [&](Loc p) { result[p] = basic[p]; });
    }
  }
  for (int y = 0; y < board.ySize(); y++) {
    for (int x = 0; x < board.xSize(); x++) {
      Loc l = board.loc(x, y);
      if (basic[l] == Color::kEmpty) continue;
      if (keepTerritories && basic[l] != board.at(l)) result[l] = basic[l];
      if (keepStones && basic[l] == board.at(l)) result[l] = basic[l];
    }
  }
  return result;
}

}  // namespace hoshi::nn
