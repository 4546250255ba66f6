// The Eigen backend's fork-join pool: every index runs exactly once, on
// back-to-back jobs, whatever the thread count.

#include <catch2/catch.hpp>

#include <time.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "nn/eigen/thread_pool.h"

using hoshi::nn::ThreadPool;

TEST_CASE("thread pool covers every index exactly once", "[nn][eigen][pool]") {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    REQUIRE(pool.size() == threads);
    for (int n : {0, 1, 2, 5, 25, 36, 361, 1000}) {
      // Many jobs in a row, as layers of an evaluation are.
      for (int rep = 0; rep < 50; ++rep) {
        std::vector<std::atomic<int>> hits(n);
        for (auto& h : hits) h = 0;
        // Catch assertions are not thread-safe: record, check afterwards.
        std::atomic<bool> badRange{false};
        pool.run(n, [&](int begin, int end) {
          if (begin < 0 || begin > end || end > n) badRange = true;
          for (int i = begin; i < end && i < n; ++i) hits[i]++;
        });
        REQUIRE_FALSE(badRange);
        for (int i = 0; i < n; ++i) REQUIRE(hits[i] == 1);
      }
    }
  }
}

TEST_CASE("thread pool jobs see the caller's writes and publish theirs", "[nn][eigen][pool]") {
  ThreadPool pool(4);
  std::vector<long> data(4096, 0);
  for (int step = 1; step <= 200; ++step) {
    pool.run(int(data.size()), [&](int begin, int end) {
      for (int i = begin; i < end; ++i) data[i] += i + step;
    });
  }
  for (int i = 0; i < 4096; ++i) REQUIRE(data[i] == 200L * i + 200L * 201 / 2);
}

TEST_CASE("network threads flush denormals to zero", "[nn][pool]") {
  // Activations of real positions decay into denormals, which cost x86 cores
  // ~100 cycles per operation: the search ran 175 instead of ~225 visits/s.
  float flushed = -1;
  std::thread t([&] {
    hoshi::nn::flushDenormalsOnThisThread();
    volatile float tiny = 1e-39f;  // a denormal
    flushed = tiny * 3.0f;
  });
  t.join();
#if defined(__x86_64__) || defined(__aarch64__)
  REQUIRE(flushed == 0.0f);
#endif
  volatile float tiny = 1e-39f;  // other threads keep IEEE behaviour
  REQUIRE(tiny * 3.0f != 0.0f);
}

TEST_CASE("thread pool caller sleeps while a late worker finishes", "[nn][eigen][pool]") {
  // A worker that is slow (preempted on a busy machine) must not cost the
  // caller a core spent spinning: past a short spin it sleeps until the last
  // chunk is done, and still sees every chunk done.
  hoshi::nn::ThreadPool pool(2);
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> covered{0};
  std::atomic<bool> workerSlept{false};
  timespec before{}, after{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before);
  const auto start = std::chrono::steady_clock::now();
  pool.run(64, [&](int begin, int end) {
    if (std::this_thread::get_id() != caller) {
      if (!workerSlept.exchange(true)) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } else {
      // Let the worker take a chunk before the caller takes them all.
      for (int i = 0; i < 2000 && !workerSlept; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    covered += end - begin;
  });
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after);
  const double cpu = double(after.tv_sec - before.tv_sec) + 1e-9 * (after.tv_nsec - before.tv_nsec);
  CHECK(covered == 64);
  if (workerSlept) {  // the worker took a chunk (it may not on a busy machine)
    CHECK(wall >= 0.19);
    CHECK(cpu < 0.05);  // a spinning caller would burn most of the 200 ms
  }
}
