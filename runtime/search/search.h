#pragma once

// Monte-Carlo tree search over a GameState with a network Evaluator: N
// threads descend the tree by PUCT with virtual losses, share batched
// evaluations and a network cache, and back up utilities. The tree is kept
// between moves and re-rooted at the new position when it is a continuation.
// The result (move choice, analysis) is read with search_result.h.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "game/game_state.h"
#include "nn/evaluator.h"
#include "search/backup.h"
#include "search/eval_queue.h"
#include "search/nn_cache.h"
#include "search/node.h"
#include "search/node_table.h"
#include "search/search_params.h"
#include "search/subtree_bias.h"
#include "search/utility.h"

namespace hoshi::search {

// Limits of one search on top of the params' maxVisits/maxPlayouts/maxTime.
struct SearchLimits {
  int64_t maxVisits = -1;    // < 0: params
  int64_t maxPlayouts = -1;  // < 0: params
  double maxSeconds = -1;    // < 0: params' maxTime
  bool unlimited = false;    // analysis/pondering: only stop() or the time ends it
};

// Moves the search may not explore (KataGo's avoidMoves/allowMoves and the
// avoid/allow of kata-analyze): each rule applies to one player's moves at
// plies below untilDepth (ply 0 is the root's move). An allow rule bans every
// move it does not list.
struct MoveRule {
  Color player = Color::kBlack;
  std::vector<Loc> moves;
  int untilDepth = 1;
  bool allowOnly = false;
};

struct MoveFilter {
  std::vector<MoveRule> rules;
  bool empty() const { return rules.empty(); }
  // Is `move` by `player` at `depth` plies below the root banned?
  bool banned(Loc move, Color player, int depth) const;
  bool operator==(const MoveFilter& o) const;
};

struct SearchStats {
  int64_t playouts = 0;    // this search
  int64_t rootVisits = 0;  // reused visits included
  int64_t nodes = 0;
  // Descents that met a leaf another thread was evaluating (nothing backed
  // up; the thread retried): the cost of running threads in parallel.
  int64_t collisions = 0;
  int threads = 0;  // search threads that ran (Evaluator::usefulSearchThreads)
  double seconds = 0;
  EvalStats eval;
  bool stoppedByMemory = false;
};

class Search {
 public:
  Search(std::shared_ptr<nn::Evaluator> evaluator, const SearchParams& params);
  ~Search();

  // Takes effect at the next run(); a new cache size rebuilds the cache.
  void setParams(const SearchParams& params);
  // Uses a cache and batch queue shared with other searches (the analysis
  // engine's searches all feed one queue); setParams then keeps them.
  void shareEvaluation(std::shared_ptr<NnCache> cache, std::shared_ptr<EvalQueue> queue);
  // Bans moves from the next run(); a different filter clears the tree.
  void setMoveFilter(const MoveFilter& filter);
  const MoveFilter& moveFilter() const { return filter_; }
  const SearchParams& params() const { return params_; }

  // Sets the position to search, reusing the subtree if `state` continues
  // the previous root's game and no move filter is set. hidePreRootHistory:
  // the net sees only the moves played after this root (KataGo's
  // ignorePreRootHistory); the search still knows the whole game (ko,
  // superko, passes, and the previous move of subtree value bias keys).
  void setPosition(const GameState& state, bool hidePreRootHistory = false);
  void clearTree();

  // Called every `intervalSeconds` from the thread that called run().
  using Progress = std::function<void(const Search&)>;
  // Runs until a limit is reached or stop() is called (from any thread).
  // `externalStop`, when given, is polled too (a flag owned by the caller,
  // which may be set before this search even starts).
  SearchStats run(const SearchLimits& limits, const Progress& progress = nullptr,
                  double intervalSeconds = 0.1, const std::atomic<bool>* externalStop = nullptr);
  void stop() { stopRequested_.store(true); }

  const GameState& rootState() const { return rootState_; }
  const Node* root() const { return root_; }
  const Utility& utility() const { return *utility_; }
  const SearchStats& lastStats() const { return lastStats_; }
  // Bytes the tree holds (estimate used for maxMemoryMiB).
  size_t treeBytes() const;

 private:
  struct Worker;
  void workerLoop(Worker& w);
  // One descent, evaluation and backup; false on a collision (nothing backed up).
  bool playout(Worker& w);
  // The graph node behind `parent`'s edge i, by which `mover` reached `state`
  // from a board of `parentStones` stones: found in the table or created there.
  Node* graphChild(Node& parent, int i, Color mover, const GameState& state, int parentStones,
                   bool forceNonTerminal);
  // Is the tree to build a graph (useGraphSearch, and no move filter, whose
  // bans depend on the depth a node is reached at)?
  bool wantGraph() const { return params_.useGraphSearch && filter_.empty(); }
  // Frees the graph's nodes the root no longer reaches; counts what is left.
  void pruneGraph();
  void waitAfterCollision(Worker& w);
  Sample expandLeaf(Worker& w, Node& node, GameState& state, int depth);
  // The net's output for a node (a random symmetry unless fixed); the root
  // as evaluateRoot evaluates it.
  std::shared_ptr<const nn::NetOutput> evaluateNode(Worker& w, const GameState& state, bool isRoot);
  // What the net is told at `state` (a root's descendant) besides the
  // position: the history it may see, the pass handling.
  nn::InputOptions netInputs(const GameState& state, bool isRoot) const;
  // The moves and priors of a node expanded from `out` at `depth` (the move
  // filter applied; at the root, rootPolicyTemperature), highest prior first.
  std::vector<std::pair<Loc, float>> edgesFrom(const nn::NetOutput& out, const GameState& state,
                                               int depth) const;
  // A root reused from the last search was expanded as an inner node: when
  // the root is evaluated differently (rootNumSymmetriesToSample,
  // rootPolicyTemperature, rootPolicyOptimism), evaluate it again as the
  // root and give its edges the new priors, its subtree kept (as KataGo does).
  void refreshReusedRoot(Worker& w);
  // A node's own sample from its net output (uncertainty.h weighs it).
  Sample sampleFrom(const nn::NetOutput& out, const Board& b) const;
  std::shared_ptr<const nn::NetOutput> evaluateRoot(const GameState& state, int symmetry,
                                                    const Hash128& key, double pda,
                                                    const nn::InputOptions& in);
  bool limitReached() const;
  bool overMemoryBudget() const;
  void prepareRoot();
  // playoutDoublingAdvantage as the player to move at `state` sees it.
  double pdaFor(const GameState& state) const;

  std::shared_ptr<nn::Evaluator> evaluator_;
  SearchParams params_;
  Backup backup_{params_};
  std::unique_ptr<SubtreeBiasTable> biasTable_;  // while subtreeValueBiasFactor != 0
  std::shared_ptr<NnCache> cache_;
  std::shared_ptr<EvalQueue> queue_;
  bool sharedEvaluation_ = false;
  MoveFilter filter_;
  GameState rootState_;
  bool hasRootState_ = false;
  bool hidePreRootHistory_ = false;
  Node* root_ = nullptr;
  std::unique_ptr<Node> ownedRoot_;   // a tree's root (it owns the tree)
  std::unique_ptr<NodeTable> graph_;  // a graph's nodes, the root among them
  std::unique_ptr<Utility> utility_;
  Hash128 rulesKey_;
  std::mt19937_64 seeder_;

  // State of the running search.
  std::atomic<bool> stopRequested_{false};
  std::atomic<int64_t> playouts_{0};
  std::atomic<int64_t> collisions_{0};
  std::atomic<int64_t> nodeCount_{0};
  std::atomic<int64_t> edgeCount_{0};
  int64_t visitLimit_ = 0;
  int64_t playoutLimit_ = 0;
  SearchStats lastStats_;
};

}  // namespace hoshi::search
