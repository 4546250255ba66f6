// The search in the background (search/async_search.h) and the Engine
// façade over it: analysis with periodic reports, pondering after genmove,
// a cancellable move search, prompt stops, restarts and destruction while a
// search runs. The Engine cases search with the real b6c96 net (the fake
// one under an emulator).

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/options.h"
#include "search/async_search.h"
#include "search/engine.h"
#include "search/search_params.h"
#include "search/search_result.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;
using Clock = std::chrono::steady_clock;

namespace {

// What "promptly" means for a stop: well under a second natively (a few
// network evaluations); the sanitizers slow each evaluation 3-15x.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define HOSHI_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define HOSHI_TEST_SANITIZED 1
#endif
#endif
#ifdef HOSHI_TEST_SANITIZED
constexpr double kPromptSeconds = 3.0;
#else
constexpr double kPromptSeconds = 0.5;
#endif

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Polls `done` for up to `seconds`.
template <typename F>
bool eventually(F done, double seconds = 20) {
  const auto start = Clock::now();
  while (!done()) {
    if (secondsSince(start) > seconds) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A job that runs until its flag is set, as a search runs until stopped.
struct SpinJob {
  std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> ran = std::make_shared<std::atomic<int>>(0);
  AsyncSearch::Job job() const {
    return [stop = stop, ran = ran] {
      ran->fetch_add(1);
      while (!stop->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    };
  }
  std::function<void()> stopper() const {
    return [stop = stop] { stop->store(true); };
  }
};

}  // namespace

TEST_CASE("AsyncSearch runs one job at a time, stops it and joins", "[async]") {
  AsyncSearch async;
  CHECK_FALSE(async.isRunning());
  async.stopAndWait();  // nothing running: returns at once

  SpinJob a, b;
  async.start(a.job(), a.stopper());
  REQUIRE(eventually([&] { return a.ran->load() == 1; }));
  CHECK(async.isRunning());
  CHECK_FALSE(a.stop->load());

  // A second start stops the first and waits for it before running.
  async.start(b.job(), b.stopper());
  CHECK(a.stop->load());
  REQUIRE(eventually([&] { return b.ran->load() == 1; }));
  CHECK(async.isRunning());

  // stop() only asks; stopAndWait() returns with the job over.
  async.stop();
  CHECK(b.stop->load());
  async.stopAndWait();
  CHECK_FALSE(async.isRunning());

  // A job that ends by itself; wait() does not stop it.
  std::atomic<int> counted{0};
  async.start([&] { counted = 42; }, [] { FAIL("a finished job must not be stopped"); });
  async.wait();
  CHECK(counted == 42);
  CHECK_FALSE(async.isRunning());
  async.stop();  // nothing runs: the finished job's stopper is not called
}

TEST_CASE("AsyncSearch destroyed while running stops and joins its job", "[async]") {
  SpinJob a;
  auto async = std::make_unique<AsyncSearch>();
  async->start(a.job(), a.stopper());
  REQUIRE(eventually([&] { return a.ran->load() == 1; }));
  const auto t = Clock::now();
  async.reset();
  CHECK(a.stop->load());
  CHECK(secondsSince(t) < 1.0);
}

TEST_CASE("AsyncSearch refuses to wait for itself from its own job", "[async]") {
  AsyncSearch async;
  std::atomic<int> outcome{0};
  async.start(
      [&] {
        try {
          async.stopAndWait();
          outcome = 1;
        } catch (const std::logic_error&) {
          outcome = 2;
        }
      },
      [] {});
  async.wait();
  CHECK(outcome == 2);
}

namespace {

// Under an emulator (a cross build's qemu-user) b6c96 runs 30-100x slower:
// there the weightless fake net drives the same background machinery.
bool emulated() {
  return std::string(HOSHI_RUN_PREFIX).find_first_not_of(' ') != std::string::npos;
}

std::shared_ptr<nn::Evaluator> sharedEvaluator() {
  static std::shared_ptr<nn::Evaluator> evaluator;  // loaded once for all cases
  if (evaluator) return evaluator;
  if (emulated()) return evaluator = fakeEvaluator("random", 8);
  const std::string model = testModelPath();
  REQUIRE(!model.empty());  // the shared b6c96 net (or HOSHI_TEST_MODEL)
  return evaluator = std::shared_ptr<nn::Evaluator>(nn::Evaluator::load(model, {}));
}

// An engine over the real b6c96 net on 9x9, two search threads.
std::unique_ptr<Engine> netEngine(bool ponder = false) {
  config::OptionSet options(searchOptions());
  options.set("defaultBoardSize", "9", "test");
  options.set("maxVisits", "16", "test");
  options.set("numSearchThreads", "2", "test");
  options.set("searchRandSeed", "5", "test");
  options.set("ponderingEnabled", ponder ? "true" : "false", "test");
  options.set("maxVisitsPondering", "60", "test");
  auto engine = std::make_unique<Engine>(options.params());
  engine->setEvaluator(sharedEvaluator());
  return engine;
}

// Reports of one analysis, taken on the search thread.
struct Reports {
  std::mutex m;
  std::vector<int64_t> visits;
  std::vector<Color> pla;
  std::vector<Loc> best;
  Engine::SearchReport callback() {
    return [this](const Search& s) {
      const SearchResult r = collectResult(s, false, 1, 2);
      std::lock_guard<std::mutex> g(m);
      visits.push_back(r.root.visits);
      pla.push_back(r.root.pla);
      best.push_back(r.moves.empty() ? kNullLoc : r.moves[0].move);
    };
  }
  size_t count() {
    std::lock_guard<std::mutex> g(m);
    return visits.size();
  }
};

}  // namespace

TEST_CASE("Engine analysis reports periodically until stopped, then restarts", "[async]") {
  auto engine = netEngine();
  Reports first;
  engine->startAnalysis(Color::kBlack, MoveFilter(), 0.02, first.callback());
  CHECK(engine->isSearching());
  REQUIRE(eventually([&] { return first.count() >= 5; }));

  auto t = Clock::now();
  engine->stopAndWait();
  const double stopSeconds = secondsSince(t);
  CHECK(stopSeconds < kPromptSeconds);
  CHECK_FALSE(engine->isSearching());
  const size_t n = first.count();
  {
    std::lock_guard<std::mutex> g(first.m);
    // The tree grows from report to report; black to move at the root.
    for (size_t i = 1; i < n; ++i) CHECK(first.visits[i] >= first.visits[i - 1]);
    CHECK(first.visits.back() > first.visits.front());
    for (Color c : first.pla) CHECK(c == Color::kBlack);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(first.count() == n);  // nothing after the stop

  // Analysis for the side not to move: a pass is inserted (white to move).
  Reports second;
  engine->startAnalysis(Color::kWhite, MoveFilter(), 0.02, second.callback());
  REQUIRE(eventually([&] { return second.count() >= 3; }));
  // A command that changes the position stops the analysis first.
  engine->play(Color::kBlack, engine->board().loc(4, 4));
  CHECK_FALSE(engine->isSearching());
  const size_t m = second.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(second.count() == m);
  std::lock_guard<std::mutex> g(second.m);
  for (Color c : second.pla) CHECK(c == Color::kWhite);
  CHECK(first.count() == n);  // the first analysis's callback is gone
}

TEST_CASE("Engine analysis honours an allow filter for its root moves", "[async]") {
  auto engine = netEngine();
  const Board& b = engine->board();
  MoveFilter filter;
  MoveRule allow;
  allow.player = Color::kBlack;
  allow.allowOnly = true;
  allow.moves = {b.loc(2, 2), b.loc(6, 6)};
  filter.rules.push_back(allow);
  Reports r;
  engine->startAnalysis(Color::kBlack, filter, 0.02, r.callback());
  REQUIRE(eventually([&] { return r.count() >= 3; }));
  engine->stopAndWait();
  std::lock_guard<std::mutex> g(r.m);
  for (Loc l : r.best) CHECK((l == b.loc(2, 2) || l == b.loc(6, 6) || l == kNullLoc));
}

TEST_CASE("Engine destroyed during analysis stops and joins promptly", "[async]") {
  auto engine = netEngine();
  Reports r;
  engine->startAnalysis(Color::kBlack, MoveFilter(), 0.02, r.callback());
  REQUIRE(eventually([&] { return r.count() >= 2; }));
  const auto t = Clock::now();
  engine.reset();
  CHECK(secondsSince(t) < kPromptSeconds);
  const size_t n = r.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(r.count() == n);
}

TEST_CASE("Engine ponders after genmove, within its own limit", "[async]") {
  auto engine = netEngine(true);
  const Loc move = engine->genmove(Color::kBlack);
  CHECK((engine->board().isOnBoard(move) || move == kPassLoc));
  // Pondering on white's turn runs in the background until
  // maxVisitsPondering (60), then ends by itself.
  CHECK(engine->isSearching());
  engine->waitForSearch();
  CHECK_FALSE(engine->isSearching());

  // Stopped early by the opponent's move, pondering does not delay it.
  engine->genmove(Color::kWhite);
  CHECK(engine->isSearching());
  const auto t = Clock::now();
  engine->play(Color::kBlack, kPassLoc);
  CHECK(secondsSince(t) < kPromptSeconds);
  CHECK_FALSE(engine->isSearching());
  CHECK(engine->state().moves().size() == 3);

  // Without the setting, genmove leaves nothing running.
  auto quiet = netEngine(false);
  quiet->genmove(Color::kBlack);
  CHECK_FALSE(quiet->isSearching());
}

TEST_CASE("Engine move search in the background: done, or stopped early", "[async]") {
  auto engine = netEngine();
  std::atomic<int> calls{0};
  std::atomic<Loc> chosen{kNullLoc};
  auto done = [&](Loc l) {
    chosen = l;
    calls.fetch_add(1);
  };
  auto failed = [&](const std::string&) { calls.fetch_add(100); };
  engine->startChooseMove(Color::kBlack, done, failed);
  engine->waitForSearch();
  CHECK(calls == 1);
  CHECK((engine->board().isOnBoard(chosen.load()) || chosen.load() == kPassLoc));
  CHECK(engine->state().moves().empty());  // chosen, not played

  // maxVisits far away: only the stop ends it, and `done` still answers.
  config::Params p = engine->params();
  p.maxVisits = 1000000;
  p.maxTime = 1000;
  engine->setParams(p);
  engine->startChooseMove(Color::kBlack, done, failed);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(engine->isSearching());
  const auto t = Clock::now();
  engine->stopSearch();  // as a signal watcher does, from any thread
  REQUIRE(eventually([&] { return !engine->isSearching(); }, 2.0));
  CHECK(secondsSince(t) < kPromptSeconds);
  engine->stopAndWait();
  CHECK(calls == 2);
}

TEST_CASE("Engine analysis hides the moves before the root from the net unless told not to",
          "[async]") {
  for (bool hide : {true, false}) {
    config::OptionSet options(searchOptions());
    options.set("defaultBoardSize", "9", "test");
    options.set("numSearchThreads", "1", "test");
    options.set("nnRandomize", "false", "test");
    options.set("analysisIgnorePreRootHistory", hide ? "true" : "false", "test");
    Engine engine(options.params());
    engine.setEvaluator(sharedEvaluator());
    const Board& b = engine.board();
    engine.play(Color::kBlack, b.loc(4, 4));
    engine.play(Color::kWhite, b.loc(2, 2));
    std::mutex m;
    std::vector<float> rootPolicy;
    engine.startAnalysis(Color::kBlack, MoveFilter(), 0.02, [&](const Search& s) {
      std::lock_guard<std::mutex> g(m);
      if (rootPolicy.empty() && s.root() && s.root()->nnOutput())
        rootPolicy = s.root()->nnOutput()->policy;
    });
    REQUIRE(eventually([&] {
      std::lock_guard<std::mutex> g(m);
      return !rootPolicy.empty();
    }));
    engine.stopAndWait();
    INFO("analysisIgnorePreRootHistory " << hide);
    nn::Evaluator& eval = *engine.evaluator();
    nn::InputOptions none;
    none.maxHistory = 0;
    const std::vector<float> hidden = eval.evaluate(engine.state(), 0, none).policy;
    const std::vector<float> shown = eval.evaluate(engine.state(), 0).policy;
    REQUIRE(hidden != shown);
    CHECK(rootPolicy == (hide ? hidden : shown));
  }
}
