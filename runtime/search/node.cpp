#include "search/node.h"

#include <thread>

namespace hoshi::search {

Node::~Node() {
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
  nn_ = std::move(nn);
  state_.store(State::kExpanded, std::memory_order_release);
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

std::unique_ptr<Node> Node::releaseChild(int i) {
  return std::unique_ptr<Node>(edges_[i].node.exchange(nullptr, std::memory_order_acq_rel));
}

void Node::lock() const {
  while (lock_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
}

void Node::addSample(const Sample& s) {
  const double w = s.weight;
  lock();
  sumWeight_ += w;
  sumWeightSq_ += w * w;
  sumUtility_ += w * s.utility;
  sumUtilitySq_ += w * s.utility * s.utility;
  sumWinLoss_ += w * s.winLoss;
  sumNoResult_ += w * s.noResult;
  sumScoreMean_ += w * s.scoreMean;
  sumScoreMeanSq_ += w * s.scoreMeanSq;
  sumLead_ += w * s.lead;
  visits_.fetch_add(1, std::memory_order_relaxed);
  unlock();
}

NodeStats Node::stats() const {
  NodeStats st;
  lock();
  st.visits = visits_.load(std::memory_order_relaxed);
  if (st.visits > 0 && sumWeight_ > 0) {
    const double n = sumWeight_;
    st.weight = sumWeight_;
    st.weightSq = sumWeightSq_;
    st.utility = sumUtility_ / n;
    st.utilitySq = sumUtilitySq_ / n;
    st.winLoss = sumWinLoss_ / n;
    st.noResult = sumNoResult_ / n;
    st.scoreMean = sumScoreMean_ / n;
    st.scoreMeanSq = sumScoreMeanSq_ / n;
    st.lead = sumLead_ / n;
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
