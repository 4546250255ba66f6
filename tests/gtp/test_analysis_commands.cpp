// Analysis and search commands over the weightless fake network: the
// streaming framing of kata-analyze / lz-analyze (answer at once, info lines
// until the next command, a blank line to close), genmove_analyze, and
// pondering stopped by the next command.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/options.h"
#include "config/options.h"
#include "gtp/session.h"
#include "nn/backend.h"
#include "nn/evaluator.h"
#include "search/engine.h"

using namespace hoshi;

namespace {

class LockedSink : public gtp::Sink {
 public:
  void write(const std::string& response) override {
    std::lock_guard<std::mutex> g(m_);
    text_ += response;
  }
  std::string text() {
    std::lock_guard<std::mutex> g(m_);
    return text_;
  }

 private:
  std::mutex m_;
  std::string text_;
};

struct AnalysisFixture {
  config::OptionSet options{hoshi::app::programOptions()};
  std::unique_ptr<Engine> engine;
  std::unique_ptr<gtp::Session> session;
  LockedSink sink;

  explicit AnalysisFixture(bool ponder = false) {
    options.set("maxVisits", "30", "test");
    options.set("searchRandSeed", "7", "test");
    options.set("ponderingEnabled", ponder ? "true" : "false", "test");
    engine = std::make_unique<Engine>(options.params());
    nn::BackendOptions bo;
    bo.fakeMode = "random";
    nn::EvaluatorOptions eo;
    eo.backend = "fake";
    engine->setEvaluator(
        std::make_shared<nn::Evaluator>(nn::createBackend("fake", nullptr, bo), nullptr, eo));
    session = std::make_unique<gtp::Session>(*engine, options);
  }
  void send(const std::string& line) { session->processLine(line, sink); }
  // Waits (up to 10 s) until the output (from byte `from` on) holds `needle`.
  bool waitFor(const std::string& needle, size_t from = 0) {
    for (int i = 0; i < 1000; ++i) {
      if (sink.text().find(needle, from) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("kata-analyze streams info lines until the next command", "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  f.send("play b E5");
  const size_t start = f.sink.text().size();
  f.send("7 kata-analyze 5 ownership true");
  REQUIRE(f.waitFor("info move"));
  REQUIRE(f.waitFor(" ownership "));
  f.send("8 name");
  const std::string out = f.sink.text().substr(start);
  auto ls = lines(out);
  REQUIRE(ls.size() >= 4);
  CHECK(ls[0] == "=7");
  // Info lines, then the blank line closing the response, then name's answer.
  size_t i = 1;
  for (; i < ls.size() && !ls[i].empty(); ++i) {
    CHECK(ls[i].rfind("info move ", 0) == 0);
    CHECK(ls[i].find(" winrate ") != std::string::npos);
    CHECK(ls[i].find(" pv ") != std::string::npos);
    const size_t own = ls[i].find(" ownership ");
    REQUIRE(own != std::string::npos);
    std::istringstream values(ls[i].substr(own + 11));
    int n = 0;
    for (double v; values >> v; ++n) CHECK((v >= -1.0 && v <= 1.0));
    CHECK(n == 81);
  }
  REQUIRE(i + 1 < ls.size());
  CHECK(ls[i + 1].rfind("=8 ", 0) == 0);
}

TEST_CASE("lz-analyze reports winrates in ten-thousandths", "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  f.send("lz-analyze 5");
  REQUIRE(f.waitFor("info move"));
  f.send("stop");
  const std::string out = f.sink.text();
  const size_t at = out.find("info move");
  std::istringstream in(out.substr(at));
  std::string info, move, vertex, visitsKey, visits, winrateKey;
  int winrate = -1;
  in >> info >> move >> vertex >> visitsKey >> visits >> winrateKey >> winrate;
  CHECK(visitsKey == "visits");
  CHECK(winrateKey == "winrate");
  CHECK(winrate >= 0);
  CHECK(winrate <= 10000);
  CHECK(out.find("\n\n=") != std::string::npos);  // closed, then stop's answer
}

TEST_CASE("kata-genmove_analyze streams then plays its move", "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  f.send("3 kata-genmove_analyze b 1");
  const std::string out = f.sink.text();
  const size_t play = out.find("\nplay ");
  REQUIRE(play != std::string::npos);
  CHECK(out.find("=3\n") != std::string::npos);
  CHECK(out.substr(out.size() - 2) == "\n\n");
  CHECK(f.engine->state().moves().size() == 1);
  CHECK(f.engine->state().toMove() == Color::kWhite);
}

TEST_CASE("kata-genmove_analyze in a finished game is one well-framed response", "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  f.send("play b pass");
  f.send("play w pass");
  const size_t start = f.sink.text().size();
  f.send("4 kata-genmove_analyze b 1");
  f.send("5 lz-genmove_analyze b 1");
  // No blank line before "play": that would end the response early.
  CHECK(f.sink.text().substr(start) == "=4\nplay pass\n\n=5\nplay pass\n\n");
}

TEST_CASE("pondering after genmove stops at the next command", "[analysis]") {
  AnalysisFixture f(true);
  f.send("boardsize 9");
  f.send("1 genmove b");
  REQUIRE(f.waitFor("=1 "));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let it ponder
  f.send("2 play w C3");
  CHECK(f.waitFor("=2"));
  f.send("3 genmove b");
  CHECK(f.waitFor("=3 "));
  CHECK(f.engine->state().moves().size() == 3);
}

namespace {

// The first info line of a kata-analyze run with `args`, stopped by a command.
std::string firstAnalysisLine(AnalysisFixture& f, const std::string& args) {
  const size_t start = f.sink.text().size();
  f.send("kata-analyze " + args);
  REQUIRE(f.waitFor("info move", start));
  f.send("name");
  REQUIRE(f.waitFor("= Hoshi", start));
  const auto ls = lines(f.sink.text().substr(start));
  REQUIRE(ls.size() >= 2);
  REQUIRE(ls[0] == "=");
  return ls[1];
}

size_t countOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("kata-analyze takes KataGo's options: rootInfo, pvVisits, ownershipStdev, ...",
          "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  const std::string line = firstAnalysisLine(
      f,
      "b 5 rootInfo true pvVisits true pvEdgeVisits true ownership true ownershipStdev true "
      "movesOwnership true noResultValue true");
  CHECK(line.find(" rootInfo visits ") != std::string::npos);
  CHECK(line.find(" rawVarTimeLeft ") != std::string::npos);
  CHECK(countOf(line, " pvVisits ") == countOf(line, "info move "));
  CHECK(countOf(line, " pvEdgeVisits ") == countOf(line, "info move "));
  CHECK(countOf(line, " movesOwnership ") == countOf(line, "info move "));
  CHECK(countOf(line, " noResultValue ") == countOf(line, "info move "));
  // ownership and ownershipStdev follow everything else, 81 values each.
  const size_t own = line.find(" ownership ");
  const size_t stdev = line.find(" ownershipStdev ");
  REQUIRE(own != std::string::npos);
  REQUIRE(stdev != std::string::npos);
  std::istringstream values(line.substr(stdev + 16));
  int n = 0;
  for (double v; values >> v; ++n) CHECK((v >= 0.0 && v <= 1.0));
  CHECK(n == 81);
}

TEST_CASE("kata-analyze avoid, allow, minmoves and maxmoves", "[analysis]") {
  AnalysisFixture f;
  f.send("boardsize 9");
  // allow: only these two moves (and nothing else) at the root.
  std::string line = firstAnalysisLine(f, "b 5 allow b E5,C3 1");
  for (size_t p = line.find("info move "); p != std::string::npos;
       p = line.find("info move ", p + 1)) {
    const std::string move = line.substr(p + 10, line.find(' ', p + 10) - p - 10);
    CHECK((move == "E5" || move == "C3"));
  }
  // avoid: never at the root.
  line = firstAnalysisLine(f, "b 5 avoid b E5,pass 1 maxmoves 3");
  CHECK(line.find("info move E5 ") == std::string::npos);
  CHECK(line.find("info move pass ") == std::string::npos);
  CHECK(countOf(line, "info move ") <= 3);
  // minmoves: unvisited moves are listed too.
  line = firstAnalysisLine(f, "b 5 minmoves 40");
  CHECK(countOf(line, "info move ") >= 40);
  // Malformed: an error, not a stream.
  const size_t start = f.sink.text().size();
  f.send("kata-analyze b 5 avoid b E5 0");
  f.send("kata-analyze b 5 allow b E5 1 allow b C3 1");
  f.send("lz-analyze b 5 rootInfo true");
  CHECK(countOf(f.sink.text().substr(start), "? ") == 3);
}

TEST_CASE("kata-analyze 0 reports as often as the search can, as KataGo", "[analysis]") {
  AnalysisFixture f;
  f.options.set("maxVisits", "100000", "test");
  f.send("boardsize 9");
  const size_t start = f.sink.text().size();
  f.send("kata-analyze 0");
  REQUIRE(f.waitFor("info move", start));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  f.send("name");
  REQUIRE(f.waitFor("= Hoshi"));
  // At 1 s per line (the old reading of 0) there would be at most one.
  CHECK(countOf(f.sink.text().substr(start), "\ninfo move ") >= 5);
}
