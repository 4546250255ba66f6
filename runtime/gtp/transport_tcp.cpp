#include "gtp/transport_tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace hoshi::gtp {
namespace {

constexpr int kListenBacklog = 8;
constexpr int64_t kRefusedLingerMs = 2000;
constexpr size_t kMaxRefused = 32;

int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::runtime_error sysError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Splits HOST:PORT; an empty host means loopback.
void splitHostPort(const std::string& text, std::string& host, std::string& port) {
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos || text.compare(close + 1, 1, ":") != 0)
      throw std::runtime_error("bad listen address '" + text + "' (expected [ADDR]:PORT)");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (size_t colon = text.find(':'); colon == std::string::npos) {
    port = text;
  } else {
    if (text.find(':', colon + 1) != std::string::npos)
      throw std::runtime_error("bad listen address '" + text + "' (write IPv6 as [ADDR]:PORT)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) host = "127.0.0.1";
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("bad listen address '" + text + "' (no numeric port)");
  // getaddrinfo would wrap 70000 to 4464 without a word.
  if (port.size() > 5 || std::stol(port) > 65535)
    throw std::runtime_error("bad listen address '" + text + "': port " + port +
                             " is outside 1..65535 (0: any free port)");
}

bool isLoopback(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (addr.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return true;
    return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

int bindOne(const addrinfo* ai) {
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
  if (fd < 0) return -1;
  int one = 1;
  // A restarted service must not wait for old connections in TIME_WAIT.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, kListenBacklog) == 0) return fd;
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

void setNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Low latency for short responses, and keepalive so that a front end whose
// network vanished without a FIN is noticed within a couple of minutes.
void tuneClientSocket(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  int idle = 60, interval = 10, count = 6;
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

void drain(int fd) {
  char buf[1024];
  while (read(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace

int openTcpListener(const std::string& hostPort, std::ostream& log) {
  std::string host, port;
  splitHostPort(hostPort, host, port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0)
    throw std::runtime_error("cannot resolve '" + host + "': " + gai_strerror(rc));
  int fd = -1;
  int lastErrno = 0;
  for (addrinfo* ai = list; ai && fd < 0; ai = ai->ai_next) {
    fd = bindOne(ai);
    if (fd < 0) lastErrno = errno;
  }
  freeaddrinfo(list);
  if (fd < 0) {
    errno = lastErrno;
    throw sysError("cannot listen on " + host + ":" + port);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  std::string where = socketAddress(fd, false);
  if (!isLoopback(bound)) {
    log << "warning: GTP listening on " << where
        << ", reachable from other machines; GTP has no authentication\n";
  }
  log << "hoshi: GTP listening on " << where << "\n" << std::flush;
  return fd;
}

std::string socketAddress(int fd, bool peer) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? getpeername(fd, sa, &len) : getsockname(fd, sa, &len)) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (addr.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  if (addr.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
    return "[" + std::string(host) + "]:" + std::to_string(port);
  }
  return "?";
}

// The server's part in the pump loop while a front end is connected: turn
// away newcomers, watch for shutdown.
class TcpServer::Hooks : public PumpHooks {
 public:
  explicit Hooks(TcpServer& server) : server_(server) {}

  void addFds(std::vector<pollfd>& fds, bool peerGone) override {
    listening_ = !peerGone;
    fds.push_back(pollfd{server_.wakeFd_, POLLIN, 0});
    fds.push_back(pollfd{server_.stopFd_, POLLIN, 0});
    if (listening_) fds.push_back(pollfd{server_.listenFd_, POLLIN, 0});
    server_.addRefusedFds(fds);
  }
  void handleFds(const pollfd* fds, size_t count, bool peerGone) override {
    size_t own = listening_ ? 3 : 2;
    if (server_.stopRequested(&fds[0], &fds[1])) shutdown_ = true;
    server_.handleRefusedFds(fds + own, count - own);
    // A newcomer arriving just as the current front end left is served next.
    if (!peerGone && newcomerWaiting(fds)) server_.acceptPending(true);
  }
  int peerGraceMs(const pollfd* fds, size_t /*count*/) override {
    return newcomerWaiting(fds) ? kNewcomerGraceMs : 0;
  }
  bool shutdownRequested() override { return shutdown_; }

 private:
  // A newcomer is turned away only if the front end being served is still
  // there this long after: one that hung up just before it is not yet seen
  // to have gone when the kernel is slow to deliver the hangup.
  static constexpr int kNewcomerGraceMs = 50;
  // fds as addFds appended them: the listener is the third.
  bool newcomerWaiting(const pollfd* fds) const { return listening_ && (fds[2].revents & POLLIN); }
  TcpServer& server_;
  bool listening_ = true;
  bool shutdown_ = false;
};

TcpServer::TcpServer(int listenFd, Conversation& conversation, const PumpOptions& options,
                     std::ostream& log, Liveness* liveness)
    : listenFd_(listenFd),
      conversation_(conversation),
      options_(options),
      log_(log),
      liveness_(liveness) {
  // A socket handed over by systemd may be blocking.
  setNonBlocking(listenFd_);
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) throw sysError("eventfd");
}

TcpServer::~TcpServer() {
  for (const Refused& r : refused_) close(r.fd);
  close(wakeFd_);
  close(listenFd_);
}

uint16_t TcpServer::port() const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(listenFd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return 0;
}

void TcpServer::requestShutdown() {
  uint64_t one = 1;
  while (write(wakeFd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

bool TcpServer::stopRequested(const pollfd* wake, const pollfd* stop) {
  // Neither descriptor is drained: once asked to stop, the server stays stopping.
  return (wake->revents & POLLIN) || (stop->fd >= 0 && (stop->revents & POLLIN));
}

void TcpServer::run() {
  std::vector<pollfd> fds;
  while (!stopping_) {
    if (liveness_) ++liveness_->beats;
    fds.clear();
    fds.push_back(pollfd{wakeFd_, POLLIN, 0});
    fds.push_back(pollfd{stopFd_, POLLIN, 0});
    fds.push_back(pollfd{listenFd_, POLLIN, 0});
    addRefusedFds(fds);
    int r = poll(fds.data(), fds.size(), beatIntervalMs(liveness_));
    if (r < 0 && errno != EINTR) throw sysError("poll");
    if (r < 0) continue;
    if (stopRequested(&fds[0], &fds[1])) break;
    handleRefusedFds(fds.data() + 3, fds.size() - 3);
    if (fds[2].revents & POLLIN) acceptPending(false);
  }
}

void TcpServer::acceptPending(bool serving) {
  for (;;) {
    int fd = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN: none left; EMFILE and the like: try again next round
    }
    if (serving) {
      refuse(fd);
      continue;
    }
    serveClient(fd);
    // Whoever queued up meanwhile is served next round, one at a time.
    return;
  }
}

void TcpServer::serveClient(int fd) {
  tuneClientSocket(fd);
  std::string peer = socketAddress(fd, true);
  log_ << "hoshi: front end " << peer << " connected\n" << std::flush;
  ConnectionPump pump(conversation_, worker_, options_, liveness_);
  Hooks hooks(*this);
  PumpEnd end = pump.serve(fd, hooks);
  close(fd);
  log_ << "hoshi: front end " << peer << " left (" << pumpEndName(end) << ")\n" << std::flush;
  if (end == PumpEnd::kShutdown) stopping_ = true;
}

void TcpServer::refuse(int fd) {
  std::string line = std::string(kBusyLine) + "\n\n";
  // Best effort: a fresh socket's send buffer always has room for one line.
  ssize_t n = send(fd, line.data(), line.size(), MSG_NOSIGNAL);
  (void)n;
  shutdown(fd, SHUT_WR);
  log_ << "hoshi: refused front end " << socketAddress(fd, true) << " (busy)\n" << std::flush;
  if (refused_.size() >= kMaxRefused) {
    close(refused_.front().fd);
    refused_.erase(refused_.begin());
  }
  refused_.push_back(Refused{fd, nowMs() + kRefusedLingerMs});
}

void TcpServer::addRefusedFds(std::vector<pollfd>& fds) const {
  for (const Refused& r : refused_) fds.push_back(pollfd{r.fd, POLLIN, 0});
}

void TcpServer::handleRefusedFds(const pollfd* fds, size_t count) {
  int64_t now = nowMs();
  std::vector<Refused> kept;
  for (size_t i = 0; i < refused_.size(); ++i) {
    const Refused& r = refused_[i];
    bool closed = false;
    if (i < count && fds[i].revents) {
      // Read what the peer sent; end of stream or an error means it is done.
      char buf[1024];
      ssize_t n;
      while ((n = read(r.fd, buf, sizeof buf)) > 0) {
      }
      closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }
    if (closed || now >= r.deadlineMs) {
      drain(r.fd);
      close(r.fd);
    } else {
      kept.push_back(r);
    }
  }
  refused_.swap(kept);
}

}  // namespace hoshi::gtp
