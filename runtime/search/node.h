#pragma once

// The search tree. A node is a position reached by a move; it is expanded once
// (by the one thread that claims it) into edges carrying the policy priors;
// child nodes are created only when first visited, so a 19x19 expansion costs
// 361 small edges, not 361 nodes. Statistics are weighted sums from WHITE's
// point of view, recomputed from the children at each backup (backup.h) and
// guarded by a per-node spin lock; visits in flight are counted as virtual
// losses so concurrent threads spread out. With useGraphSearch the nodes form
// a graph instead (node_table.h): a child reached from several parents is
// weighed by each through its edge's own visit count.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "game/board.h"
#include "nn/evaluator.h"

namespace hoshi::search {

class SubtreeBiasEntry;

// One value sample (a net evaluation or a scored end of game), white's view.
struct Sample {
  double utility = 0;
  double winLoss = 0;  // whiteWin - whiteLoss
  double noResult = 0;
  double scoreMean = 0;
  double scoreMeanSq = 0;
  double lead = 0;
  // How much the sample counts in the averages (uncertainty.h); 1 by default.
  double weight = 1;
};

// Weighted averages of the samples below a node, white's view.
struct NodeStats {
  int64_t visits = 0;
  double weight = 0;    // sum of the samples' weights (== visits when all weigh 1)
  double weightSq = 0;  // sum of their squares (effective samples: weight^2 / weightSq)
  double utility = 0;
  double utilitySq = 0;
  double winLoss = 0;
  double noResult = 0;
  double scoreMean = 0;
  double scoreMeanSq = 0;
  double lead = 0;
};

// Weighted sums a node's statistics are made of (NodeStats are these over weight).
struct StatSums {
  double weight = 0;
  double weightSq = 0;
  double utility = 0;
  double utilitySq = 0;
  double winLoss = 0;
  double noResult = 0;
  double scoreMean = 0;
  double scoreMeanSq = 0;
  double lead = 0;
  void add(const Sample& s);  // a sample of weight s.weight
  // Another node's averages, counted with `weight` (weightSq scaled with it).
  void addAverages(const NodeStats& st, double weight);
};

// A node's link to its subtree value bias entry and what it last put in it.
struct BiasLink {
  std::shared_ptr<SubtreeBiasEntry> entry;
  double lastDelta = 0;
  double lastWeight = 0;
};

class Node;

struct Edge {
  Loc move = kNullLoc;
  float prior = 0;
  std::atomic<Node*> node{nullptr};
};

class Node {
 public:
  enum class State : uint8_t { kFresh, kExpanding, kExpanded };

  Node(Loc move, Color mover) : move_(move), mover_(mover) {}
  // A node of a search graph (node_table.h): owned by the table, not by the
  // edge that leads to it, and its edges count their own visits, since it may
  // be reached from several parents (`key` is its graph hash).
  Node(Loc move, Color mover, const Hash128& key)
      : move_(move), mover_(mover), inGraph_(true), key_(key) {}
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  Loc move() const { return move_; }
  // Who played move() (kEmpty at a root without a move).
  Color mover() const { return mover_; }

  State state() const { return state_.load(std::memory_order_acquire); }
  // True for exactly one caller while fresh; that caller must expand() or abandon().
  bool tryClaim();
  void abandon() { state_.store(State::kFresh, std::memory_order_release); }
  // Publishes the edges (moves with priors). The net output is kept for analysis.
  void expand(std::vector<std::pair<Loc, float>> movesAndPriors,
              std::shared_ptr<const nn::NetOutput> nn);
  // New priors for an expanded node's moves (the same moves, in the new
  // order), each child kept behind its move; only while no search runs.
  // False, and nothing changed, when the moves differ.
  bool reprior(std::vector<std::pair<Loc, float>> movesAndPriors,
               std::shared_ptr<const nn::NetOutput> nn);
  // A scored end of game: every visit returns the same sample.
  void setTerminal(const Sample& s);
  bool isTerminal() const { return terminal_; }
  const Sample& terminalSample() const { return terminalSample_; }

  int numEdges() const { return numEdges_; }
  Edge& edge(int i) { return edges_[i]; }
  const Edge& edge(int i) const { return edges_[i]; }
  // The child behind edge i, created on demand (thread-safe). nodeCount is
  // incremented when this call created it.
  Node* childAt(int i, Color childMover, std::atomic<int64_t>& nodeCount);
  // Detaches the child behind edge i (tree reuse); null if never visited.
  std::unique_ptr<Node> releaseChild(int i);
  // A graph node: edge i leads to `child` unless it already leads somewhere;
  // returns the node it leads to.
  Node* linkChild(int i, Node* child);
  bool inGraph() const { return inGraph_; }
  const Hash128& key() const { return key_; }

  // Playouts through edge i: counted per edge in a graph (the child may have
  // more from other parents), else the child's visits.
  int64_t edgeVisits(int i) const;
  void addEdgeVisit(int i);
  // The child behind edge i as this node weighs it: in a graph its visits are
  // the edge's and its weights scale with them; null stats if never visited.
  NodeStats childStats(int i) const;
  const std::shared_ptr<const nn::NetOutput>& nnOutput() const { return nn_; }
  // The node's own net evaluation (white's view); set before expand().
  void setOwnSample(const Sample& s) { own_ = s; }
  const Sample& ownSample() const { return own_; }
  double nnUtility() const { return own_.utility; }
  void setNnUtility(double u) { own_.utility = u; }

  // Running sums: a terminal node, or a test building a tree by hand.
  void addSample(const Sample& s);
  // Statistics recomputed from the children (backup.h), under lockStats():
  // the sums are replaced and `addVisits` visits added.
  void lockStats() const { lock(); }
  void unlockStats() const { unlock(); }
  void setSumsLocked(const StatSums& sums, int64_t addVisits);
  BiasLink& biasLinkLocked() { return bias_; }
  void setBiasEntry(std::shared_ptr<SubtreeBiasEntry> e) { bias_.entry = std::move(e); }
  void addVirtualLoss() { virtualLosses_.fetch_add(1, std::memory_order_relaxed); }
  void removeVirtualLoss() { virtualLosses_.fetch_sub(1, std::memory_order_relaxed); }
  int virtualLosses() const { return virtualLosses_.load(std::memory_order_relaxed); }
  NodeStats stats() const;
  int64_t visits() const { return visits_.load(std::memory_order_relaxed); }

  // Nodes in this subtree, this one included.
  int64_t countNodes() const;

 private:
  void lock() const;
  void unlock() const { lock_.clear(std::memory_order_release); }

  Loc move_;
  Color mover_;
  bool inGraph_ = false;
  Hash128 key_;
  std::atomic<State> state_{State::kFresh};
  bool terminal_ = false;
  Sample terminalSample_;
  int numEdges_ = 0;
  std::unique_ptr<Edge[]> edges_;
  std::unique_ptr<std::atomic<int64_t>[]> edgeVisits_;  // graph nodes only
  std::shared_ptr<const nn::NetOutput> nn_;
  Sample own_;
  BiasLink bias_;

  mutable std::atomic_flag lock_ = ATOMIC_FLAG_INIT;
  std::atomic<int64_t> visits_{0};
  std::atomic<int> virtualLosses_{0};
  StatSums sums_;
};

}  // namespace hoshi::search
