#include "analysis/engine.h"

#include <algorithm>

#include "analysis/response.h"
#include "search/search.h"

namespace hoshi::analysis {

struct AnalysisEngine::Task {
  std::string id;
  int turnNumber = 0;
  int priority = 0;
  uint64_t seq = 0;
  uint64_t client = 0;
  std::shared_ptr<const GameRecord> game;
  search::SearchParams params;
  int64_t maxVisits = -1;
  search::MoveFilter filter;
  ReportOptions report;
  std::shared_ptr<ResponseSink> sink;
  std::atomic<bool> stop{false};
  std::atomic<bool> silent{false};  // the client is gone: no answer
};

bool AnalysisEngine::TaskOrder::operator()(const std::shared_ptr<Task>& a,
                                           const std::shared_ptr<Task>& b) const {
  if (a->priority != b->priority) return a->priority > b->priority;
  return a->seq < b->seq;
}

AnalysisEngine::AnalysisEngine(std::shared_ptr<nn::Evaluator> evaluator, const EngineConfig& config)
    : evaluator_(std::move(evaluator)), config_(config) {
  cache_ = std::make_shared<search::NnCache>(config_.cacheSizePowerOfTwo);
  queue_ = std::make_shared<search::EvalQueue>(*evaluator_, *cache_, std::max(1, config_.maxBatch));
  for (int i = 0; i < std::max(1, config_.analysisThreads); ++i)
    workers_.emplace_back([this, i] { workerLoop(i); });
}

AnalysisEngine::~AnalysisEngine() {
  {
    std::lock_guard<std::mutex> g(mutex_);
    stopping_ = true;
    for (auto& t : running_) t->silent = t->stop = true;
    waiting_.clear();
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

bool AnalysisEngine::submit(const Query& query, uint64_t client, std::shared_ptr<ResponseSink> sink,
                            std::string* error) {
  std::lock_guard<std::mutex> g(mutex_);
  if (waiting_.size() + query.turns.size() > config_.maxQueuedPositions) {
    if (error)
      *error = "Too many positions waiting: " + std::to_string(waiting_.size()) +
               " queued, this query adds " + std::to_string(query.turns.size()) +
               ", the limit is " + std::to_string(config_.maxQueuedPositions) +
               " (analysisMaxQueuedPositions); query dropped";
    return false;
  }
  for (const TurnRequest& t : query.turns) {
    auto task = std::make_shared<Task>();
    task->id = query.id;
    task->turnNumber = t.turnNumber;
    task->priority = t.priority;
    task->seq = nextSeq_++;
    task->client = client;
    task->game = query.game;
    task->params = query.params;
    task->params.numThreads = std::max(1, config_.searchThreadsPerAnalysisThread);
    task->maxVisits = query.maxVisits;
    task->filter = query.filter;
    task->report = query.report;
    task->sink = sink;
    waiting_.insert(std::move(task));
  }
  wake_.notify_all();
  return true;
}

void AnalysisEngine::terminate(uint64_t client, const std::optional<std::string>& id,
                               const std::optional<std::vector<int>>& turnNumbers) {
  auto matches = [&](const Task& t) {
    if (t.client != client) return false;
    if (id && t.id != *id) return false;
    if (turnNumbers &&
        std::find(turnNumbers->begin(), turnNumbers->end(), t.turnNumber) == turnNumbers->end())
      return false;
    return true;
  };
  std::vector<std::shared_ptr<Task>> dropped;
  {
    std::lock_guard<std::mutex> g(mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (matches(**it)) {
        dropped.push_back(*it);
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& t : running_)
      if (matches(*t)) t->stop = true;
  }
  for (auto& t : dropped) t->sink->writeLine(noResultsResponse(t->id, t->turnNumber));
  idle_.notify_all();
}

void AnalysisEngine::dropClient(uint64_t client) {
  {
    std::lock_guard<std::mutex> g(mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end();)
      it = (*it)->client == client ? waiting_.erase(it) : std::next(it);
    for (auto& t : running_)
      if (t->client == client) t->silent = t->stop = true;
  }
  idle_.notify_all();
}

void AnalysisEngine::waitIdle(uint64_t client) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto busy = [&] {
    for (const auto& t : waiting_)
      if (client == 0 || t->client == client) return true;
    for (const auto& t : running_)
      if (client == 0 || t->client == client) return true;
    return false;
  };
  idle_.wait(lock, [&] { return !busy(); });
}

size_t AnalysisEngine::queuedPositions() const {
  std::lock_guard<std::mutex> g(mutex_);
  return waiting_.size();
}

void AnalysisEngine::workerLoop(int /*index*/) {
  search::SearchParams initial;
  initial.numThreads = std::max(1, config_.searchThreadsPerAnalysisThread);
  search::Search search(evaluator_, initial);
  search.shareEvaluation(cache_, queue_);
  while (true) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      task = *waiting_.begin();
      waiting_.erase(waiting_.begin());
      running_.push_back(task);
    }
    runTask(search, *task);
    finish(task);
  }
}

void AnalysisEngine::runTask(search::Search& search, Task& task) {
  try {
    search.setParams(task.params);
    search.setMoveFilter(task.filter);
    search.clearTree();  // a query never reuses another's tree, as in KataGo
    const GameState state = positionAt(*task.game, task.turnNumber);
    search.setPosition(state, task.game->ignorePreRootHistory);
    search::SearchLimits limits;
    limits.maxVisits = task.maxVisits;
    search::Search::Progress progress;
    const double every = task.report.reportEvery;
    if (every > 0) {
      progress = [&task](const search::Search& s) {
        if (!task.silent && s.root() && s.root()->visits() > 0)
          if (!task.sink->writeLine(formatResponse(s, task.id, task.turnNumber, task.report, true)))
            task.silent = task.stop = true;
      };
    }
    search.run(limits, progress, every > 0 ? every : 1e9, &task.stop);
    if (task.silent) return;
    const search::Node* root = search.root();
    if (task.stop && (!root || root->visits() == 0))
      task.sink->writeLine(noResultsResponse(task.id, task.turnNumber));
    else {
      // A finished game is not searched; the net still gives its view.
      std::unique_ptr<nn::NetOutput> raw;
      if (!root || root->state() != search::Node::State::kExpanded) {
        nn::InputOptions in;
        if (task.game->ignorePreRootHistory) in.maxHistory = 0;
        raw = std::make_unique<nn::NetOutput>(evaluator_->evaluate(
            state, task.params.randomizeSymmetry ? static_cast<int>(task.seq % 8) : 0, in));
      }
      task.sink->writeLine(
          formatResponse(search, task.id, task.turnNumber, task.report, false, raw.get()));
    }
  } catch (const std::exception& e) {
    if (!task.silent)
      task.sink->writeLine(fieldErrorLine(task.id, "",
                                          std::string("analysis failed for turn ") +
                                              std::to_string(task.turnNumber) + ": " + e.what()));
  }
}

void AnalysisEngine::finish(const std::shared_ptr<Task>& task) {
  {
    std::lock_guard<std::mutex> g(mutex_);
    running_.erase(std::find(running_.begin(), running_.end(), task));
  }
  idle_.notify_all();
}

}  // namespace hoshi::analysis
