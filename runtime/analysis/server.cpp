#include "analysis/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/version.h"
#include "nn/model.h"

namespace hoshi::analysis {
namespace {

using nlohmann::json;

// Splits a byte stream into lines (LF, an optional CR before it dropped).
// A line longer than the limit is reported once and skipped up to its LF,
// so a client that never sends a newline costs bounded memory.
class LineBuffer {
 public:
  explicit LineBuffer(size_t maxLength) : max_(maxLength) {}
  // Appends complete lines to out; an overlong one is reported as nullopt.
  void feed(const char* data, size_t n, std::deque<std::optional<std::string>>& out) {
    for (size_t i = 0; i < n; ++i) {
      const char c = data[i];
      if (c == '\n') {
        if (!skipping_) {
          if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
          out.emplace_back(std::move(partial_));
        }
        partial_.clear();
        skipping_ = false;
      } else if (!skipping_) {
        partial_.push_back(c);
        if (partial_.size() > max_) {
          out.emplace_back(std::nullopt);
          partial_.clear();
          partial_.shrink_to_fit();
          skipping_ = true;
        }
      }
    }
  }
  // The unterminated last line at end of input.
  std::optional<std::string> rest() {
    if (skipping_ || partial_.empty()) return std::nullopt;
    return std::move(partial_);
  }

 private:
  size_t max_;
  std::string partial_;
  bool skipping_ = false;
};

bool writeAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == ENOTSOCK) {
      const ssize_t w = ::write(fd, data.data() + done, data.size() - done);
      if (w > 0) {
        done += static_cast<size_t>(w);
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      return false;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A client that reads nothing for a minute is taken for gone.
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 60000) <= 0) return false;
      continue;
    }
    return false;
  }
  return true;
}

// Lines to a file descriptor, one writer at a time. When a write fails the
// client is gone and `onGone` runs once.
class FdSink : public ResponseSink {
 public:
  FdSink(int fd, std::function<void()> onGone) : fd_(fd), onGone_(std::move(onGone)) {}
  bool writeLine(const std::string& line) override {
    bool failedNow = false;
    {
      std::lock_guard<std::mutex> g(mutex_);
      if (gone_) return false;
      if (!writeAll(fd_, line + "\n")) gone_ = failedNow = true;
    }
    if (failedNow && onGone_) onGone_();
    return !failedNow;
  }
  bool gone() {
    std::lock_guard<std::mutex> g(mutex_);
    return gone_;
  }

 private:
  int fd_;
  std::function<void()> onGone_;
  std::mutex mutex_;
  bool gone_ = false;
};

// Reads fd until end of input (or an error), handing each line to `line`.
// `keepGoing` is polled about once a second. False on a read error.
bool readLines(int fd, size_t maxLength,
               const std::function<void(std::optional<std::string>)>& line,
               const std::function<bool()>& keepGoing) {
  LineBuffer buf(maxLength);
  std::deque<std::optional<std::string>> lines;
  char data[65536];
  while (keepGoing()) {
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, 1000);
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    const ssize_t n = ::read(fd, data, sizeof data);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return false;
    if (n == 0) {
      if (auto rest = buf.rest()) line(std::move(rest));
      return true;
    }
    buf.feed(data, static_cast<size_t>(n), lines);
    while (!lines.empty()) {
      line(std::move(lines.front()));
      lines.pop_front();
    }
  }
  return true;
}

}  // namespace

std::string QueryHandler::overlongLineError() const {
  return errorLine("Request line longer than " + std::to_string(config_.maxLineLength) +
                   " bytes (analysisMaxLineLength), ignored");
}

void QueryHandler::handleLine(const std::string& line, uint64_t client,
                              const std::shared_ptr<ResponseSink>& sink) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;  // blank lines
  ParseResult r = parseLine(line, context_);
  for (const std::string& m : r.messages) sink->writeLine(m);
  if (r.action) {
    sink->writeLine(actionResponse(*r.action, client));
  } else if (r.query) {
    std::string error;
    if (!engine_.submit(*r.query, client, sink, &error))
      sink->writeLine(json{{"error", error}, {"id", r.query->id}}.dump());
  }
}

std::string QueryHandler::actionResponse(const Action& a, uint64_t client) {
  json echo = json::parse(a.line);
  if (a.name == "query_version") {
    echo["version"] = kVersion;
    echo["git_hash"] = "<omitted>";
  } else if (a.name == "clear_cache") {
    engine_.clearCache();
  } else if (a.name == "terminate") {
    engine_.terminate(client, a.terminateId, a.turnNumbers);
  } else if (a.name == "terminate_all") {
    engine_.terminate(client, std::nullopt, a.turnNumbers);
  } else if (a.name == "query_models") {
    const nn::ModelDesc& m = engine_.evaluator().model();
    std::string internal = config_.modelName;
    for (const char* ext : {".gz", ".bin", ".txt"})
      if (internal.size() > std::strlen(ext) &&
          internal.compare(internal.size() - std::strlen(ext), std::string::npos, ext) == 0)
        internal.resize(internal.size() - std::strlen(ext));
    json model;
    model["name"] = config_.modelName;
    model["internalName"] = m.name.empty() ? internal : m.name;
    model["maxBatchSize"] = engine_.evaluator().options().maxBatch;
    model["usesHumanSLProfile"] = false;
    model["version"] = m.modelVersion;
    model["usingFP16"] = config_.precision == "fp16" ? "true" : "false";
    echo["models"] = json::array({model});
  }
  return echo.dump();
}

int serveStdio(QueryHandler& handler, AnalysisEngine& engine, const ServerConfig& config, int in,
               int out) {
  const uint64_t client = 1;
  auto sink = std::make_shared<FdSink>(out, nullptr);
  const bool ok = readLines(
      in, config.maxLineLength,
      [&](std::optional<std::string> line) {
        if (!line)
          sink->writeLine(handler.overlongLineError());
        else
          handler.handleLine(*line, client, sink);
      },
      [] { return true; });
  // As KataGo: at the end of input, finish what was asked, then exit.
  engine.waitIdle(client);
  return ok ? 0 : 1;
}

int openListener(const std::string& hostPort, std::ostream& log) {
  std::string host = "127.0.0.1", port = hostPort;
  const size_t colon = hostPort.rfind(':');
  if (colon != std::string::npos) {
    host = hostPort.substr(0, colon);
    port = hostPort.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
  }
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535)
    throw std::runtime_error("analysis listen address '" + hostPort +
                             "': the port must be a number from 0 to 65535");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (int e = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); e != 0)
    throw std::runtime_error("analysis listen address '" + hostPort + "': " + gai_strerror(e));
  int fd = -1;
  std::string why;
  for (addrinfo* a = res; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  if (fd < 0) throw std::runtime_error("cannot listen on '" + hostPort + "': " + why);
  const bool loopback = host == "127.0.0.1" || host == "::1" || host == "localhost";
  if (!loopback)
    log << "hoshi analysis: warning: listening on " << host
        << ", not loopback: the analysis protocol has no authentication\n";
  return fd;
}

int boundPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return -1;
}

int systemdListenFd() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds || std::atol(pid) != static_cast<long>(::getpid()) || std::atoi(fds) < 1)
    return -1;
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  ::fcntl(3, F_SETFD, FD_CLOEXEC);
  return 3;
}

bool systemdNotify(const std::string& state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const size_t len = std::strlen(path);
  if (len >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const ssize_t n =
      ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
               static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len));
  ::close(fd);
  return n == static_cast<ssize_t>(state.size());
}

namespace {

// How often to ping the watchdog: half of $WATCHDOG_USEC; 0 without one.
std::chrono::milliseconds watchdogInterval() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  const char* pid = std::getenv("WATCHDOG_PID");
  if (!usec) return std::chrono::milliseconds(0);
  if (pid && std::atol(pid) != static_cast<long>(::getpid())) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::atoll(usec) / 2000);
}

struct Connections {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
};

void serveClient(int fd, uint64_t client, QueryHandler& handler, AnalysisEngine& engine,
                 const ServerConfig& config, const std::atomic<bool>& stop, std::ostream& log) {
  auto sink = std::make_shared<FdSink>(fd, [&engine, client] { engine.dropClient(client); });
  const bool ok = readLines(
      fd, config.maxLineLength,
      [&](std::optional<std::string> line) {
        if (!line)
          sink->writeLine(handler.overlongLineError());
        else
          handler.handleLine(*line, client, sink);
      },
      [&] { return !stop.load() && !sink->gone(); });
  if (!ok || stop.load()) {
    engine.dropClient(client);  // reset or shutdown: its queries end unanswered
  } else {
    // End of input (possibly a half-close): answer what was asked first.
    engine.waitIdle(client);
  }
  log << "hoshi analysis: client " << client << " disconnected\n";
  ::close(fd);
}

}  // namespace

int serveTcp(QueryHandler& handler, AnalysisEngine& engine, const ServerConfig& config,
             int listenFd, int stopFd, std::ostream& log) {
  std::atomic<bool> stop{false};
  Connections conns;
  uint64_t nextClient = 100;
  const auto ping = watchdogInterval();
  systemdNotify("READY=1\nSTATUS=analysis engine listening on port " +
                std::to_string(boundPort(listenFd)));
  auto lastPing = std::chrono::steady_clock::now();
  while (!stop) {
    pollfd fds[2] = {{listenFd, POLLIN, 0}, {stopFd, POLLIN, 0}};
    const int n = ::poll(fds, stopFd >= 0 ? 2 : 1, 500);
    const auto now = std::chrono::steady_clock::now();
    if (ping.count() > 0 && now - lastPing >= ping) {
      systemdNotify("WATCHDOG=1");
      lastPing = now;
    }
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (stopFd >= 0 && (fds[1].revents & POLLIN)) break;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::unique_lock<std::mutex> lock(conns.mutex);
    if (conns.count >= config.maxClients) {
      lock.unlock();
      writeAll(fd, errorLine("Too many clients connected (analysisMaxClients = " +
                             std::to_string(config.maxClients) + ")") +
                       "\n");
      ::close(fd);
      continue;
    }
    ++conns.count;
    const uint64_t client = nextClient++;
    log << "hoshi analysis: client " << client << " connected\n";
    std::thread([&, fd, client] {
      serveClient(fd, client, handler, engine, config, stop, log);
      std::lock_guard<std::mutex> g(conns.mutex);
      --conns.count;
      conns.changed.notify_all();
    }).detach();
  }
  systemdNotify("STOPPING=1");
  stop = true;
  std::unique_lock<std::mutex> lock(conns.mutex);
  conns.changed.wait(lock, [&] { return conns.count == 0; });
  ::close(listenFd);
  return 0;
}

}  // namespace hoshi::analysis
