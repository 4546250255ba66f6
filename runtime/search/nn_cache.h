#pragma once

// Network outputs keyed by a hash of everything the net sees (position, side
// to move, recent moves, rules and komi): transpositions and re-searches of
// the same position cost no evaluation. Fixed capacity (a power of two),
// direct-mapped, lock-striped; a newer entry replaces an older one.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "game/game_state.h"
#include "nn/evaluator.h"

namespace hoshi::search {

class NnCache {
 public:
  // log2Size 0 disables the cache.
  explicit NnCache(int log2Size);

  std::shared_ptr<const nn::NetOutput> find(const Hash128& key) const;
  void insert(const Hash128& key, std::shared_ptr<const nn::NetOutput> out);
  void clear();

  size_t capacity() const { return slots_.size(); }
  // Rough bytes held, outputs included (for the memory budget).
  size_t approxBytes(int boardArea) const;
  static size_t bytesPerEntry(int boardArea);
  // Bytes the empty table of 2^log2Size slots takes at once.
  static size_t tableBytes(int log2Size) { return (size_t(1) << log2Size) * sizeof(Slot); }

 private:
  struct Slot {
    Hash128 key;
    std::shared_ptr<const nn::NetOutput> out;
  };
  static constexpr size_t kStripes = 64;
  std::vector<Slot> slots_;
  mutable std::vector<std::mutex> stripes_;
};

// The cache key of a position for the net: rules and komi are folded in by
// the caller through `rulesKey` (computed once per search); `inputs`: the
// rest the net is told (history shown, pass handling).
Hash128 nnCacheKey(const GameState& state, const Hash128& rulesKey,
                   const nn::InputOptions& inputs = {});
Hash128 rulesCacheKey(const GameState& state);
// `h` with the value `v` mixed in (`salt` tells apart what v stands for).
Hash128 mixIn(const Hash128& h, uint64_t v, uint64_t salt);

}  // namespace hoshi::search
