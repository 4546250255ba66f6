#pragma once

// A tiny fork-join pool for splitting one network evaluation across cores.
// Layers run back to back with a join after each, so the hand-off must be
// cheap: workers spin briefly on a generation counter before sleeping, and
// the caller spins briefly for the last chunk before sleeping too (a worker
// the OS preempted must not cost a core spent in yield()). Work is
// cut into a few chunks per thread that any thread may claim, so a worker the
// OS has not scheduled yet (busy machine) does not hold the caller up: the
// caller just runs the chunks itself.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hoshi::nn {

// Flushes denormal floats to zero on the calling thread (x86 FTZ/DAZ, Arm
// FZ): activations of real positions decay into denormals that cost x86
// cores a hundred cycles per operation. Network threads call it once.
void flushDenormalsOnThisThread();

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }

  // Calls fn(begin, end) on disjoint slices covering [0, n), possibly on
  // several threads, and returns when all are done. Not reentrant.
  void run(int n, const std::function<void(int, int)>& fn);

 private:
  struct Job {
    const std::function<void(int, int)>* fn = nullptr;
    int n = 0;
    int chunks = 0;
  };

  void workerLoop();
  // Claims and runs chunks of generation `gen` until none is left.
  void runChunks(uint32_t gen, const Job& job);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  Job job_;  // guarded by mutex_
  // High 32 bits: generation; low 32 bits: next chunk to claim.
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> done_{0};
  std::atomic<bool> callerWaiting_{false};  // the caller sleeps on doneCv_
  std::condition_variable doneCv_;
  std::atomic<uint32_t> generation_{0};
  bool stop_ = false;  // guarded by mutex_
};

}  // namespace hoshi::nn
