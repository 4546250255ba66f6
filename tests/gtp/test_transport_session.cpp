#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <pty.h>

#include "app/options.h"
#include "config/options.h"
#include "gtp/serve.h"
#include "gtp/session.h"
#include "gtp/transport_serial.h"
#include "gtp/transport_tcp.h"
#include "nn/evaluator.h"
#include "search/engine.h"
#include "test_transport_util.h"

// The transports driving the real Session and Engine.

using namespace hoshi;
using namespace hoshi::gtp;
using namespace hoshi::gtp::testing;
namespace fs = std::filesystem;

namespace {

struct StringSink : Sink {
  std::string out;
  void write(const std::string& response) override { out += response; }
};

config::OptionSet testOptions() {
  config::OptionSet options{hoshi::app::programOptions()};
  options.set("searchRandSeed", "transport-tests", "test");
  return options;
}

// A TCP server over a real engine (no network: the fallback policy plays).
struct EngineServer {
  explicit EngineServer(bool keepState = false, PumpOptions pump = {})
      : options(testOptions()),
        engine(options.params()),
        conversation(engine, options, log, keepState, [this] { ++stops; }),
        server(openTcpListener("127.0.0.1:0", log), conversation, pump, log) {}
  LockedLog log;
  config::OptionSet options{hoshi::app::programOptions()};
  Engine engine;
  std::atomic<int> stops{0};
  SessionConversation conversation;
  TcpServer server;
};

bool ok(const std::string& response) {
  return response.rfind("=", 0) == 0;
}

// The text of a one-line success response.
std::string value(const std::string& response) {
  std::string v = response.substr(1);
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  return v;
}

// Plays engine against itself through `command` until two passes in a row
// (or a resignation, or the move cap); returns the moves as "b D4" etc.
template <typename Command>
std::vector<std::string> selfPlay(Command command, int maxMoves) {
  std::vector<std::string> moves;
  int passes = 0;
  for (int i = 0; i < maxMoves && passes < 2; ++i) {
    std::string color = i % 2 == 0 ? "b" : "w";
    std::string r = command("genmove " + color);
    REQUIRE(ok(r));
    std::string move = value(r);
    if (move == "resign") break;
    passes = move == "pass" ? passes + 1 : 0;
    moves.push_back(color + " " + move);
  }
  return moves;
}

}  // namespace

TEST_CASE("tcp session: a full game over loopback, checked by replaying it in process") {
  EngineServer s;
  ServerThread<TcpServer> running(s.server);
  TcpClient client(s.server.port());
  REQUIRE(ok(client.command("boardsize 9")));
  REQUIRE(ok(client.command("clear_board")));
  REQUIRE(ok(client.command("komi 6.5")));
  auto moves = selfPlay([&](const std::string& c) { return client.command(c); }, 400);
  std::string remoteScore = client.command("final_score");
  std::string remoteBoard = client.command("showboard");
  REQUIRE(ok(remoteScore));
  INFO("moves: " << moves.size());
  CHECK(moves.size() >= 20);
  CHECK(client.command("quit") == "= \n\n");
  CHECK(client.closedByServer());

  // Every move was legal, and the score is what the same game gives here.
  config::OptionSet options = testOptions();
  Engine engine(options.params());
  Session session(engine, options);
  StringSink sink;
  for (std::string c : {"boardsize 9", "clear_board", "komi 6.5"}) session.processLine(c, sink);
  for (const std::string& m : moves) {
    sink.out.clear();
    session.processLine("play " + m, sink);
    REQUIRE(sink.out == "= \n\n");
  }
  sink.out.clear();
  session.processLine("final_score", sink);
  CHECK(sink.out == remoteScore);
  sink.out.clear();
  session.processLine("showboard", sink);
  CHECK(sink.out == remoteBoard);
}

TEST_CASE("tcp session: garbage and overlong lines get errors, the session goes on") {
  PumpOptions pump;
  pump.maxLineLength = 1024;
  EngineServer s(false, pump);
  ServerThread<TcpServer> running(s.server);
  TcpClient c(s.server.port());
  std::string garbage("\x01\x02\xff\xfe garbage\x7f \x00 x", 18);
  REQUIRE(c.send(garbage + "\n"));
  CHECK(c.response().rfind("? ", 0) == 0);
  // Comments and blank lines are no commands; CRLF is fine.
  REQUIRE(c.send("# just a comment\r\n\r\n   \n1 protocol_version\r\n"));
  CHECK(c.response() == "=1 2\n\n");
  // A huge line, then random binary noise without a newline for 64 KiB.
  REQUIRE(c.send("2 play b " + std::string(5000, 'A') + "\n"));
  std::string noise(65536, '\0');
  std::mt19937 rng(7);
  for (char& ch : noise) {
    int v = static_cast<int>(rng() % 255) + 1;
    ch = v == '\n' ? 'x' : static_cast<char>(v);
  }
  REQUIRE(c.send(noise + "\n3 boardsize 9\n"));
  CHECK(c.response() == "? line too long: more than 1024 bytes\n\n");
  CHECK(c.response() == "? line too long: more than 1024 bytes\n\n");
  CHECK(c.response() == "=3 \n\n");
  CHECK(ok(c.command("play b E5")));
  CHECK(c.command("play w E5").rfind("? ", 0) == 0);
}

TEST_CASE("tcp session: the game survives a reconnect only with gtpKeepStateOnDisconnect") {
  for (bool keep : {false, true}) {
    EngineServer s(keep);
    ServerThread<TcpServer> running(s.server);
    {
      TcpClient a(s.server.port());
      REQUIRE(ok(a.command("boardsize 9")));
      REQUIRE(ok(a.command("play b E5")));
    }
    TcpClient b(s.server.port());
    // E5 is free again only when the state was cleared.
    std::string r = b.command("play w E5");
    INFO("keep " << keep << ": " << r);
    CHECK(ok(r) == !keep);
  }
}

TEST_CASE("tcp session: a client vanishing mid-genmove frees the engine") {
  EngineServer s(true);
  ServerThread<TcpServer> running(s.server);
  for (int i = 0; i < 20; ++i) {
    TcpClient a(s.server.port());
    REQUIRE(ok(a.command("boardsize 9")));
    REQUIRE(a.send("genmove b\n"));
  }
  TcpClient b(s.server.port());
  CHECK(ok(b.command("showboard")));
  CHECK(ok(b.command("name")));
}

TEST_CASE("tcp session: 1000 connect/disconnect cycles leak no descriptors or memory") {
  EngineServer s;
  ServerThread<TcpServer> running(s.server);
  auto cycle = [&](int i) {
    TcpClient c(s.server.port());
    REQUIRE(c.connected());
    // Half say something first, half leave silently.
    if (i % 2 == 0) REQUIRE(c.command("play b D4") == "= \n\n");
  };
  for (int i = 0; i < 100; ++i) cycle(i);
  REQUIRE(eventually([&] { return s.log.contains("left (hangup)"); }));
  CHECK_FALSE(s.log.contains("refused"));
  s.log.discard();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int fds = openFdCount();
  long rss = rssKiB();
  for (int i = 0; i < 1000; ++i) cycle(i);
  CHECK(eventually([&] { return openFdCount() == fds; }, 5));
  long grown = rssKiB() - rss;
  INFO("fds " << fds << " -> " << openFdCount() << ", RSS " << rss << " KiB grew by " << grown);
#if defined(__SANITIZE_ADDRESS__)
  // ASan quarantines freed memory, so RSS grows without a leak; LeakSanitizer
  // checks for real leaks when the test process exits.
  WARN("RSS growth not checked under AddressSanitizer: " << grown << " KiB");
#else
  CHECK(grown < 512);
#endif
}

TEST_CASE("serial session: a game over a pty, and again after the device came back") {
  fs::path dir = fs::path(HOSHI_BINARY_DIR) / ("test-serial-session-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string link = (dir / "ttyGS0").string();
  auto plug = [&](int& master) {
    int slave = -1;
    REQUIRE(openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    fs::remove(link);
    fs::create_symlink(ttyname(slave), link);
    close(slave);
  };
  LockedLog log;
  config::OptionSet options = testOptions();
  Engine engine(options.params());
  SessionConversation conversation(engine, options, log, false, nullptr);
  SerialOptions so;
  so.device = link;
  so.reopenIntervalMs = 50;
  SerialServer server(so, conversation, log);
  int master = -1;
  plug(master);
  ServerThread<SerialServer> running(server);
  REQUIRE(eventually([&] { return server.opens() == 1; }));
  {
    FdClient line(master, false);
    REQUIRE(ok(line.command("boardsize 9\r")));
    auto moves = selfPlay([&](const std::string& c) { return line.command(c + "\r"); }, 400);
    CHECK(moves.size() >= 20);
    CHECK(ok(line.command("final_score")));
  }  // unplugged
  fs::remove(link);
  CHECK(eventually([&] { return log.contains("went away"); }));
  plug(master);
  REQUIRE(eventually([&] { return server.opens() == 2; }));
  FdClient line(master, false);
  // A new front end on a cleared board.
  CHECK(ok(line.command("boardsize 9")));
  CHECK(ok(line.command("play b E5")));
  CHECK(ok(line.command("genmove w")));
  running.stop();
  fs::remove_all(dir);
}
