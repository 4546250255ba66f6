#include "search/node_table.h"

#include "search/nn_cache.h"

namespace hoshi::search {
namespace {

// What decides the future of a position besides the path to it.
Hash128 stateKey(const GameState& state) {
  Hash128 h = state.situationHash();
  const Color pla = state.toMove();
  const uint64_t flags =
      uint64_t(state.encorePhase()) | (uint64_t(state.consecutiveEndingPasses()) << 8) |
      (uint64_t(state.isGameFinished()) << 16) | (uint64_t(state.passWouldEndPhase(pla)) << 17) |
      (uint64_t(state.shouldSuppressEndGameFromFriendlyPass(pla)) << 18);
  return mixIn(h, flags, 0x6a09e667);
}

}  // namespace

int stonesOnBoard(const Board& b) {
  return b.numStones(Color::kBlack) + b.numStones(Color::kWhite);
}

Hash128 graphRootKey(const GameState& state) {
  return stateKey(state);
}

Hash128 graphKey(const Hash128& parentKey, int parentStones, const GameState& state) {
  const Hash128 own = stateKey(state);
  const auto& moves = state.moves();
  const bool pass = !moves.empty() && moves.back().loc == kPassLoc;
  const bool capture = !pass && stonesOnBoard(state.board()) <= parentStones;
  if (!pass && !capture) return own;
  return mixIn(own ^ Hash128(parentKey.lo, parentKey.hi), parentKey.hi ^ parentKey.lo, 0xbb67ae85);
}

NodeTable::NodeTable() : shards_(kShards) {}

Node* NodeTable::getOrCreate(const Hash128& key, Loc move, Color mover, bool& created) {
  Shard& shard = shards_[(key.hi >> 7) % kShards];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto [it, inserted] = shard.nodes.try_emplace(key);
  created = inserted;
  if (inserted) it->second = std::make_unique<Node>(move, mover, key);
  return it->second.get();
}

size_t NodeTable::keepOnly(const std::unordered_set<const Node*>& live) {
  size_t kept = 0;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    for (auto it = shard.nodes.begin(); it != shard.nodes.end();) {
      if (live.count(it->second.get())) {
        ++kept;
        ++it;
      } else {
        it = shard.nodes.erase(it);
      }
    }
  }
  return kept;
}

std::unordered_set<const Node*> reachableNodes(const Node& root) {
  std::unordered_set<const Node*> seen{&root};
  std::vector<const Node*> stack{&root};
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (n->state() != Node::State::kExpanded) continue;
    for (int i = 0; i < n->numEdges(); ++i) {
      const Node* c = n->edge(i).node.load(std::memory_order_acquire);
      if (c && seen.insert(c).second) stack.push_back(c);
    }
  }
  return seen;
}

}  // namespace hoshi::search
