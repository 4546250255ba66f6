#include "search/node.h"

#include <thread>

#include "search/subtree_bias.h"

namespace hoshi::search {

void StatSums::add(const Sample& s) {
  const double w = s.weight;
  weight += w;
  weightSq += w * w;
  utility += w * s.utility;
  utilitySq += w * s.utility * s.utility;
  winLoss += w * s.winLoss;
  noResult += w * s.noResult;
  scoreMean += w * s.scoreMean;
  scoreMeanSq += w * s.scoreMeanSq;
  lead += w * s.lead;
}

void StatSums::addAverages(const NodeStats& st, double w) {
  const double scale = st.weight > 0 ? w / st.weight : 0;
  weight += w;
  weightSq += scale * scale * st.weightSq;
  utility += w * st.utility;
  utilitySq += w * st.utilitySq;
  winLoss += w * st.winLoss;
  noResult += w * st.noResult;
  scoreMean += w * st.scoreMean;
  scoreMeanSq += w * st.scoreMeanSq;
  lead += w * st.lead;
}

Node::~Node() {
  if (bias_.entry) bias_.entry->release(bias_.lastDelta, bias_.lastWeight);
  if (inGraph_) return;  // the table owns the children
  for (int i = 0; i < numEdges_; ++i) delete edges_[i].node.load(std::memory_order_relaxed);
}

bool Node::tryClaim() {
  State expected = State::kFresh;
  return state_.compare_exchange_strong(expected, State::kExpanding, std::memory_order_acq_rel);
}

void Node::expand(std::vector<std::pair<Loc, float>> movesAndPriors,
                  std::shared_ptr<const nn::NetOutput> nn) {
  numEdges_ = static_cast<int>(movesAndPriors.size());
  edges_ = std::make_unique<Edge[]>(movesAndPriors.size());
  for (size_t i = 0; i < movesAndPriors.size(); ++i) {
    edges_[i].move = movesAndPriors[i].first;
    edges_[i].prior = movesAndPriors[i].second;
  }
  if (inGraph_) {
    edgeVisits_ = std::make_unique<std::atomic<int64_t>[]>(movesAndPriors.size());
    for (size_t i = 0; i < movesAndPriors.size(); ++i) edgeVisits_[i].store(0);
  }
  nn_ = std::move(nn);
  state_.store(State::kExpanded, std::memory_order_release);
}

bool Node::reprior(std::vector<std::pair<Loc, float>> movesAndPriors,
                   std::shared_ptr<const nn::NetOutput> nn) {
  if (movesAndPriors.size() != static_cast<size_t>(numEdges_)) return false;
  auto edges = std::make_unique<Edge[]>(movesAndPriors.size());
  std::unique_ptr<std::atomic<int64_t>[]> edgeVisits;
  if (edgeVisits_) edgeVisits = std::make_unique<std::atomic<int64_t>[]>(movesAndPriors.size());
  std::vector<bool> taken(movesAndPriors.size(), false);
  for (size_t i = 0; i < movesAndPriors.size(); ++i) {
    edges[i].move = movesAndPriors[i].first;
    edges[i].prior = movesAndPriors[i].second;
    int from = -1;
    for (int j = 0; j < numEdges_ && from < 0; ++j)
      if (!taken[j] && edges_[j].move == edges[i].move) from = j;
    if (from < 0) return false;
    taken[from] = true;
    edges[i].node.store(edges_[from].node.load(std::memory_order_relaxed),
                        std::memory_order_relaxed);
    if (edgeVisits) edgeVisits[i].store(edgeVisits_[from].load());
  }
  edges_ = std::move(edges);
  edgeVisits_ = std::move(edgeVisits);
  nn_ = std::move(nn);
  return true;
}

void Node::setTerminal(const Sample& s) {
  terminal_ = true;
  terminalSample_ = s;
  numEdges_ = 0;
  state_.store(State::kExpanded, std::memory_order_release);
}

Node* Node::childAt(int i, Color childMover, std::atomic<int64_t>& nodeCount) {
  Node* existing = edges_[i].node.load(std::memory_order_acquire);
  if (existing) return existing;
  Node* fresh = new Node(edges_[i].move, childMover);
  if (edges_[i].node.compare_exchange_strong(existing, fresh, std::memory_order_acq_rel)) {
    nodeCount.fetch_add(1, std::memory_order_relaxed);
    return fresh;
  }
  delete fresh;  // another thread won the race; `existing` now holds its node
  return existing;
}

Node* Node::linkChild(int i, Node* child) {
  Node* existing = nullptr;
  if (edges_[i].node.compare_exchange_strong(existing, child, std::memory_order_acq_rel))
    return child;
  return existing;
}

int64_t Node::edgeVisits(int i) const {
  if (edgeVisits_) return edgeVisits_[i].load(std::memory_order_relaxed);
  const Node* c = edges_[i].node.load(std::memory_order_acquire);
  return c ? c->visits() : 0;
}

void Node::addEdgeVisit(int i) {
  if (edgeVisits_) edgeVisits_[i].fetch_add(1, std::memory_order_relaxed);
}

NodeStats Node::childStats(int i) const {
  const Node* c = edges_[i].node.load(std::memory_order_acquire);
  if (!c) return NodeStats();
  NodeStats st = c->stats();
  if (!edgeVisits_ || st.visits <= 0) return st;
  // The child's averages, counted for the playouts that came through this edge.
  const int64_t e = edgeVisits_[i].load(std::memory_order_relaxed);
  const double scale = static_cast<double>(e) / static_cast<double>(st.visits);
  st.visits = e;
  st.weight *= scale;
  st.weightSq *= scale;  // fewer samples of the same spread
  return st;
}

std::unique_ptr<Node> Node::releaseChild(int i) {
  return std::unique_ptr<Node>(edges_[i].node.exchange(nullptr, std::memory_order_acq_rel));
}

void Node::lock() const {
  while (lock_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
}

void Node::addSample(const Sample& s) {
  lock();
  sums_.add(s);
  visits_.fetch_add(1, std::memory_order_relaxed);
  unlock();
}

void Node::setSumsLocked(const StatSums& sums, int64_t addVisits) {
  sums_ = sums;
  visits_.fetch_add(addVisits, std::memory_order_relaxed);
}

NodeStats Node::stats() const {
  NodeStats st;
  lock();
  st.visits = visits_.load(std::memory_order_relaxed);
  if (st.visits > 0 && sums_.weight > 0) {
    const double n = sums_.weight;
    st.weight = sums_.weight;
    st.weightSq = sums_.weightSq;
    st.utility = sums_.utility / n;
    st.utilitySq = sums_.utilitySq / n;
    st.winLoss = sums_.winLoss / n;
    st.noResult = sums_.noResult / n;
    st.scoreMean = sums_.scoreMean / n;
    st.scoreMeanSq = sums_.scoreMeanSq / n;
    st.lead = sums_.lead / n;
  }
  unlock();
  return st;
}

int64_t Node::countNodes() const {
  int64_t n = 1;
  for (int i = 0; i < numEdges_; ++i) {
    const Node* c = edges_[i].node.load(std::memory_order_acquire);
    if (c) n += c->countNodes();
  }
  return n;
}

}  // namespace hoshi::search
