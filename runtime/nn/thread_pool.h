#pragma once

// A tiny fork-join pool for splitting one network evaluation across cores.
// Layers run back to back with a join after each, so the hand-off must be
// cheap: workers spin briefly on a generation counter before sleeping.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hoshi::nn {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }

  // Calls fn(begin, end) on disjoint slices covering [0, n), one slice per
  // thread (the caller takes the first), and returns when all are done.
  // Not reentrant: one run at a time.
  void run(int n, const std::function<void(int, int)>& fn);

 private:
  void workerLoop(int index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<unsigned> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
  const std::function<void(int, int)>* task_ = nullptr;
  int taskSize_ = 0;
};

}  // namespace hoshi::nn
