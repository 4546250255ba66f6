#pragma once

// Search in the background, the idea of KataGo's AsyncBot: at most one job
// (analysis, pondering, a cancellable move search) runs at a time, on a
// thread this object owns. Starting a job first stops the running one and
// waits for its end, so two searches never share a tree; stop() may come
// from any thread (a signal watcher, a vanished front end) and does not
// wait; stopAndWait() returns once the job, its last report included, is
// over; the destructor stops and joins. The Engine façade owns one
// (search/engine.h); nothing above the search layer starts search threads.

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace hoshi::search {

class AsyncSearch {
 public:
  using Job = std::function<void()>;

  AsyncSearch() = default;
  ~AsyncSearch();
  AsyncSearch(const AsyncSearch&) = delete;
  AsyncSearch& operator=(const AsyncSearch&) = delete;

  // Stops and waits for the running job, then runs `job` on a new thread.
  // `stopJob` ends `job` early (thread-safe, e.g. MctsPlayer::stop); the
  // caller arms the search before (MctsPlayer::resetStop) so that a stop
  // arriving before the job starts is not lost. From the controlling thread
  // only, like stopAndWait().
  void start(Job job, std::function<void()> stopJob);
  // Asks the running job to end; returns at once. Any thread; a no-op when
  // nothing runs.
  void stop();
  // stop(), then waits until the job has returned. Called from the job's
  // own thread (a report callback reaching back) it throws
  // std::logic_error rather than wait for itself forever.
  void stopAndWait();
  // Waits for the running job to end by itself (a bounded search), without
  // stopping it.
  void wait();
  // True from start() until the job has returned.
  bool isRunning() const { return running_.load(); }

 private:
  void join();

  std::mutex mutex_;  // guards stopJob_ against stop() from other threads
  std::function<void()> stopJob_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace hoshi::search
