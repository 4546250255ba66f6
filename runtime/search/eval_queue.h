#pragma once

// Batches network evaluations across search threads. Each thread encodes its
// position itself (in parallel), queues it and waits; the thread whose
// request fills the batch (as many requests as threads still searching, or
// the backend's batch size, shared out over the backend's lanes: with as
// many lanes as threads on a CPU, each thread runs its own position at once)
// runs the whole batch and wakes the others. A
// request that waits too long runs a partial batch, so a thread that is busy
// elsewhere (a cache hit, a collision) never stalls the rest.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "game/game_state.h"
#include "nn/evaluator.h"
#include "search/nn_cache.h"

namespace hoshi::search {

struct EvalStats {
  int64_t evaluations = 0;  // positions sent to the net
  int64_t batches = 0;
  int64_t cacheHits = 0;
};

class EvalQueue {
 public:
  EvalQueue(nn::Evaluator& evaluator, NnCache& cache, int maxBatch);

  // Threads taking part in the current search; the batch target follows it.
  void threadStarted();
  void threadFinished();

  // Blocks until the output is known (from the cache or the net).
  std::shared_ptr<const nn::NetOutput> evaluate(const GameState& state, int symmetry,
                                                const Hash128& key);

  EvalStats stats() const;
  void resetStats();

 private:
  struct Request {
    nn::EncodedPosition input;
    Hash128 key;
    std::shared_ptr<const nn::NetOutput> output;
    std::exception_ptr error;
    bool taken = false;
    bool done = false;
  };

  // Takes up to maxBatch pending requests and evaluates them; `lock` is held
  // on entry and on return, released while the net runs.
  void runBatch(std::unique_lock<std::mutex>& lock);

  nn::Evaluator& evaluator_;
  NnCache& cache_;
  int maxBatch_;
  int lanes_;  // batches the evaluator runs at once

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Request*> pending_;
  int activeThreads_ = 0;
  EvalStats stats_;
};

}  // namespace hoshi::search
