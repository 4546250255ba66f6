#include "search/async_search.h"

#include <exception>
#include <iostream>
#include <stdexcept>

namespace hoshi::search {
namespace {

// The AsyncSearch whose job this thread runs, if any: the job sets it itself,
// so the check cannot race with start() storing the std::thread.
thread_local const AsyncSearch* runningHere = nullptr;

}  // namespace

AsyncSearch::~AsyncSearch() {
  stop();
  join();
}

void AsyncSearch::start(Job job, std::function<void()> stopJob) {
  stopAndWait();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopJob_ = std::move(stopJob);
  }
  running_.store(true);
  try {
    thread_ = std::thread([this, job = std::move(job)] {
      runningHere = this;
      try {
        job();
      } catch (const std::exception& e) {
        // The jobs report their own errors; this only keeps a stray one
        // from ending the process.
        std::cerr << "hoshi: background search failed: " << e.what() << "\n";
      }
      running_.store(false);
    });
  } catch (...) {
    running_.store(false);
    throw;
  }
}

void AsyncSearch::stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_.load() && stopJob_) stopJob_();
}

void AsyncSearch::stopAndWait() {
  stop();
  join();
}

void AsyncSearch::wait() {
  join();
}

void AsyncSearch::join() {
  if (runningHere == this) throw std::logic_error("a background search cannot wait for itself");
  if (!thread_.joinable()) return;
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  stopJob_ = nullptr;
}

}  // namespace hoshi::search
