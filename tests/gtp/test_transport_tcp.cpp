#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "gtp/transport_tcp.h"
#include "test_transport_util.h"

using namespace hoshi::gtp;
using namespace hoshi::gtp::testing;

namespace {

// A server on an ephemeral loopback port with a fake conversation.
struct FakeServer {
  explicit FakeServer(PumpOptions options = {})
      : server(openTcpListener("127.0.0.1:0", log), conversation, options, log) {}
  LockedLog log;
  FakeConversation conversation;
  TcpServer server;
};

}  // namespace

TEST_CASE("tcp: listen addresses, loopback by default, a warning elsewhere") {
  std::ostringstream log;
  FakeConversation conversation;
  {
    TcpServer s(openTcpListener("0", log), conversation, {}, log);
    CHECK(s.port() > 0);
  }
  CHECK(log.str().find("GTP listening on 127.0.0.1:") != std::string::npos);
  CHECK(log.str().find("warning") == std::string::npos);
  log.str("");
  int fd = openTcpListener("0.0.0.0:0", log);
  close(fd);
  CHECK(log.str().find("warning: GTP listening on 0.0.0.0:") == 0);
  CHECK_THROWS_WITH(openTcpListener("localhost:http", log), Catch::Contains("no numeric port"));
  CHECK_THROWS_WITH(openTcpListener("::1:5000", log), Catch::Contains("[ADDR]:PORT"));
  CHECK_THROWS_WITH(openTcpListener("192.0.2.1:0", log), Catch::Contains("cannot listen on"));
}

TEST_CASE("tcp: a second client is refused with the busy line while the first is served") {
  FakeServer s;
  ServerThread<TcpServer> running(s.server);
  TcpClient first(s.server.port());
  REQUIRE(first.connected());
  REQUIRE(first.command("hello") == "= hello\n\n");

  TcpClient second(s.server.port());
  REQUIRE(second.connected());
  // It may even have sent a command already: it still reads the refusal.
  second.send("name\n");
  CHECK(second.response(5) == "? busy: another front end is connected\n\n");
  CHECK(second.closedByServer());

  // The first one never noticed.
  CHECK(first.command("still here") == "= still here\n\n");
  first.close();
  // And once it left, the next one is served.
  CHECK(eventually([&] { return s.conversation.ends() == 1; }));
  TcpClient third(s.server.port());
  CHECK(third.command("third") == "= third\n\n");
  CHECK(s.log.contains("refused front end 127.0.0.1:"));
}

TEST_CASE("tcp: a client vanishing mid-command stops the command and frees the engine") {
  FakeServer s;
  ServerThread<TcpServer> running(s.server);
  {
    TcpClient client(s.server.port());
    REQUIRE(client.send("slow\nnever run\n"));
    REQUIRE(s.conversation.waitSlowRunning(10));
    // While it runs, newcomers are still turned away.
    TcpClient other(s.server.port());
    CHECK(other.response(5) == "? busy: another front end is connected\n\n");
  }
  auto gone = Clock::now();
  CHECK(eventually([&] { return s.conversation.ends() == 1; }));
  CHECK(Clock::now() - gone < std::chrono::seconds(3));
  CHECK(s.conversation.stops() == 1);
  TcpClient next(s.server.port());
  CHECK(next.command("after") == "= after\n\n");
  CHECK(s.conversation.begins() == 2);
}

TEST_CASE("tcp: quit ends the connection, the server goes on") {
  FakeServer s;
  ServerThread<TcpServer> running(s.server);
  TcpClient a(s.server.port());
  CHECK(a.command("quit") == "= quit\n\n");
  CHECK(a.closedByServer());
  TcpClient b(s.server.port());
  CHECK(b.command("again") == "= again\n\n");
}

TEST_CASE("tcp: an idle client is closed after gtpIdleTimeoutSeconds") {
  PumpOptions options;
  options.idleTimeoutSeconds = 0.3;
  FakeServer s(options);
  ServerThread<TcpServer> running(s.server);
  TcpClient a(s.server.port());
  CHECK(a.command("one") == "= one\n\n");
  auto start = Clock::now();
  CHECK(a.closedByServer(5));
  auto waited = Clock::now() - start;
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(waited < std::chrono::seconds(3));
  CHECK(eventually([&] { return s.log.contains("(idle timeout)"); }));
  // A slow command is not idleness.
  TcpClient b(s.server.port());
  REQUIRE(b.send("slow\n"));
  REQUIRE(s.conversation.waitSlowRunning(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  s.conversation.requestStop();
  CHECK(b.response(5) == "= slow done\n\n");
}

TEST_CASE("tcp: shutdown waits for the running command") {
  FakeServer s;
  std::thread runner([&] { s.server.run(); });
  TcpClient a(s.server.port());
  REQUIRE(a.send("slow\n"));
  REQUIRE(s.conversation.waitSlowRunning(5));
  s.server.requestShutdown();
  runner.join();
  CHECK(s.conversation.stops() == 1);
  CHECK(a.response(5) == "= slow done\n\n");
  CHECK(a.closedByServer());
}
