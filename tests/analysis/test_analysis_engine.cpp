// The analysis library over the weightless fake network: query parsing and
// its error lines, the scheduler (every turn answered once, terminate,
// dropped clients, the queue bound) and the response fields. Quick, so it
// runs in every build, under qemu and the sanitizers too; the real-net
// checks are the Python clients beside this file.

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/engine.h"
#include "analysis/query.h"
#include "analysis/response.h"
#include "app/options.h"
#include "nn/backend.h"
#include "nn/evaluator.h"

using namespace hoshi;
using namespace hoshi::analysis;
using nlohmann::json;

namespace {

std::shared_ptr<nn::Evaluator> fakeEvaluator() {
  nn::BackendOptions bo;
  bo.fakeMode = "random";
  nn::EvaluatorOptions eo;
  eo.backend = "fake";
  return std::make_shared<nn::Evaluator>(nn::createBackend("fake", nullptr, bo), nullptr, eo);
}

class CollectingSink : public ResponseSink {
 public:
  bool writeLine(const std::string& line) override {
    std::lock_guard<std::mutex> g(mutex_);
    lines_.push_back(json::parse(line));
    cv_.notify_all();
    return true;
  }
  std::vector<json> lines() {
    std::lock_guard<std::mutex> g(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<json> lines_;
};

struct Fixture {
  config::OptionSet options{hoshi::app::programOptions()};
  ParseContext ctx;
  Fixture() { ctx.base = &options; }
  ParseResult parse(const json& q) { return parseLine(q.dump(), ctx); }
};

json query(const std::string& id) {
  return json{{"id", id},           {"moves", json::array({{"B", "C3"}, {"W", "E5"}})},
              {"rules", "chinese"}, {"komi", 7.5},
              {"boardXSize", 7},    {"boardYSize", 7},
              {"maxVisits", 20}};
}

}  // namespace

TEST_CASE("queries parse into turns, parameters and filters", "[analysis]") {
  Fixture f;
  json q = query("a");
  q["analyzeTurns"] = {0, 2};
  q["priorities"] = {1, 5};
  q["avoidMoves"] = json::array({{{"player", "B"}, {"moves", {"D4"}}, {"untilDepth", 2}}});
  q["overrideSettings"] = {{"cpuctExploration", 1.5}};
  ParseResult r = f.parse(q);
  REQUIRE(r.query);
  CHECK(r.messages.empty());
  REQUIRE(r.query->turns.size() == 2);
  CHECK(r.query->turns[1].turnNumber == 2);
  CHECK(r.query->turns[1].priority == 5);
  CHECK(r.query->params.cpuctExploration == 1.5);
  CHECK(r.query->maxVisits == 20);
  CHECK(r.query->report.perspective == Color::kBlack);  // KataGo's analysis default
  REQUIRE(r.query->filter.rules.size() == 1);
  CHECK(r.query->filter.rules[0].untilDepth == 2);
  // ignorePreRootHistory (default true): the net sees no move before turn 2,
  // but the root keeps the game (ko, passes, subtree bias keys need it).
  CHECK(r.query->game->ignorePreRootHistory);
  const GameState s = positionAt(*r.query->game, 2);
  CHECK(s.moves().size() == 2);
  CHECK(s.toMove() == Color::kBlack);
  CHECK(s.board().at(s.board().loc(2, 4)) == Color::kBlack);  // C3
  q["overrideSettings"] = {{"ignorePreRootHistory", false}};
  r = f.parse(q);
  REQUIRE(r.query);
  CHECK(!r.query->game->ignorePreRootHistory);
  CHECK(positionAt(*r.query->game, 2).moves().size() == 2);
}

TEST_CASE("bad queries give KataGo's error lines and no query", "[analysis]") {
  Fixture f;
  auto errorOf = [&](const std::string& line) {
    ParseResult r = parseLine(line, f.ctx);
    CHECK(!r.query);
    CHECK(!r.action);
    REQUIRE(r.messages.size() == 1);
    return json::parse(r.messages[0]);
  };
  CHECK(errorOf("{nope").at("error").get<std::string>().find("could not parse") !=
        std::string::npos);
  CHECK(!errorOf("{\"moves\":[]}").contains("id"));
  json q = query("x");
  q["moves"] = json::array({{"B", "C3"}, {"W", "C3"}});
  json e = errorOf(q.dump());
  CHECK(e.at("field") == "moves");
  CHECK(e.at("id") == "x");
  CHECK(e.at("error") == "Illegal move 1: C3");
  q = query("x");
  q["boardXSize"] = 20;
  CHECK(errorOf(q.dump()).at("field") == "boardXSize");
  q = query("x");
  q["komi"] = "seven";
  CHECK(errorOf(q.dump()).at("field") == "komi");
  q = query("x");
  q["overrideSettings"] = {{"maxVisits", "many"}};
  CHECK(errorOf(q.dump()).at("field") == "overrideSettings");
  // An unknown field is a warning; the query still runs.
  q = query("x");
  q["colour"] = 1;
  ParseResult r = f.parse(q);
  CHECK(r.query);
  REQUIRE(r.messages.size() == 1);
  CHECK(json::parse(r.messages[0]).at("warning").get<std::string>().find("Unexpected") == 0);
}

TEST_CASE("the engine answers every turn once, on the asking client's sink", "[analysis]") {
  Fixture f;
  EngineConfig ec;
  ec.analysisThreads = 2;
  AnalysisEngine engine(fakeEvaluator(), ec);
  auto a = std::make_shared<CollectingSink>();
  auto b = std::make_shared<CollectingSink>();
  json q = query("qa");
  q["analyzeTurns"] = {0, 1, 2};
  q["includeOwnership"] = true;
  q["includePolicy"] = true;
  q["includePVVisits"] = true;
  ParseResult ra = f.parse(q);
  q["id"] = "qb";
  ParseResult rb = f.parse(q);
  REQUIRE(engine.submit(*ra.query, 1, a, nullptr));
  REQUIRE(engine.submit(*rb.query, 2, b, nullptr));
  engine.waitIdle();
  for (auto& [sink, id] : {std::pair{a, "qa"}, std::pair{b, "qb"}}) {
    const auto lines = sink->lines();
    REQUIRE(lines.size() == 3);
    std::vector<int> turns;
    for (const json& l : lines) {
      CHECK(l.at("id") == id);
      turns.push_back(l.at("turnNumber").get<int>());
      CHECK(l.at("rootInfo").at("visits").get<int>() >= 20);
      CHECK(l.at("ownership").size() == 49);
      CHECK(l.at("policy").size() == 50);
      for (const json& m : l.at("moveInfos")) CHECK(m.at("pvVisits").size() == m.at("pv").size());
    }
    std::sort(turns.begin(), turns.end());
    CHECK(turns == std::vector<int>{0, 1, 2});
  }
}

TEST_CASE("terminate, a dropped client and the queue bound", "[analysis]") {
  Fixture f;
  EngineConfig ec;
  ec.analysisThreads = 1;
  ec.maxQueuedPositions = 4;
  AnalysisEngine engine(fakeEvaluator(), ec);
  auto a = std::make_shared<CollectingSink>();
  auto b = std::make_shared<CollectingSink>();
  json q = query("long");
  q["maxVisits"] = 100000000;
  q["analyzeTurns"] = {0, 1};
  REQUIRE(engine.submit(*f.parse(q).query, 1, a, nullptr));
  q["id"] = "gone";
  REQUIRE(engine.submit(*f.parse(q).query, 2, b, nullptr));
  // Two waiting + two more than the bound of 4 allows.
  q["analyzeTurns"] = {0, 1, 2};
  std::string error;
  CHECK(!engine.submit(*f.parse(q).query, 2, b, &error));
  CHECK(error.find("analysisMaxQueuedPositions") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  engine.dropClient(2);
  engine.terminate(1, std::string("long"), std::nullopt);
  engine.waitIdle();
  const auto la = a->lines();
  REQUIRE(la.size() == 2);  // one partial, one noResults
  int noResults = 0;
  for (const json& l : la) noResults += l.value("noResults", false);
  CHECK(noResults >= 1);
  CHECK(b->lines().empty());  // a client that went away gets nothing
}
