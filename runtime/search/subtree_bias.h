#pragma once

// Subtree value bias (KataGo's subtreeValueBiasFactor): the net misjudges some
// local shapes the same way wherever they occur. Each node made by a move is
// keyed by that move, the move before it and the 5x5 pattern around it (with
// stones in atari and the ko ban); the entry of a key averages, over every
// node with that key, how far the node's subtree's value is from the net's
// value of the node, weighted by the subtree's weight^subtreeValueBiasWeightExponent.
// A node's own net value is then corrected by subtreeValueBiasFactor times
// that average, so what deeper searches learned about a shape reaches fresh
// nodes with the same shape.

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "game/board.h"

namespace hoshi::search {

class SubtreeBiasEntry {
 public:
  explicit SubtreeBiasEntry(double freeProp) : freeProp_(freeProp) {}
  // Replaces a node's previous contribution (delta, weight) with a new one;
  // returns the entry's average delta afterwards (0 while it weighs too little).
  double update(double oldDelta, double oldWeight, double newDelta, double newWeight);
  double average() const;
  // A node leaves the tree: freeProp of what it contributed goes with it.
  void release(double delta, double weight);

 private:
  double averageLocked() const;
  mutable std::mutex mutex_;
  double freeProp_;
  double deltaSum_ = 0;
  double weightSum_ = 0;
};

class SubtreeBiasTable {
 public:
  explicit SubtreeBiasTable(double freeProp) : freeProp_(freeProp), shards_(kShards) {}
  // The entry of a key (subtreeBiasKey), made on first use.
  std::shared_ptr<SubtreeBiasEntry> get(uint64_t key);
  // Forgets entries no node holds any more (between searches).
  void clearUnused();
  size_t size() const;

 private:
  static constexpr size_t kShards = 64;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<uint64_t, std::shared_ptr<SubtreeBiasEntry>> entries;
  };
  double freeProp_;
  std::vector<Shard> shards_;
};

// The key of a move: none (0) for a pass or when there was no previous move.
uint64_t subtreeBiasKey(const Board& before, Loc prevMove, Loc move, Color mover);

}  // namespace hoshi::search
