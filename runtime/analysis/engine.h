#pragma once

// The analysis engine's scheduler: positions from every client wait in one
// queue (highest priority first, then oldest) and numAnalysisThreads
// searches take them, each with numSearchThreadsPerAnalysisThread threads,
// all feeding one network cache and one batch queue. Each finished position
// is answered on the sink of the client that asked; terminate stops waiting
// and running positions; a client that goes away loses only its own.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "analysis/query.h"
#include "nn/evaluator.h"
#include "search/eval_queue.h"
#include "search/nn_cache.h"
#include "search/search_params.h"

namespace hoshi::analysis {

// Where a client's response lines go; called from any thread.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // One JSON line, without its newline. False once the client is gone.
  virtual bool writeLine(const std::string& line) = 0;
};

// The defaults here are those of the settings (analysis/options.cpp declares
// numAnalysisThreads, numSearchThreadsPerAnalysisThread and
// analysisMaxQueuedPositions with them; the batch and the cache are the
// search's declared nnMaxBatchSize and nnCacheSizePowerOfTwo).
struct EngineConfig {
  int analysisThreads = 2;
  int searchThreadsPerAnalysisThread = 1;
  size_t maxQueuedPositions = 10000;
  int maxBatch = search::SearchParams().maxBatch;
  int cacheSizePowerOfTwo = search::SearchParams().cacheSizePowerOfTwo;
};

class AnalysisEngine {
 public:
  AnalysisEngine(std::shared_ptr<nn::Evaluator> evaluator, const EngineConfig& config);
  ~AnalysisEngine();
  AnalysisEngine(const AnalysisEngine&) = delete;
  AnalysisEngine& operator=(const AnalysisEngine&) = delete;

  // Queues every turn of `query`, or none with *error set when the queue
  // would grow beyond maxQueuedPositions.
  bool submit(const Query& query, uint64_t client, std::shared_ptr<ResponseSink> sink,
              std::string* error);
  // The client's positions with this id (any id when null), restricted to
  // these turn numbers when given: waiting ones are answered with noResults,
  // running ones stop and report what they found.
  void terminate(uint64_t client, const std::optional<std::string>& id,
                 const std::optional<std::vector<int>>& turnNumbers);
  // The client is gone: its positions end without answers.
  void dropClient(uint64_t client);
  // Blocks until the client (every client when 0) has nothing waiting or running.
  void waitIdle(uint64_t client = 0);
  void clearCache() { cache_->clear(); }

  size_t queuedPositions() const;
  const nn::Evaluator& evaluator() const { return *evaluator_; }

 private:
  struct Task;
  struct TaskOrder {
    bool operator()(const std::shared_ptr<Task>& a, const std::shared_ptr<Task>& b) const;
  };
  void workerLoop(int index);
  void runTask(search::Search& search, Task& task);
  void finish(const std::shared_ptr<Task>& task);

  std::shared_ptr<nn::Evaluator> evaluator_;
  EngineConfig config_;
  std::shared_ptr<search::NnCache> cache_;
  std::shared_ptr<search::EvalQueue> queue_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // workers: a task arrived or stopping
  std::condition_variable idle_;  // waitIdle: a task finished
  std::set<std::shared_ptr<Task>, TaskOrder> waiting_;
  std::vector<std::shared_ptr<Task>> running_;
  uint64_t nextSeq_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace hoshi::analysis
