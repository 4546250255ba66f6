#include "nn/features.h"

#include <algorithm>
#include <cmath>

#include "game/area.h"
#include "game/ladder.h"

namespace hoshi::nn {
namespace {

constexpr float kKomiClipRadius = 20.0f;

class PlaneWriter {
 public:
  PlaneWriter(float* spatial, const Board& b)
      : spatial_(spatial), b_(b), area_(b.xSize() * b.ySize()) {}
  void set(int channel, Loc loc) {
    spatial_[channel * area_ + b_.y(loc) * b_.xSize() + b_.x(loc)] = 1.0f;
  }

 private:
  float* spatial_;
  const Board& b_;
  int area_;
};

bool flagAt(const std::vector<uint8_t>& v, Loc loc) {
  return static_cast<size_t>(loc) < v.size() && v[loc] != 0;
}

Color colorAt(const std::vector<Color>& v, Loc loc) {
  return static_cast<size_t>(loc) < v.size() ? v[loc] : Color::kEmpty;
}

void encodeStones(const Board& b, Color pla, PlaneWriter& out) {
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc loc = b.loc(x, y);
      out.set(0, loc);
      Color c = b.at(loc);
      if (!isStone(c)) continue;
      out.set(c == pla ? 1 : 2, loc);
      int libs = b.numLiberties(loc);
      if (libs >= 1 && libs <= 3) out.set(2 + libs, loc);
    }
  }
}

void encodeKoBans(const FeatureInputs& in, PlaneWriter& out) {
  const Board& b = *in.board;
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc loc = b.loc(x, y);
      if (in.encorePhase == 0) {
        if (loc == b.koLoc() || flagAt(in.superKoBanned, loc)) out.set(6, loc);
      } else {
        if (flagAt(in.superKoBanned, loc)) out.set(6, loc);
        if (flagAt(in.koRecapBlocked, loc)) out.set(7, loc);
      }
    }
  }
}

// Planes 18/19 (pla's and opp's area) where the ruleset shows them. Returns
// whether the area was shown; boardScore gets pla's area minus opp's,
// including any group tax.
bool encodeArea(const FeatureInputs& in, PlaneWriter& out, int& boardScore) {
  const Board& b = *in.board;
  const Color pla = in.pla, opp = opponent(pla);
  const Rules& r = in.rules;
  AreaMap area;
  boardScore = 0;
  if (r.scoring == ScoringRule::kArea && r.tax == TaxRule::kNone) {
    area = calculateArea(b, true, true, true, in.suicideLegalForPassAlive);
  } else {
    // Territory scoring only shows the area once scoring is imminent.
    if (r.scoring == ScoringRule::kTerritory && in.encorePhase < 2) return false;
    bool keepTerritories = r.scoring == ScoringRule::kTerritory && r.tax == TaxRule::kNone;
    bool keepStones = r.scoring == ScoringRule::kArea;
    int whiteMinusBlackRegions = 0;
    area = calculateIndependentLifeArea(b, whiteMinusBlackRegions, keepTerritories, keepStones,
                                        in.suicideLegalForPassAlive);
    if (r.tax == TaxRule::kAll)
      boardScore = 2 * (pla == Color::kWhite ? -whiteMinusBlackRegions : whiteMinusBlackRegions);
  }
  for (int y = 0; y < b.ySize(); y++) {
    for (int x = 0; x < b.xSize(); x++) {
      Loc loc = b.loc(x, y);
      Color owner = area[loc];
      if (owner == Color::kEmpty && r.scoring == ScoringRule::kTerritory) {
        // Stones standing since the second encore began count as their own.
        Color c = b.at(loc);
        if (isStone(c) && colorAt(in.secondEncoreStart, loc) == c) owner = c;
      }
      if (owner == pla) {
        out.set(18, loc);
        boardScore++;
      } else if (owner == opp) {
        out.set(19, loc);
        boardScore--;
      }
    }
  }
  return true;
}

// Planes 9..13 and globals 0..4: the last five moves, alternating colours
// back from the opponent's. Returns how many moves were shown.
int encodeHistory(const FeatureInputs& in, int maxTurns, PlaneWriter& out, float* global) {
  const int n = static_cast<int>(in.moves.size());
  const int usable = std::min({maxTurns, in.approxValidTurnsThisPhase, n});
  const Color opp = opponent(in.pla);
  int shown = 0;
  for (int k = 0; k < usable; k++) {
    const Move& m = in.moves[n - 1 - k];
    if (m.color != (k % 2 == 0 ? opp : in.pla)) break;
    shown = k + 1;
    if (m.loc == kPassLoc)
      global[k] = 1.0f;
    else if (m.loc != kNullLoc)
      out.set(9 + k, m.loc);
  }
  return shown;
}

void encodeLadders(const FeatureInputs& in, int historyShown, PlaneWriter& out) {
  const Board& b = *in.board;
  const Color opp = opponent(in.pla);
  forEachLadderedStone(b, [&](Loc loc, const std::vector<Loc>& working) {
    out.set(14, loc);
    if (b.at(loc) == opp && b.numLiberties(loc) > 1)
      for (Loc w : working) out.set(17, w);
  });
  const Board* prev = (historyShown < 1 || !in.prevBoard1) ? &b : in.prevBoard1;
  forEachLadderedStone(*prev, [&](Loc loc, const std::vector<Loc>&) { out.set(15, loc); });
  const Board* prevPrev = (historyShown < 2 || !in.prevBoard2) ? prev : in.prevBoard2;
  forEachLadderedStone(*prevPrev, [&](Loc loc, const std::vector<Loc>&) { out.set(16, loc); });
}

// Triangle wave of the komi's distance to the nearest komi that allows a
// draw, which the net cannot easily derive itself.
float komiParityWave(float selfKomi, int xSize, int ySize) {
  bool evenArea = (xSize * ySize) % 2 == 0;
  float floorKomi = evenArea ? std::floor(selfKomi / 2.0f) * 2.0f
                             : std::floor((selfKomi - 1.0f) / 2.0f) * 2.0f + 1.0f;
  float delta = std::clamp(selfKomi - floorKomi, 0.0f, 2.0f);
  if (delta < 0.5f) return delta;
  if (delta < 1.5f) return 1.0f - delta;
  return delta - 2.0f;
}

void encodeGlobals(const FeatureInputs& in, bool suppressPassWouldEndPhase, float* global) {
  const Board& b = *in.board;
  const Rules& r = in.rules;
  float bArea = static_cast<float>(b.xSize() * b.ySize());
  float selfKomi = std::clamp(in.selfKomi, -bArea - kKomiClipRadius, bArea + kKomiClipRadius);
  global[5] = selfKomi / 20.0f;
  if (r.ko == KoRule::kPositional || r.ko == KoRule::kSpight) {
    global[6] = 1.0f;
    global[7] = 0.5f;
  } else if (r.ko == KoRule::kSituational) {
    global[6] = 1.0f;
    global[7] = -0.5f;
  }
  if (r.multiStoneSuicideLegal) global[8] = 1.0f;
  if (r.scoring == ScoringRule::kTerritory) global[9] = 1.0f;
  if (r.tax != TaxRule::kNone) global[10] = 1.0f;
  if (r.tax == TaxRule::kAll) global[11] = 1.0f;
  if (in.encorePhase > 0) global[12] = 1.0f;
  if (in.encorePhase > 1) global[13] = 1.0f;
  global[14] = (!suppressPassWouldEndPhase && in.passWouldEndPhase) ? 1.0f : 0.0f;
  if (in.playoutDoublingAdvantage != 0) {
    global[15] = 1.0f;
    global[16] = static_cast<float>(0.5 * in.playoutDoublingAdvantage);
  }
  if (in.hasButton) global[17] = 1.0f;
  if (r.scoring == ScoringRule::kArea || in.encorePhase >= 2)
    global[18] = komiParityWave(selfKomi, b.xSize(), b.ySize());
}

}  // namespace

void encodeFeaturesV7(const FeatureInputs& in, float* spatial, float* global) {
  const Board& b = *in.board;
  std::fill(spatial, spatial + kNumSpatialFeaturesV7 * b.xSize() * b.ySize(), 0.0f);
  std::fill(global, global + kNumGlobalFeaturesV7, 0.0f);
  PlaneWriter out(spatial, b);

  encodeStones(b, in.pla, out);
  encodeKoBans(in, out);

  int boardScore = 0;
  bool hasArea = encodeArea(in, out, boardScore);
  // Would ending the game right now fail to win for pla?
  bool endNowNotWin = hasArea && static_cast<float>(boardScore) + in.selfKomi <= 0.0f;

  // Hide history when a pass would end the game but the search behaves as if
  // it would not, and show only the final pass once the game is over.
  int maxTurns = 5;
  bool suppressPassWouldEndPhase = false;
  if (in.passWouldEndGame && (in.conservativePassAndIsRoot || in.suppressEndGameFromFriendlyPass ||
                              (in.enablePassingHacks && endNowNotWin))) {
    maxTurns = 0;
    suppressPassWouldEndPhase = true;
  } else if (in.gameOver) {
    maxTurns = 1;
  }
  maxTurns = std::min(maxTurns, std::max(0, in.maxHistory));
  int shown = maxTurns > 0 ? encodeHistory(in, maxTurns, out, global) : 0;

  encodeLadders(in, shown, out);

  if (in.encorePhase >= 2) {
    for (int y = 0; y < b.ySize(); y++) {
      for (int x = 0; x < b.xSize(); x++) {
        Loc loc = b.loc(x, y);
        Color c = colorAt(in.secondEncoreStart, loc);
        if (c == in.pla)
          out.set(20, loc);
        else if (c == opponent(in.pla))
          out.set(21, loc);
      }
    }
  }
  encodeGlobals(in, suppressPassWouldEndPhase, global);
}

}  // namespace hoshi::nn
