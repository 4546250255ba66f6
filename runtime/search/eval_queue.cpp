#include "search/eval_queue.h"

#include <algorithm>

namespace hoshi::search {
EvalQueue::EvalQueue(nn::Evaluator& evaluator, NnCache& cache, int maxBatch)
    : evaluator_(evaluator),
      cache_(cache),
      maxBatch_(std::max(1, maxBatch)),
      lanes_(evaluator.lanes()) {}

std::shared_ptr<const nn::NetOutput> EvalQueue::evaluate(const GameState& state, int symmetry,
                                                         const Hash128& key, double pda,
                                                         double policyOptimism,
                                                         const nn::InputOptions& inputs) {
  if (auto hit = cache_.find(key)) {
    std::lock_guard<std::mutex> g(mutex_);
    ++stats_.cacheHits;
    return hit;
  }
  Request req;
  req.input = evaluator_.encode(state, symmetry, inputs);
  // The v7 global inputs 15 and 16: playout doubling advantage on, and half of it.
  if (pda != 0 && req.input.global.size() > 16) {
    req.input.global[15] = 1.0f;
    req.input.global[16] = static_cast<float>(0.5 * pda);
  }
  if (policyOptimism >= 0) req.input.policyOptimism = policyOptimism;
  req.key = key;
  std::unique_lock<std::mutex> lock(mutex_);
  pending_.push_back(&req);
  while (!req.done) {
    // A free lane takes what is queued at once: no waiting for company. While
    // every lane is busy, requests pile up and the next free lane runs them
    // as one batch, so batches grow exactly when the net is the bottleneck.
    if (!req.taken && busyLanes_ < lanes_) {
      runBatch(lock);
      continue;
    }
    cv_.wait(lock);
  }
  if (req.error) std::rethrow_exception(req.error);
  return req.output;
}

void EvalQueue::runBatch(std::unique_lock<std::mutex>& lock) {
  // The queue is shared out over the free lanes: two lanes and two waiting
  // positions run one each at once, not both in one batch while a core idles.
  const size_t freeLanes = static_cast<size_t>(std::max(1, lanes_ - busyLanes_));
  const size_t share = (pending_.size() + freeLanes - 1) / freeLanes;
  const size_t n = std::min(share, static_cast<size_t>(maxBatch_));
  std::vector<Request*> batch(pending_.begin(), pending_.begin() + n);
  pending_.erase(pending_.begin(), pending_.begin() + n);
  for (Request* r : batch) r->taken = true;
  ++busyLanes_;
  lock.unlock();

  std::vector<nn::EncodedPosition> inputs;
  inputs.reserve(n);
  for (Request* r : batch) inputs.push_back(std::move(r->input));
  std::vector<nn::NetOutput> outputs;
  std::exception_ptr error;
  try {
    // The backend queues batches past its lanes itself.
    outputs = evaluator_.computeBatch(inputs);
  } catch (...) {
    error = std::current_exception();  // every waiter gets it, none hangs
  }
  for (size_t i = 0; i < n && !error; ++i) {
    auto out = std::make_shared<const nn::NetOutput>(std::move(outputs[i]));
    cache_.insert(batch[i]->key, out);
    batch[i]->output = std::move(out);
  }

  lock.lock();
  for (Request* r : batch) {
    r->error = error;
    r->done = true;
  }
  --busyLanes_;
  stats_.evaluations += static_cast<int64_t>(n);
  stats_.batches += 1;
  cv_.notify_all();
}

size_t EvalQueue::queued() const {
  std::lock_guard<std::mutex> g(mutex_);
  return pending_.size();
}

EvalStats EvalQueue::stats() const {
  std::lock_guard<std::mutex> g(mutex_);
  return stats_;
}

void EvalQueue::resetStats() {
  std::lock_guard<std::mutex> g(mutex_);
  stats_ = EvalStats();
}

}  // namespace hoshi::search
