#pragma once

// Batches network evaluations across search threads. Each thread encodes its
// position itself (in parallel) and queues it. Whenever one of the backend's
// lanes is free, a waiting thread takes its share of what is queued (split
// over the free lanes, up to the batch size) and runs it there, then wakes
// the others. Nobody waits for a batch to
// fill: on a CPU with a lane per thread each position runs at once, and while
// all lanes are busy (a GPU, more threads than lanes) the queue grows into the
// next batch by itself, like a network server thread taking its queue.

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

  // Blocks until the output is known (from the cache or the net).
  // pda: KataGo's playoutDoublingAdvantage as the player to move sees it
  // (0: the input is left off); policyOptimism >= 0 overrides the
  // evaluator's; `inputs`: the rest the net is told (nn::InputOptions).
  // The key must tell different values of any of them apart.
  std::shared_ptr<const nn::NetOutput> evaluate(const GameState& state, int symmetry,
                                                const Hash128& key, double pda = 0,
                                                double policyOptimism = -1,
                                                const nn::InputOptions& inputs = {});

  // Requests waiting for a lane now (diagnostics and tests).
  size_t queued() const;
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
  int busyLanes_ = 0;  // batches running now
  EvalStats stats_;
};

}  // namespace hoshi::search
