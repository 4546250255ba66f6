#include "search/nn_cache.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/hash.h"

namespace hoshi::search {

Hash128 mixIn(const Hash128& h, uint64_t v, uint64_t salt) {
  return Hash128(util::splitmix64(h.hi ^ util::splitmix64(v + salt)),
                 util::splitmix64(h.lo ^ util::splitmix64(v ^ (salt << 1))));
}

NnCache::NnCache(int log2Size)
    : slots_(log2Size > 0 ? (size_t(1) << log2Size) : 0), stripes_(kStripes) {}

std::shared_ptr<const nn::NetOutput> NnCache::find(const Hash128& key) const {
  if (slots_.empty()) return nullptr;
  const size_t i = key.lo & (slots_.size() - 1);
  std::lock_guard<std::mutex> g(stripes_[i % kStripes]);
  if (slots_[i].out && slots_[i].key == key) return slots_[i].out;
  return nullptr;
}

void NnCache::insert(const Hash128& key, std::shared_ptr<const nn::NetOutput> out) {
  if (slots_.empty()) return;
  const size_t i = key.lo & (slots_.size() - 1);
  std::lock_guard<std::mutex> g(stripes_[i % kStripes]);
  slots_[i].key = key;
  slots_[i].out = std::move(out);
}

void NnCache::clear() {
  for (size_t i = 0; i < slots_.size(); ++i) {
    std::lock_guard<std::mutex> g(stripes_[i % kStripes]);
    slots_[i].out.reset();
  }
}

size_t NnCache::bytesPerEntry(int boardArea) {
  return sizeof(Slot) + sizeof(nn::NetOutput) + 2 * sizeof(float) * size_t(boardArea) + 64;
}

size_t NnCache::approxBytes(int boardArea) const {
  // Counted as if full: a long game fills it.
  return slots_.size() * bytesPerEntry(boardArea);
}

Hash128 rulesCacheKey(const GameState& state) {
  const std::string text = state.rules().toShortString(true);
  Hash128 h(0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL);
  for (unsigned char c : text) h = mixIn(h, c, 0x51);
  return h;
}

Hash128 nnCacheKey(const GameState& state, const Hash128& rulesKey,
                   const nn::InputOptions& inputs) {
  Hash128 h = state.situationHash() ^ rulesKey;
  // The net sees the last five moves (of those it may see) and whether
  // passing would end the phase.
  const std::vector<Move>& moves = state.moves();
  const size_t shown = std::min(moves.size(), static_cast<size_t>(std::max(0, inputs.maxHistory)));
  for (size_t k = 0; k < 5 && k < shown; ++k) {
    const Move& m = moves[moves.size() - 1 - k];
    h = mixIn(h, uint64_t(uint16_t(m.loc)) | (uint64_t(m.color) << 16), 0x100 + k);
  }
  float selfKomi = state.currentSelfKomi(state.toMove());
  uint32_t komiBits;
  std::memcpy(&komiBits, &selfKomi, 4);
  h = mixIn(h, komiBits, 0x200);
  h = mixIn(h,
            uint64_t(state.encorePhase()) | (uint64_t(state.consecutiveEndingPasses()) << 8) |
                (uint64_t(std::min(state.numApproxValidTurnsThisPhase(), 6)) << 16),
            0x300);
  // Pass handling: conservativePass changes only what the root is shown
  // where a pass would end the game; the passing hacks change features
  // there and the pass prior anywhere.
  const bool conservative =
      inputs.conservativePassAndIsRoot && state.passWouldEndGame(state.toMove());
  h = mixIn(h, uint64_t(conservative) | (uint64_t(inputs.enablePassingHacks) << 1), 0x400);
  return h;
}

}  // namespace hoshi::search
