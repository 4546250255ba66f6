#include "search/subtree_bias.h"

#include "util/hash.h"

namespace hoshi::search {
namespace {

constexpr int kRadius = 2;  // a 5x5 pattern

uint64_t mix(uint64_t h, uint64_t word) {
  return util::splitmix64(h ^ util::splitmix64(word));
}

}  // namespace

double SubtreeBiasEntry::averageLocked() const {
  return weightSum_ > 0.001 ? deltaSum_ / weightSum_ : 0.0;
}

double SubtreeBiasEntry::update(double oldDelta, double oldWeight, double newDelta,
                                double newWeight) {
  std::lock_guard<std::mutex> g(mutex_);
  deltaSum_ += newDelta - oldDelta;
  weightSum_ += newWeight - oldWeight;
  return averageLocked();
}

double SubtreeBiasEntry::average() const {
  std::lock_guard<std::mutex> g(mutex_);
  return averageLocked();
}

void SubtreeBiasEntry::release(double delta, double weight) {
  std::lock_guard<std::mutex> g(mutex_);
  deltaSum_ -= delta * freeProp_;
  weightSum_ -= weight * freeProp_;
}

std::shared_ptr<SubtreeBiasEntry> SubtreeBiasTable::get(uint64_t key) {
  Shard& s = shards_[key % kShards];
  std::lock_guard<std::mutex> g(s.mutex);
  auto& slot = s.entries[key];
  if (!slot) slot = std::make_shared<SubtreeBiasEntry>(freeProp_);
  return slot;
}

void SubtreeBiasTable::clearUnused() {
  for (Shard& s : shards_) {
    std::lock_guard<std::mutex> g(s.mutex);
    for (auto it = s.entries.begin(); it != s.entries.end();) {
      if (it->second.use_count() <= 1)
        it = s.entries.erase(it);
      else
        ++it;
    }
  }
}

size_t SubtreeBiasTable::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> g(s.mutex);
    n += s.entries.size();
  }
  return n;
}

uint64_t subtreeBiasKey(const Board& before, Loc prevMove, Loc move, Color mover) {
  if (move == kPassLoc || move == kNullLoc || prevMove == kNullLoc) return 0;
  uint64_t h = mix(0x5ab7ee5b1a5ull, static_cast<uint64_t>(prevMove));
  h = mix(h, static_cast<uint64_t>(move) << 8 | static_cast<uint64_t>(mover));
  h = mix(h, static_cast<uint64_t>(before.koLoc()) + 0x10000);
  const int mx = before.x(move), my = before.y(move);
  for (int dy = -kRadius; dy <= kRadius; ++dy) {
    for (int dx = -kRadius; dx <= kRadius; ++dx) {
      const int x = mx + dx, y = my + dy;
      if (x < 0 || y < 0 || x >= before.xSize() || y >= before.ySize()) continue;
      const Loc l = before.loc(x, y);
      const Color c = before.at(l);
      const bool atari = c != Color::kEmpty && before.numLiberties(l) == 1;
      const uint64_t cell = static_cast<uint64_t>((dy + kRadius) * 5 + (dx + kRadius));
      h = mix(h, cell << 8 | static_cast<uint64_t>(c) << 1 | (atari ? 1 : 0));
    }
  }
  return h == 0 ? 1 : h;
}

}  // namespace hoshi::search
