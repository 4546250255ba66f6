#include "search/search.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <thread>
#include <unordered_set>
#include <vector>

#include "search/policy_optimism.h"
#include "search/puct.h"
#include "search/uncertainty.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hoshi::search {
namespace {

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
// How long a worker yields on a collided leaf before it sleeps between polls:
// an evaluation usually ends sooner; a descheduled evaluator may not.
constexpr auto kYieldBeforeSleep = std::chrono::milliseconds(1);

// Gives freed trees and buffers back to the OS (glibc otherwise keeps them in
// its per-thread arenas), so a long-running engine's RSS follows the tree it
// holds, not the largest it ever held.
void returnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Edges of the nodes reachable from the root (a graph: each node once).
int64_t countEdges(const std::unordered_set<const Node*>& nodes) {
  int64_t edges = 0;
  for (const Node* n : nodes) edges += n->numEdges();
  return edges;
}

void countTree(const Node& n, int64_t& nodes, int64_t& edges) {
  ++nodes;
  edges += n.numEdges();
  for (int i = 0; i < n.numEdges(); ++i) {
    const Node* c = n.edge(i).node.load(std::memory_order_acquire);
    if (c) countTree(*c, nodes, edges);
  }
}

}  // namespace

bool MoveFilter::banned(Loc move, Color player, int depth) const {
  for (const MoveRule& r : rules) {
    if (r.player != player || depth >= r.untilDepth) continue;
    const bool listed = std::find(r.moves.begin(), r.moves.end(), move) != r.moves.end();
    if (listed != r.allowOnly) return true;
  }
  return false;
}

bool MoveFilter::operator==(const MoveFilter& o) const {
  if (rules.size() != o.rules.size()) return false;
  for (size_t i = 0; i < rules.size(); ++i) {
    const MoveRule &a = rules[i], &b = o.rules[i];
    if (a.player != b.player || a.moves != b.moves || a.untilDepth != b.untilDepth ||
        a.allowOnly != b.allowOnly)
      return false;
  }
  return true;
}

struct Search::Worker {
  std::mt19937_64 rng;
  std::exception_ptr error;
  const Node* collidedWith = nullptr;  // the leaf another thread was evaluating
  std::vector<ChildValue> children;    // Backup::recompute's scratch
  uint64_t biasKey = 0;                // subtreeBiasKey of the last move descended
  // The last move descended was a pass that ended the game, yet the search
  // goes on behind it (KataGo's forceNonTerminal): conservativePass from
  // the root, or a friendly pass under friendlyPassOk rules.
  bool forceNonTerminal = false;
};

Search::Search(std::shared_ptr<nn::Evaluator> evaluator, const SearchParams& params)
    : evaluator_(std::move(evaluator)) {
  if (!evaluator_) throw std::invalid_argument("Search: no evaluator");
  setParams(params);
}

Search::~Search() = default;

void Search::setParams(const SearchParams& params) {
  const bool rebuild =
      !sharedEvaluation_ &&
      (!cache_ || params.cacheSizePowerOfTwo != params_.cacheSizePowerOfTwo ||
       params.maxBatch != params_.maxBatch || params.maxMemoryMiB != params_.maxMemoryMiB);
  params_ = params;
  params_.numThreads = std::max(1, params_.numThreads);
  if (rebuild) {
    int log2 = params_.cacheSizePowerOfTwo;
    if (params_.maxMemoryMiB > 0) {
      // The cache may take at most half of the budget; the tree gets the rest.
      const size_t half = static_cast<size_t>(params_.maxMemoryMiB) * (1 << 20) / 2;
      while (log2 > 0 && (size_t(1) << log2) * NnCache::bytesPerEntry(19 * 19) > half) --log2;
    }
    queue_.reset();
    cache_ = std::make_unique<NnCache>(log2);
    queue_ = std::make_unique<EvalQueue>(*evaluator_, *cache_, params_.maxBatch);
  }
  seeder_.seed(params_.seedGiven ? params_.seed : std::random_device{}());
}

void Search::shareEvaluation(std::shared_ptr<NnCache> cache, std::shared_ptr<EvalQueue> queue) {
  queue_.reset();
  cache_ = std::move(cache);
  queue_ = std::move(queue);
  sharedEvaluation_ = true;
}

void Search::setMoveFilter(const MoveFilter& filter) {
  if (filter == filter_) return;
  filter_ = filter;
  clearTree();
}

void Search::clearTree() {
  root_ = nullptr;
  ownedRoot_.reset();
  graph_.reset();
  hasRootState_ = false;
}

void Search::setPosition(const GameState& state, bool hidePreRootHistory) {
  const bool graph = wantGraph();
  // With history hidden, the nodes below an older root were evaluated with
  // what the net saw from there: only the same root is reused.
  // With conservativePass, a pass that ends the game is searched on from
  // the root only: below an older root it was scored (as KataGo, start over).
  const bool sameView =
      hidePreRootHistory == hidePreRootHistory_ &&
      (!hidePreRootHistory || state.moves().size() == rootState_.moves().size()) &&
      !(params_.conservativePass && state.passWouldEndGame(state.toMove()));
  if (!sameView) root_ = nullptr;
  hidePreRootHistory_ = hidePreRootHistory;
  // A move filter counts plies from the root: a subtree grown below the old
  // root holds moves the filter bans at the new one, so it is not reused.
  if (hasRootState_ && root_ && filter_.empty() && graph == (graph_ != nullptr) &&
      rootState_.isContinuedBy(state)) {
    const auto& moves = state.moves();
    for (size_t k = rootState_.moves().size(); k < moves.size() && root_; ++k) {
      Node* next = nullptr;
      if (root_->state() == Node::State::kExpanded) {
        for (int i = 0; i < root_->numEdges(); ++i) {
          if (root_->edge(i).move != moves[k].loc) continue;
          if (graph) {
            next = root_->edge(i).node.load(std::memory_order_acquire);
          } else {
            ownedRoot_ = root_->releaseChild(i);  // frees the old root and its other subtrees
            next = ownedRoot_.get();
          }
          break;
        }
      }
      root_ = next;
    }
  } else {
    root_ = nullptr;
  }
  if (!root_) {
    ownedRoot_.reset();
    graph_.reset();
  }
  rootState_ = state;
  hasRootState_ = true;
  const auto& moves = state.moves();
  const Loc lastMove = moves.empty() ? kNullLoc : moves.back().loc;
  const Color lastMover = moves.empty() ? Color::kEmpty : moves.back().color;
  if (graph) {
    if (!graph_) graph_ = std::make_unique<NodeTable>();
    bool created = false;
    if (!root_) root_ = graph_->getOrCreate(graphRootKey(state), lastMove, lastMover, created);
    pruneGraph();
    return;
  }
  if (!root_) {
    ownedRoot_ = std::make_unique<Node>(lastMove, lastMover);
    root_ = ownedRoot_.get();
  }
  int64_t nodes = 0, edges = 0;
  countTree(*root_, nodes, edges);
  nodeCount_ = nodes;
  edgeCount_ = edges;
}

void Search::pruneGraph() {
  const auto live = reachableNodes(*root_);
  nodeCount_ = static_cast<int64_t>(graph_->keepOnly(live));
  edgeCount_ = countEdges(live);
}

size_t Search::treeBytes() const {
  // Nodes below the root also keep their net output alive (shared with the cache).
  const size_t area = size_t(rootState_.board().xSize()) * rootState_.board().ySize();
  // A subtree value bias entry and its map slot come to about 96 bytes.
  const size_t perNode =
      sizeof(Node) + sizeof(nn::NetOutput) + 2 * sizeof(float) * area + (biasTable_ ? 96 : 0);
  // A graph's edges count their visits, and its table keeps a key per node.
  const size_t perEdge = sizeof(Edge) + (graph_ ? sizeof(int64_t) : 0);
  const size_t perGraphNode = graph_ ? 48 : 0;
  return static_cast<size_t>(nodeCount_.load()) * (perNode + perGraphNode) +
         static_cast<size_t>(edgeCount_.load()) * perEdge;
}

bool Search::overMemoryBudget() const {
  if (params_.maxMemoryMiB <= 0) return false;
  const size_t area = size_t(rootState_.board().xSize()) * rootState_.board().ySize();
  const size_t used = treeBytes() + cache_->approxBytes(static_cast<int>(area));
  return used > static_cast<size_t>(params_.maxMemoryMiB) * (1 << 20);
}

void Search::prepareRoot() {
  rulesKey_ = rulesCacheKey(rootState_);
  if (params_.playoutDoublingAdvantage != 0) {
    // Outputs under an advantage differ: keep them apart in the cache, per
    // value and per side it favours.
    uint64_t bits;
    std::memcpy(&bits, &params_.playoutDoublingAdvantage, sizeof bits);
    rulesKey_.lo ^= (bits * 0x9e3779b97f4a7c15ULL) ^ (rootState_.toMove() == Color::kWhite ? 1 : 2);
    rulesKey_.hi ^= bits;
  }
  const int area = rootState_.board().xSize() * rootState_.board().ySize();
  // The dynamic score centre follows what the root expects, so the net's own
  // view of the root is needed first (a cache hit after the first search).
  double whiteScore = 0;
  if (root_->visits() > 0) {
    whiteScore = root_->stats().scoreMean;
  } else if (!rootState_.isGameFinished()) {
    const nn::InputOptions in = netInputs(rootState_, true);
    auto out = queue_->evaluate(rootState_, 0, nnCacheKey(rootState_, rulesKey_, in),
                                pdaFor(rootState_), -1, in);
    whiteScore = out->whiteScoreSelfplay;
  }
  utility_ =
      std::make_unique<Utility>(params_, area, dynamicScoreCentre(params_, whiteScore, area));
}

bool Search::limitReached() const {
  if (root_->state() != Node::State::kExpanded) return false;
  return root_->visits() >= visitLimit_ ||
         playouts_.load(std::memory_order_relaxed) >= playoutLimit_;
}

SearchStats Search::run(const SearchLimits& limits, const Progress& progress,
                        double intervalSeconds, const std::atomic<bool>* externalStop) {
  if (!hasRootState_) throw std::logic_error("Search::run before setPosition");
  const auto start = std::chrono::steady_clock::now();
  stopRequested_ = false;
  playouts_ = 0;
  collisions_ = 0;
  queue_->resetStats();
  visitLimit_ =
      limits.unlimited ? kNoLimit : (limits.maxVisits >= 0 ? limits.maxVisits : params_.maxVisits);
  playoutLimit_ = limits.unlimited
                      ? kNoLimit
                      : (limits.maxPlayouts >= 0 ? limits.maxPlayouts : params_.maxPlayouts);
  double seconds =
      limits.maxSeconds >= 0 ? limits.maxSeconds : (limits.unlimited ? 1e20 : params_.maxTime);
  prepareRoot();
  if (params_.subtreeValueBiasFactor == 0) {
    biasTable_.reset();
  } else if (!biasTable_) {
    biasTable_ = std::make_unique<SubtreeBiasTable>(params_.subtreeValueBiasFreeProp);
  } else {
    biasTable_->clearUnused();
  }

  // numSearchThreads past the cores of a CPU backend would only wait for a
  // lane: the search runs the useful ones (nn::Evaluator::usefulSearchThreads).
  const int numWorkers = evaluator_->usefulSearchThreads(params_.numThreads);
  std::vector<Worker> workers(numWorkers);
  std::mutex doneMutex;
  std::condition_variable doneCv;
  int running = numWorkers;
  for (Worker& w : workers) w.rng.seed(seeder_());
  // The root is evaluated before the threads start: otherwise all but one of
  // them would spin on it, colliding and taking cores from its evaluation.
  if (root_->state() == Node::State::kFresh && !rootState_.isGameFinished() && !limitReached())
    playout(workers.front());
  else
    refreshReusedRoot(workers.front());
  std::vector<std::thread> threads;
  for (Worker& w : workers) {
    threads.emplace_back([&, wp = &w] {
      workerLoop(*wp);
      std::lock_guard<std::mutex> g(doneMutex);
      --running;
      doneCv.notify_all();
    });
  }

  lastStats_ = SearchStats();
  auto nextProgress = start + std::chrono::duration<double>(intervalSeconds);
  const auto deadline = start + std::chrono::duration<double>(std::min(seconds, 1e9));
  {
    std::unique_lock<std::mutex> lock(doneMutex);
    while (running > 0) {
      doneCv.wait_for(lock, std::chrono::milliseconds(5));
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline || (externalStop && externalStop->load())) stopRequested_ = true;
      if (overMemoryBudget()) {
        lastStats_.stoppedByMemory = true;
        stopRequested_ = true;
      }
      if (progress && now >= nextProgress && running > 0) {
        lock.unlock();
        progress(*this);
        lock.lock();
        nextProgress = now + std::chrono::duration<double>(intervalSeconds);
      }
    }
  }
  for (std::thread& t : threads) t.join();
  for (Worker& w : workers) {
    if (w.error) std::rethrow_exception(w.error);
  }

  lastStats_.playouts = playouts_.load();
  lastStats_.collisions = collisions_.load();
  lastStats_.threads = numWorkers;
  lastStats_.rootVisits = root_->visits();
  lastStats_.nodes = nodeCount_.load();
  lastStats_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  lastStats_.eval = queue_->stats();
  returnFreedMemory();
  return lastStats_;
}

void Search::workerLoop(Worker& w) {
  try {
    while (!stopRequested_.load(std::memory_order_relaxed) && !limitReached()) {
      if (rootState_.isGameFinished()) break;
      if (playout(w)) continue;
      collisions_.fetch_add(1, std::memory_order_relaxed);
      waitAfterCollision(w);
    }
  } catch (...) {
    w.error = std::current_exception();
    stopRequested_ = true;
  }
}

// A descent that ends on a leaf another thread is evaluating would take the
// same path again until something changes: wait until that leaf is expanded
// (or abandoned), any playout is backed up, or the search stops, instead of
// spinning on it and taking a core from its evaluation.
void Search::waitAfterCollision(Worker& w) {
  const Node* leaf = w.collidedWith;
  const int64_t playouts = playouts_.load(std::memory_order_relaxed);
  const auto sleepFrom = std::chrono::steady_clock::now() + kYieldBeforeSleep;
  while (leaf->state() == Node::State::kExpanding) {
    if (playouts_.load(std::memory_order_relaxed) != playouts ||
        stopRequested_.load(std::memory_order_relaxed))
      break;
    if (std::chrono::steady_clock::now() < sleepFrom)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

bool Search::playout(Worker& w) {
  GameState state = rootState_;
  w.forceNonTerminal = false;
  std::vector<Node*> path;
  std::vector<int> taken;  // taken[k]: the edge from path[k] to path[k + 1]
  Node* node = root_;
  node->addVirtualLoss();
  path.push_back(node);
  const double lossUtility = -(params_.winLossUtilityFactor + params_.staticScoreUtilityFactor +
                               params_.dynamicScoreUtilityFactor);
  auto undoPath = [&path] {
    for (Node* p : path) p->removeVirtualLoss();
  };
  Sample sample;
  bool caughtUp = false;  // the playout ends on an edge behind a transposition
  while (true) {
    const Node::State s = node->state();  // acquire: the fields below are published
    if (s == Node::State::kExpanded && node->isTerminal()) {
      sample = node->terminalSample();
      break;
    }
    if (s == Node::State::kFresh && node->tryClaim()) {
      try {
        sample = expandLeaf(w, *node, state, static_cast<int>(path.size()) - 1);
      } catch (...) {
        node->abandon();
        undoPath();
        throw;
      }
      break;
    }
    if (s != Node::State::kExpanded) {  // another thread is evaluating it
      undoPath();
      w.collidedWith = node;
      return false;
    }
    const Color pla = state.toMove();
    const int i = selectEdge(*node, pla, params_, path.size() == 1, lossUtility, &w.rng);
    const Loc move = node->edge(i).move;
    Node* child = node->edge(i).node.load(std::memory_order_acquire);
    w.biasKey = 0;
    if (biasTable_ && (!child || child->state() != Node::State::kExpanded)) {
      const auto& moves = state.moves();
      w.biasKey =
          subtreeBiasKey(state.board(), moves.empty() ? kNullLoc : moves.back().loc, move, pla);
    }
    const int stonesBefore = graph_ && !child ? stonesOnBoard(state.board()) : 0;
    const bool friendlyPass = move == kPassLoc && state.shouldSuppressEndGameFromFriendlyPass(pla);
    if (!state.play(move, pla)) state.playAssumeLegal(move, pla);
    w.forceNonTerminal = move == kPassLoc && state.isGameFinished() &&
                         (friendlyPass || (params_.conservativePass && path.size() == 1));
    if (!child)
      child = graph_ ? graphChild(*node, i, pla, state, stonesBefore, w.forceNonTerminal)
                     : node->childAt(i, pla, nodeCount_);
    taken.push_back(i);
    // A graph node searched more from other parents than through this edge
    // already knows more than one more playout would add: the edge takes one
    // more of its visits and the playout ends here (KataGo's catch-up). So
    // does an edge back into this path (a cycle), which must not be descended.
    if (graph_ && (child->visits() > node->edgeVisits(i) ||
                   std::find(path.begin(), path.end(), child) != path.end())) {
      caughtUp = true;
      break;
    }
    child->addVirtualLoss();
    path.push_back(child);
    node = child;
  }
  // The leaf: a terminal sample adds to running sums; a fresh evaluation and
  // every node above it recompute their statistics from their children, each
  // edge on the way counting the playout.
  if (caughtUp) node->addEdgeVisit(taken.back());  // `node` is the edge's parent here
  if (node->isTerminal())
    node->addSample(sample);
  else
    backup_.recompute(*node, w.children);
  for (size_t k = path.size() - 1; k-- > 0;) {
    path[k]->addEdgeVisit(taken[k]);
    backup_.recompute(*path[k], w.children);
  }
  for (Node* p : path) p->removeVirtualLoss();
  playouts_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

Node* Search::graphChild(Node& parent, int i, Color mover, const GameState& state, int parentStones,
                         bool forceNonTerminal) {
  const Edge& e = parent.edge(i);
  bool created = false;
  Hash128 key = graphKey(parent.key(), parentStones, state);
  // A finished game searched on is not the same node as the scored one.
  if (forceNonTerminal) key = mixIn(key, 1, 0x5eed1e55);
  Node* child = graph_->getOrCreate(key, e.move, mover, created);
  if (created) nodeCount_.fetch_add(1, std::memory_order_relaxed);
  return parent.linkChild(i, child);
}

double Search::pdaFor(const GameState& state) const {
  // The advantage is the root player's (the one the engine searches for);
  // the opponent sees it negated.
  const double pda = params_.playoutDoublingAdvantage;
  return state.toMove() == rootState_.toMove() ? pda : -pda;
}

// The root's output averaged over rootNumSymmetriesToSample symmetries
// (`symmetry` first, then the next ones in KataGo's numbering).
std::shared_ptr<const nn::NetOutput> Search::evaluateRoot(const GameState& state, int symmetry,
                                                          const Hash128& key, double pda,
                                                          const nn::InputOptions& in) {
  const double optimism = params_.rootPolicyOptimism;
  const Hash128 rootKey = optimismKey(key, optimism);
  auto first = queue_->evaluate(state, symmetry, rootKey, pda, optimism, in);
  const int n = static_cast<int>(std::clamp<int64_t>(params_.rootNumSymmetriesToSample, 1, 8));
  if (n == 1) return first;
  auto avg = std::make_shared<nn::NetOutput>(*first);
  for (int k = 1; k < n; ++k) {
    // The cache key does not tell symmetries apart: each extra one gets its own.
    const Hash128 symKey = rootKey ^ Hash128(0x9e3779b97f4a7c15ULL * uint64_t(k), uint64_t(k));
    const auto out = queue_->evaluate(state, (symmetry + k) % 8, symKey, pda, optimism, in);
    const nn::NetOutput& o = *out;
    for (size_t i = 0; i < avg->policy.size(); ++i)
      if (avg->policy[i] >= 0) avg->policy[i] += o.policy[i];
    for (size_t i = 0; i < avg->whiteOwnership.size(); ++i)
      avg->whiteOwnership[i] += o.whiteOwnership[i];
    avg->policyPass += o.policyPass;
    avg->whiteWin += o.whiteWin;
    avg->whiteLoss += o.whiteLoss;
    avg->noResult += o.noResult;
    avg->whiteLead += o.whiteLead;
    avg->whiteScoreSelfplay += o.whiteScoreSelfplay;
    avg->whiteScoreSelfplaySq += o.whiteScoreSelfplaySq;
    avg->varTimeLeft += o.varTimeLeft;
    avg->shorttermWinlossError += o.shorttermWinlossError;
    avg->shorttermScoreError += o.shorttermScoreError;
  }
  const float inv = 1.0f / static_cast<float>(n);
  for (float& p : avg->policy)
    if (p >= 0) p *= inv;
  for (float& v : avg->whiteOwnership) v *= inv;
  for (float* v : {&avg->policyPass, &avg->whiteWin, &avg->whiteLoss, &avg->noResult,
                   &avg->whiteLead, &avg->whiteScoreSelfplay, &avg->whiteScoreSelfplaySq,
                   &avg->varTimeLeft, &avg->shorttermWinlossError, &avg->shorttermScoreError})
    *v *= inv;
  return avg;
}

std::shared_ptr<const nn::NetOutput> Search::evaluateNode(Worker& w, const GameState& state,
                                                          bool isRoot) {
  const int symmetry = params_.randomizeSymmetry ? static_cast<int>(w.rng() % 8) : 0;
  const nn::InputOptions in = netInputs(state, isRoot);
  const Hash128 key = nnCacheKey(state, rulesKey_, in);
  if (isRoot) return evaluateRoot(state, symmetry, key, pdaFor(state), in);
  return queue_->evaluate(state, symmetry, optimismKey(key, params_.policyOptimism), pdaFor(state),
                          params_.policyOptimism, in);
}

nn::InputOptions Search::netInputs(const GameState& state, bool isRoot) const {
  nn::InputOptions in;
  if (hidePreRootHistory_)
    in.maxHistory =
        static_cast<int>(state.moves().size()) - static_cast<int>(rootState_.moves().size());
  in.conservativePassAndIsRoot = params_.conservativePass && isRoot;
  in.enablePassingHacks = params_.enablePassingHacks;
  return in;
}

Sample Search::expandLeaf(Worker& w, Node& node, GameState& state, int depth) {
  const bool isRoot = depth == 0;
  if (state.isGameFinished() && !(w.forceNonTerminal && !isRoot)) {
    Sample s = utility_->fromFinishedGame(state);
    node.setTerminal(s);
    return s;
  }
  auto out = evaluateNode(w, state, isRoot);
  std::vector<std::pair<Loc, float>> edges = edgesFrom(*out, state, depth);
  edgeCount_.fetch_add(static_cast<int64_t>(edges.size()), std::memory_order_relaxed);
  const Sample s = sampleFrom(*out, state.board());
  node.setOwnSample(s);
  if (biasTable_ && w.biasKey != 0 && !isRoot) node.setBiasEntry(biasTable_->get(w.biasKey));
  node.expand(std::move(edges), std::move(out));
  return s;
}

std::vector<std::pair<Loc, float>> Search::edgesFrom(const nn::NetOutput& out,
                                                     const GameState& state, int depth) const {
  const Board& b = state.board();
  const Color pla = state.toMove();
  std::vector<std::pair<Loc, float>> edges;
  bool filtered = false;
  auto add = [&](Loc loc, float p) {
    if (!filter_.empty() && filter_.banned(loc, pla, depth))
      filtered = true;
    else
      edges.emplace_back(loc, p);
  };
  for (int y = 0; y < b.ySize(); ++y) {
    for (int x = 0; x < b.xSize(); ++x) {
      const float p = out.policy[size_t(y) * b.xSize() + x];
      if (p >= 0) add(b.loc(x, y), p);
    }
  }
  add(kPassLoc, std::max(0.0f, out.policyPass));
  // Everything banned: passing is always possible (KataGo does the same).
  if (edges.empty() && filtered) edges.emplace_back(kPassLoc, 1.0f);
  // KataGo's softmax(logits / T) is p^(1/T), normalised; the root's temperature
  // comes on top of every node's.
  const double temperature =
      params_.nnPolicyTemperature * (depth == 0 ? params_.rootPolicyTemperature : 1.0);
  if (temperature != 1.0) {
    double sum = 0;
    for (auto& e : edges) {
      e.second = static_cast<float>(std::pow(std::max(e.second, 1e-30f), 1.0 / temperature));
      sum += e.second;
    }
    for (auto& e : edges) e.second = static_cast<float>(e.second / sum);
  }
  // Highest prior first: ties in selection go to the net's favourite.
  std::stable_sort(edges.begin(), edges.end(),
                   [](const auto& a, const auto& b2) { return a.second > b2.second; });
  return edges;
}

void Search::refreshReusedRoot(Worker& w) {
  if (root_->state() != Node::State::kExpanded || root_->isTerminal() ||
      rootState_.isGameFinished())
    return;
  if (params_.rootNumSymmetriesToSample <= 1 && params_.rootPolicyTemperature == 1.0 &&
      params_.rootPolicyOptimism == params_.policyOptimism)
    return;
  auto out = evaluateNode(w, rootState_, true);
  const Sample s = sampleFrom(*out, rootState_.board());
  auto edges = edgesFrom(*out, rootState_, 0);
  if (root_->reprior(std::move(edges), std::move(out))) root_->setOwnSample(s);
}

Sample Search::sampleFrom(const nn::NetOutput& out, const Board& b) const {
  Sample s = utility_->fromNet(out);
  s.weight = uncertaintyWeight(params_, out, utility_->dynamicCentre(), b.xSize() * b.ySize());
  return s;
}

}  // namespace hoshi::search
