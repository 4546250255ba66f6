#pragma once

// Helpers for the transport tests: a loopback TCP client, a server run on its
// own thread, and process resource counters read from /proc.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "gtp/line_reader.h"

namespace hoshi::gtp::testing {

using Clock = std::chrono::steady_clock;

inline Clock::time_point deadlineAfter(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

inline int openFdCount() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)entry;
    ++n;
  }
  return n;
}

inline long rssKiB() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// A blocking GTP client over a socket or a pty master, with timeouts, so a
// broken server fails a test instead of hanging it.
class FdClient {
 public:
  FdClient(int fd, bool socket) : fd_(fd), socket_(socket) {}
  ~FdClient() { close(); }
  FdClient(const FdClient&) = delete;
  FdClient& operator=(const FdClient&) = delete;

  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send(const std::string& text) {
    size_t off = 0;
    while (off < text.size()) {
      ssize_t n = socket_ ? ::send(fd_, text.data() + off, text.size() - off, MSG_NOSIGNAL)
                          : ::write(fd_, text.data() + off, text.size() - off);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  // Reads until the blank line that ends a GTP response; "" on EOF or timeout.
  std::string response(double timeoutSeconds = 20) {
    auto deadline = deadlineAfter(timeoutSeconds);
    for (;;) {
      size_t end = buffer_.find("\n\n");
      if (end != std::string::npos) {
        std::string out = buffer_.substr(0, end + 2);
        buffer_.erase(0, end + 2);
        return out;
      }
      if (!fill(deadline)) return "";
    }
  }
  // Sends one command and returns its response.
  std::string command(const std::string& line, double timeoutSeconds = 20) {
    if (!send(line + "\n")) return "";
    return response(timeoutSeconds);
  }
  // True when the server closed the connection within the timeout.
  bool closedByServer(double timeoutSeconds = 5) {
    auto deadline = deadlineAfter(timeoutSeconds);
    while (fill(deadline)) {
    }
    return eof_;
  }

 private:
  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[4096];
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool socket_;
  bool eof_ = false;
  std::string buffer_;
};

inline int connectLoopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  return fd;
}

class TcpClient : public FdClient {
 public:
  explicit TcpClient(uint16_t port) : FdClient(connectLoopback(port), true) {}
  bool connected() const {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    return getpeername(fd(), reinterpret_cast<sockaddr*>(&peer), &len) == 0;
  }
};

// Runs server.run() on a thread; stops and joins it on destruction.
template <typename Server>
class ServerThread {
 public:
  explicit ServerThread(Server& server) : server_(server), thread_([this] { server_.run(); }) {}
  ~ServerThread() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    server_.requestShutdown();
    thread_.join();
  }

 private:
  Server& server_;
  std::thread thread_;
};

// A conversation without an engine: "slow" blocks until requestStop (or 30 s),
// anything else is echoed back as "= <line>".
class FakeConversation : public Conversation {
 public:
  void begin() override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++begins_;
    quit_ = false;
  }
  void processLine(const std::string& line, Sink& sink) override {
    if (line == "slow") {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        slowRunning_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, std::chrono::seconds(30), [this] { return stopRequested_; });
        slowRunning_ = false;
      }
      sink.write("= slow done\n\n");
      return;
    }
    if (line == "quit") quit_ = true;
    sink.write("= " + line + "\n\n");
  }
  bool quitRequested() const override { return quit_; }
  void requestStop() override {
    std::lock_guard<std::mutex> lock(mutex_);
    stopRequested_ = true;
    ++stops_;
    changed_.notify_all();
  }
  void end() override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++ends_;
    stopRequested_ = false;
  }
  bool waitSlowRunning(double seconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::duration<double>(seconds),
                             [this] { return slowRunning_; });
  }
  int begins() {
    std::lock_guard<std::mutex> lock(mutex_);
    return begins_;
  }
  int ends() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ends_;
  }
  int stops() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stops_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool slowRunning_ = false;
  bool stopRequested_ = false;
  std::atomic<bool> quit_{false};
  int begins_ = 0, ends_ = 0, stops_ = 0;
};

// A log the server thread writes while the test reads it.
class LockedLog : public std::ostream {
 public:
  LockedLog() : std::ostream(&buf_) {}
  std::string text() {
    std::lock_guard<std::mutex> lock(buf_.mutex);
    return buf_.text;
  }
  bool contains(const std::string& s) { return text().find(s) != std::string::npos; }
  // Stop keeping what is written (long loops would otherwise grow it).
  void discard() {
    std::lock_guard<std::mutex> lock(buf_.mutex);
    buf_.keep = false;
    buf_.text.clear();
  }

 private:
  struct Buf : std::streambuf {
    std::mutex mutex;
    std::string text;
    bool keep = true;
    int overflow(int c) override {
      if (c != EOF) {
        char ch = static_cast<char>(c);
        xsputn(&ch, 1);
      }
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      std::lock_guard<std::mutex> lock(mutex);
      if (keep) text.append(s, static_cast<size_t>(n));
      return n;
    }
  };
  Buf buf_;
};

// Waits until pred() holds, polling; false on timeout.
template <typename Pred>
bool eventually(Pred pred, double seconds = 10) {
  auto deadline = deadlineAfter(seconds);
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

}  // namespace hoshi::gtp::testing
