#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtp/line_reader.h"
#include "gtp/sd_notify.h"
#include "test_transport_util.h"

using namespace hoshi::gtp;
using Lines = std::deque<LineSplitter::Line>;

namespace {

std::vector<std::string> texts(const Lines& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.overlong ? "<overlong>" : l.text);
  return out;
}

// A unix datagram socket standing in for systemd's notification socket.
class NotifyListener {
 public:
  NotifyListener() {
    // Short (sun_path has 108 bytes) and per process (ctest runs tests in parallel).
    path_ = (std::filesystem::temp_directory_path() /
             ("hoshi-test-notify-" + std::to_string(getpid()) + ".sock"))
                .string();
    unlink(path_.c_str());
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~NotifyListener() {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
    unlink(path_.c_str());
  }
  bool bound() const { return bound_; }
  // The next datagram, or "" after timeoutMs.
  std::string receive(int timeoutMs) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeoutMs) <= 0) return "";
    char buf[512];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
  int countWithin(int ms, const std::string& message) {
    int n = 0;
    auto deadline = hoshi::gtp::testing::Clock::now() + std::chrono::milliseconds(ms);
    while (hoshi::gtp::testing::Clock::now() < deadline) {
      if (receive(20) == message) ++n;
    }
    return n;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

// Hooks with an always-ready descriptor standing for a newcomer on a
// listener: they note whether the peer was seen gone when they judged it,
// then ask the pump to stop.
class NewcomerHooks : public PumpHooks {
 public:
  explicit NewcomerHooks(int graceMs) : graceMs_(graceMs), ready_(eventfd(1, EFD_CLOEXEC)) {}
  ~NewcomerHooks() override { close(ready_); }
  void addFds(std::vector<pollfd>& fds, bool /*peerGone*/) override {
    fds.push_back(pollfd{ready_, POLLIN, 0});
  }
  int peerGraceMs(const pollfd* /*fds*/, size_t /*count*/) override { return graceMs_; }
  void handleFds(const pollfd* fds, size_t count, bool peerGone) override {
    if (count == 1 && (fds[0].revents & POLLIN) && judged_.empty()) judged_.push_back(peerGone);
  }
  bool shutdownRequested() override { return !judged_.empty(); }
  const std::vector<bool>& judged() const { return judged_; }

 private:
  int graceMs_;
  int ready_;
  std::vector<bool> judged_;
};

}  // namespace

TEST_CASE("transport: LF and CRLF lines, split anywhere") {
  LineSplitter s(100);
  Lines out;
  std::string stream = "boardsize 9\r\nplay b D4\nname\r\n\ngenmove w\r";
  // Byte by byte: a line may arrive in any number of pieces.
  for (char c : stream) s.feed(&c, 1, out);
  CHECK(texts(out) == std::vector<std::string>{"boardsize 9", "play b D4", "name", ""});
  CHECK(s.pending() == std::string("genmove w\r").size());
  s.feed("\n", 1, out);
  CHECK(out.back().text == "genmove w");
}

TEST_CASE("transport: an overlong line is reported once and skipped, memory stays bounded") {
  LineSplitter s(64);
  Lines out;
  std::string huge(100000, 'x');
  s.feed("name\n", 5, out);
  for (size_t i = 0; i < huge.size(); i += 1000) {
    s.feed(huge.data() + i, 1000, out);
    REQUIRE(s.pending() <= 65);
  }
  s.feed(" tail\nversion\n", 14, out);
  CHECK(texts(out) == std::vector<std::string>{"name", "<overlong>", "version"});
  // Exactly the limit is fine, with LF or CRLF; one more byte is not.
  out.clear();
  std::string exact(64, 'a');
  s.feed((exact + "\n" + exact + "\r\n" + exact + "b\n").c_str(), 64 * 3 + 5, out);
  CHECK(texts(out) == std::vector<std::string>{exact, exact, "<overlong>"});
  CHECK(overlongLineResponse(64) == "? line too long: more than 64 bytes\n\n");
}

TEST_CASE("transport: sd_notify reaches NOTIFY_SOCKET, and is a no-op without it") {
  unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(sdNotify("READY=1"));
  NotifyListener listener;
  REQUIRE(listener.bound());
  CHECK(sdNotify("READY=1\nSTATUS=GTP on 127.0.0.1:5000"));
  CHECK(listener.receive(1000) == "READY=1\nSTATUS=GTP on 127.0.0.1:5000");
}

TEST_CASE("transport: watchdog pings while the loop beats or a command runs, not when stuck") {
  NotifyListener listener;
  REQUIRE(listener.bound());
  setenv("WATCHDOG_USEC", "100000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  auto interval = sdWatchdogPingInterval();
  CHECK(interval == std::chrono::microseconds(50000));
  setenv("WATCHDOG_PID", "1", 1);  // meant for another process
  CHECK(sdWatchdogPingInterval().count() == 0);
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");

  Liveness liveness;
  Watchdog watchdog(interval, liveness);
  // A beating loop: pings about every 50 ms.
  std::atomic<bool> beating{true};
  std::thread beater([&] {
    while (beating) {
      ++liveness.beats;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  CHECK(listener.countWithin(500, "WATCHDOG=1") >= 5);
  beating = false;
  beater.join();
  listener.countWithin(120, "WATCHDOG=1");  // the ping already due
  // A stuck loop: silence, so systemd would restart us.
  CHECK(listener.countWithin(400, "WATCHDOG=1") == 0);
  // A long search: pings again although the loop does not beat.
  liveness.busy = true;
  CHECK(listener.countWithin(500, "WATCHDOG=1") >= 5);
}

TEST_CASE("transport: socket activation takes fd 3 only when LISTEN_PID is us") {
  // Park whatever the test process has at fd 3, and put a socket there.
  int saved = fcntl(3, F_DUPFD_CLOEXEC, 10);
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(dup2(sock, 3) == 3);
  close(sock);
  std::ostringstream log;

  setenv("LISTEN_FDS", "1", 1);
  setenv("LISTEN_PID", "1", 1);
  CHECK(sdListenFd(log) == -1);
  CHECK(std::getenv("LISTEN_FDS") == nullptr);  // consumed either way

  setenv("LISTEN_FDS", "2", 1);
  setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
  CHECK(sdListenFd(log) == 3);
  CHECK(log.str().find("passed 2 sockets") != std::string::npos);
  CHECK((fcntl(3, F_GETFD) & FD_CLOEXEC) != 0);
  CHECK(std::getenv("LISTEN_PID") == nullptr);
  CHECK(sdListenFd(log) == -1);  // taken once

  close(3);
  if (saved >= 0) {
    dup2(saved, 3);
    close(saved);
  }
}

TEST_CASE("transport: a hangup within the hooks' grace is seen before they judge a newcomer") {
  for (bool hangsUp : {true, false}) {
    int pair[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) == 0);
    hoshi::gtp::testing::FakeConversation conversation;
    CommandWorker worker;
    ConnectionPump pump(conversation, worker, PumpOptions{}, nullptr);
    // Grace far longer than the hangup takes, so a live peer costs it all.
    NewcomerHooks hooks(hangsUp ? 20000 : 200);
    // The peer hangs up after the pump has first looked at it: only the
    // grace lets the pump see it gone before the newcomer is judged.
    std::thread peer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (hangsUp) close(pair[1]);
    });
    auto start = hoshi::gtp::testing::Clock::now();
    pump.serve(pair[0], hooks);
    double seconds =
        std::chrono::duration<double>(hoshi::gtp::testing::Clock::now() - start).count();
    peer.join();
    close(pair[0]);
    if (!hangsUp) close(pair[1]);
    INFO("hangs up " << hangsUp << ", served " << seconds << " s");
    REQUIRE(hooks.judged().size() == 1);
    CHECK(hooks.judged()[0] == hangsUp);
    // The hangup ends the wait at once, not at the end of the grace.
    CHECK(seconds < 10);
  }
}
