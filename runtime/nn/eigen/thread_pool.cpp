#include "nn/eigen/thread_pool.h"

#include <algorithm>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace hoshi::nn {

namespace {

// Spin iterations (each a pause of ~0.05-0.1 us) before a worker sleeps:
// about a hundred microseconds, enough to catch the next layer of the same
// evaluation without a syscall.
constexpr int kSpinIterations = 2000;
// Chunks per thread: enough to even out uneven progress, few enough that
// claiming them costs nothing.
constexpr int kChunksPerThread = 4;

// Tells the core this thread is spinning: without it a spinning thread takes
// execution units from its SMT sibling, which may be running the work.
inline void cpuRelax() {
#if defined(__SSE__) || defined(__x86_64__)
  _mm_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ volatile("yield");
#endif
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
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

void ThreadPool::runChunks(uint32_t gen, const Job& job) {
  for (;;) {
    uint64_t cur = claim_.load(std::memory_order_acquire);
    int chunk;
    do {
      // A worker that woke late must not touch a newer job's chunks.
      if (uint32_t(cur >> 32) != gen) return;
      chunk = int(cur & 0xffffffffu);
      if (chunk >= job.chunks) return;
    } while (!claim_.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel));
    int begin = int(int64_t(job.n) * chunk / job.chunks);
    int end = int(int64_t(job.n) * (chunk + 1) / job.chunks);
    if (begin < end) (*job.fn)(begin, end);
    // seq_cst with the caller's callerWaiting_ store then done_ load: either
    // it sees this chunk done or this sees it waiting.
    if (done_.fetch_add(1) + 1 == job.chunks && callerWaiting_.load()) {
      std::lock_guard<std::mutex> lock(mutex_);
      doneCv_.notify_all();
    }
  }
}

void ThreadPool::run(int n, const std::function<void(int, int)>& fn) {
  if (workers_.empty() || n <= 1) {
    fn(0, n);
    return;
  }
  Job job{&fn, n, std::min(n, size() * kChunksPerThread)};
  uint32_t gen;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = job;
    done_.store(0, std::memory_order_relaxed);
    gen = generation_.load(std::memory_order_relaxed) + 1;
    claim_.store(uint64_t(gen) << 32, std::memory_order_release);
    generation_.store(gen, std::memory_order_release);
  }
  wake_.notify_all();
  runChunks(gen, job);
  for (int spins = 0; spins < kSpinIterations; ++spins) {
    if (done_.load(std::memory_order_acquire) == job.chunks) return;
    cpuRelax();
  }
  // A worker is late (preempted on a busy machine): sleep rather than take
  // the core it may need.
  std::unique_lock<std::mutex> lock(mutex_);
  callerWaiting_.store(true);
  doneCv_.wait(lock, [&] { return done_.load() == job.chunks; });
  callerWaiting_.store(false);
}

void flushDenormalsOnThisThread() {
#if defined(__SSE__) || defined(__x86_64__)
  _mm_setcsr(_mm_getcsr() | 0x8040);  // FTZ | DAZ
#elif defined(__aarch64__)
  uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1ull << 24)));  // FZ
#endif
}

void ThreadPool::workerLoop() {
  flushDenormalsOnThisThread();
  uint32_t seen = 0;
  for (;;) {
    for (int spins = 0; spins < kSpinIterations; ++spins) {
      if (generation_.load(std::memory_order_acquire) != seen) break;
      cpuRelax();
    }
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
      if (stop_) return;
      seen = generation_.load();
      job = job_;
    }
    runChunks(seen, job);
  }
}

}  // namespace hoshi::nn
