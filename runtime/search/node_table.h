#pragma once

// The nodes of a search graph (useGraphSearch), keyed by a graph hash of the
// position: two move orders that reach the same position share one node.
// The table owns its nodes; edges only point at them. The key covers what
// decides a node's future (stones, side to move, ko, passes, the end of the
// game); after a capture or a pass, where a position can come back, the key
// also carries the path's key, so repeated positions stay apart.

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "game/game_state.h"
#include "search/node.h"

namespace hoshi::search {

// The graph hash of `state`, reached by one move from a node keyed
// `parentKey` whose board held `parentStones` stones (the root: graphRootKey).
Hash128 graphKey(const Hash128& parentKey, int parentStones, const GameState& state);
int stonesOnBoard(const Board& b);
Hash128 graphRootKey(const GameState& state);

class NodeTable {
 public:
  NodeTable();
  // The node keyed `key`, created (as a child by `mover` playing `move`) if
  // absent; `created` says which.
  Node* getOrCreate(const Hash128& key, Loc move, Color mover, bool& created);
  // Keeps only `live` nodes (the ones reachable from the root) and frees the
  // rest; returns the number kept.
  size_t keepOnly(const std::unordered_set<const Node*>& live);

 private:
  struct KeyHash {
    size_t operator()(const Hash128& h) const { return static_cast<size_t>(h.lo); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Hash128, std::unique_ptr<Node>, KeyHash> nodes;
  };
  static constexpr size_t kShards = 64;
  std::vector<Shard> shards_;
};

// The nodes reachable from `root` (each once).
std::unordered_set<const Node*> reachableNodes(const Node& root);

}  // namespace hoshi::search
