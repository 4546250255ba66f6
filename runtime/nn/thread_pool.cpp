#include "nn/thread_pool.h"

namespace hoshi::nn {

namespace {

// Spin iterations before a worker sleeps: a few microseconds, enough to
// catch the next layer of the same evaluation without a syscall.
constexpr int kSpinIterations = 20000;

void slice(int n, int parts, int index, int& begin, int& end) {
  begin = int(int64_t(n) * index / parts);
  end = int(int64_t(n) * (index + 1) / parts);
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::run(int n, const std::function<void(int, int)>& fn) {
  if (workers_.empty() || n <= 1) {
    fn(0, n);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &fn;
    taskSize_ = n;
    pending_.store(int(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  int begin, end;
  slice(n, size(), 0, begin, end);
  if (begin < end) fn(begin, end);
  while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

void ThreadPool::workerLoop(int index) {
  unsigned seen = 0;
  for (;;) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) ++spins;
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
    }
    seen = generation_.load(std::memory_order_acquire);
    if (stop_) return;
    const std::function<void(int, int)>* task;
    int n;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task = task_;
      n = taskSize_;
    }
    int begin, end;
    slice(n, size(), index, begin, end);
    if (begin < end) (*task)(begin, end);
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace hoshi::nn
