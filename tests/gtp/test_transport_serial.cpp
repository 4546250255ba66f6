#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "gtp/transport_serial.h"
#include "test_transport_util.h"

using namespace hoshi::gtp;
using namespace hoshi::gtp::testing;
namespace fs = std::filesystem;

namespace {

// A pseudo-terminal standing in for a USB serial adapter: the test holds the
// master (the front end's side), Hoshi opens the slave through a symlink that
// plays the part of /dev/ttyUSB0.
struct Pty {
  Pty() {
    int slave = -1;
    REQUIRE(openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    slavePath = ttyname(slave);
    // Hoshi opens it by path; ours is not needed.
    close(slave);
    client = std::make_unique<FdClient>(master, false);
  }
  // Unplugging: the front end's side goes away.
  void unplug() { client.reset(); }
  int master = -1;
  std::string slavePath;
  std::unique_ptr<FdClient> client;
};

struct SerialFixture {
  SerialFixture() {
    // Per process: ctest runs the test cases in parallel.
    dir = fs::path(HOSHI_BINARY_DIR) / ("test-serial-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    link = (dir / "ttyUSB0").string();
    options.device = link;
    options.reopenIntervalMs = 50;
  }
  ~SerialFixture() { fs::remove_all(dir); }
  // Points the device path at a pty, atomically like udev does.
  void plug(const Pty& pty) {
    std::string tmp = link + ".new";
    fs::remove(tmp);
    fs::create_symlink(pty.slavePath, tmp);
    fs::rename(tmp, link);
  }
  fs::path dir;
  std::string link;
  SerialOptions options;
  LockedLog log;
};

}  // namespace

TEST_CASE("serial: the port is opened raw 8N1 at the chosen speed, no echo") {
  Pty pty;
  int fd = openSerialPort(pty.slavePath, 115200);
  termios t{};
  REQUIRE(tcgetattr(fd, &t) == 0);
  CHECK((t.c_lflag & (ECHO | ICANON | ISIG)) == 0);
  CHECK((t.c_cflag & CSIZE) == CS8);
  CHECK((t.c_cflag & (PARENB | CSTOPB | CRTSCTS)) == 0);
  CHECK((t.c_cflag & (CLOCAL | CREAD)) == (CLOCAL | CREAD));
  CHECK((t.c_iflag & (IXON | ICRNL)) == 0);
  CHECK((t.c_oflag & OPOST) == 0);
  CHECK(cfgetospeed(&t) == B115200);
  CHECK((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
  close(fd);
  fd = openSerialPort(pty.slavePath, 9600);
  REQUIRE(tcgetattr(fd, &t) == 0);
  CHECK(cfgetispeed(&t) == B9600);
  close(fd);
  CHECK_THROWS_WITH(openSerialPort(pty.slavePath, 12345), "unsupported serial speed 12345");
  CHECK_THROWS_WITH(openSerialPort("/dev/null", 115200), "/dev/null is not a terminal");
  CHECK_THROWS_WITH(openSerialPort("/nonexistent/ttyX", 115200),
                    Catch::StartsWith("cannot open /nonexistent/ttyX"));
  CHECK(serialBaudSupported(921600));
  CHECK_FALSE(serialBaudSupported(100));
}

TEST_CASE("serial: lines in CRLF or LF, quit keeps the line open") {
  SerialFixture f;
  Pty pty;
  f.plug(pty);
  FakeConversation conversation;
  SerialServer server(f.options, conversation, f.log);
  ServerThread<SerialServer> running(server);
  REQUIRE(eventually([&] { return server.opens() == 1; }));
  CHECK(pty.client->command("first\r") == "= first\n\n");
  CHECK(pty.client->command("second") == "= second\n\n");
  CHECK(pty.client->command("quit") == "= quit\n\n");
  // A new conversation on the same line.
  CHECK(pty.client->command("after quit") == "= after quit\n\n");
  CHECK(conversation.begins() == 2);
  CHECK(server.opens() == 1);
}

TEST_CASE("serial: the device vanishing mid-command and coming back") {
  SerialFixture f;
  FakeConversation conversation;
  SerialServer server(f.options, conversation, f.log);
  // Started before the device exists: it waits for it.
  ServerThread<SerialServer> running(server);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(server.opens() == 0);
  auto first = std::make_unique<Pty>();
  f.plug(*first);
  REQUIRE(eventually([&] { return server.opens() == 1; }));
  CHECK(first->client->command("hello") == "= hello\n\n");

  // Unplugged during a long command: the command is stopped.
  REQUIRE(first->client->send("slow\n"));
  REQUIRE(conversation.waitSlowRunning(5));
  first->unplug();
  fs::remove(f.link);
  CHECK(eventually([&] { return conversation.ends() == 1; }, 5));
  CHECK(conversation.stops() == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(server.opens() == 1);  // still gone

  // Plugged back in (another pty number, as a real replug may give).
  Pty second;
  f.plug(second);
  REQUIRE(eventually([&] { return server.opens() == 2; }));
  CHECK(second.client->command("back") == "= back\n\n");
  CHECK(f.log.contains("waiting for the device"));
  CHECK(f.log.contains("went away"));
}

TEST_CASE("serial: the device path vanishing is noticed although the fd still works") {
  SerialFixture f;
  Pty pty;
  f.plug(pty);
  FakeConversation conversation;
  SerialServer server(f.options, conversation, f.log);
  ServerThread<SerialServer> running(server);
  REQUIRE(eventually([&] { return server.opens() == 1; }));
  CHECK(pty.client->command("one") == "= one\n\n");
  fs::remove(f.link);
  CHECK(eventually([&] { return conversation.ends() == 1; }, 5));
  f.plug(pty);
  REQUIRE(eventually([&] { return server.opens() == 2; }));
  CHECK(pty.client->command("two") == "= two\n\n");
}
