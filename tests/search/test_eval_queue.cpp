#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "search/eval_queue.h"
#include "search/nn_cache.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

const char* const kMoves[] = {"E5", "C3", "G7", "C6", "F3"};

// Computations over the fake backend that hold in compute() until the test
// opens the gate, and record every batch size they run.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  int inside = 0;  // computations in compute() now
  std::vector<int> batches;

  void enter(int size) {
    std::unique_lock<std::mutex> lock(m);
    batches.push_back(size);
    ++inside;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
    --inside;
  }
  void waitInside(int n) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return inside >= n; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(m);
    open = true;
    cv.notify_all();
  }
};

class GatedComputation final : public nn::Computation {
 public:
  GatedComputation(std::unique_ptr<nn::Computation> inner, Gate& gate)
      : inner_(std::move(inner)), gate_(gate) {}
  void addInput(const float* s, const float* g) override { inner_->addInput(s, g); }
  int size() const override { return inner_->size(); }
  void compute() override {
    gate_.enter(inner_->size());
    inner_->compute();
  }
  void clear() override { inner_->clear(); }
  int xSize() const override { return inner_->xSize(); }
  int ySize() const override { return inner_->ySize(); }
  const float* policy(int i) const override { return inner_->policy(i); }
  const float* policyPass(int i) const override { return inner_->policyPass(i); }
  const float* value(int i) const override { return inner_->value(i); }
  const float* scoreValue(int i) const override { return inner_->scoreValue(i); }
  const float* ownership(int i) const override { return inner_->ownership(i); }

 private:
  std::unique_ptr<nn::Computation> inner_;
  Gate& gate_;
};

class GatedBackend final : public nn::Backend {
 public:
  GatedBackend(int lanes, Gate& gate) : gate_(gate) {
    nn::BackendOptions bo;
    bo.fakeMode = "random";
    bo.maxBatch = 8;
    inner_ = nn::createBackend("fake", nullptr, bo);
    attributes_ = inner_->attributes();
    attributes_.lanes = lanes;
  }
  const nn::BackendAttributes& attributes() const override { return attributes_; }
  std::unique_ptr<nn::Computation> newComputation(int x, int y) override {
    return std::make_unique<GatedComputation>(inner_->newComputation(x, y), gate_);
  }

 private:
  std::unique_ptr<nn::Backend> inner_;
  nn::BackendAttributes attributes_;
  Gate& gate_;
};

struct QueueRig {
  Gate gate;
  std::unique_ptr<nn::Evaluator> evaluator;
  NnCache cache{10};
  std::unique_ptr<EvalQueue> queue;
  std::vector<GameState> states;

  explicit QueueRig(int lanes) {
    nn::EvaluatorOptions eo;
    eo.backend = "fake";
    eo.maxBatch = 8;
    evaluator =
        std::make_unique<nn::Evaluator>(std::make_unique<GatedBackend>(lanes, gate), nullptr, eo);
    queue = std::make_unique<EvalQueue>(*evaluator, cache, 8);
    for (int n = 1; n <= 3; ++n)
      states.push_back(stateFromMoves(9, Rules::trompTaylor(), kMoves, n));
  }
  std::thread evaluateAsync(int i) {
    return std::thread([this, i] {
      const GameState& s = states[i];
      queue->evaluate(s, 0, nnCacheKey(s, rulesCacheKey(s)));
    });
  }
  void waitQueued(size_t n) {
    while (queue->queued() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

}  // namespace

TEST_CASE("a free lane runs a request at once; busy lanes batch what queues", "[search]") {
  QueueRig rig(1);
  std::thread first = rig.evaluateAsync(0);
  rig.gate.waitInside(1);  // ran alone: nobody waits for a batch to fill
  std::thread second = rig.evaluateAsync(1);
  std::thread third = rig.evaluateAsync(2);
  rig.waitQueued(2);  // the only lane is busy: both wait in the queue
  rig.gate.release();
  first.join();
  second.join();
  third.join();
  CHECK(rig.gate.batches == std::vector<int>{1, 2});
  CHECK(rig.queue->stats().evaluations == 3);
  CHECK(rig.queue->stats().batches == 2);
}

TEST_CASE("with two lanes two requests run at the same time", "[search]") {
  QueueRig rig(2);
  std::thread first = rig.evaluateAsync(0);
  std::thread second = rig.evaluateAsync(1);
  rig.gate.waitInside(2);  // both inside compute() before either finishes
  rig.gate.release();
  first.join();
  second.join();
  CHECK(rig.gate.batches == std::vector<int>{1, 1});
  CHECK(rig.queue->queued() == 0);
}
