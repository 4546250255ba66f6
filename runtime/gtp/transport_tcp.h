#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "gtp/line_reader.h"

namespace hoshi::gtp {

// The refusal a second front end reads before its connection is closed.
inline constexpr const char* kBusyLine = "? busy: another front end is connected";

// Binds and listens on "HOST:PORT", "[V6ADDR]:PORT", ":PORT" or "PORT" (the
// last two on 127.0.0.1). Port 0 picks a free port. Binding anywhere but a
// loopback address is logged as a warning, since GTP has no authentication.
// Throws std::runtime_error naming the address on failure.
int openTcpListener(const std::string& hostPort, std::ostream& log);

// "address:port" of a bound or connected socket, for logs.
std::string socketAddress(int fd, bool peer);

// GTP over TCP, one front end at a time. A second one is told kBusyLine and
// closed; a front end that vanishes mid-command stops that command.
class TcpServer {
 public:
  // Takes ownership of listenFd (from openTcpListener or systemd).
  TcpServer(int listenFd, Conversation& conversation, const PumpOptions& options, std::ostream& log,
            Liveness* liveness = nullptr);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  uint16_t port() const;
  // An extra descriptor whose readability stops the server (a signalfd).
  void setStopFd(int fd) { stopFd_ = fd; }
  // Serves front ends until requestShutdown() or the stop fd.
  void run();
  // Any thread: ends run() once the running command (if any) returned.
  void requestShutdown();

 private:
  class Hooks;
  void serveClient(int clientFd);

  int listenFd_;
  int wakeFd_;
  int stopFd_ = -1;
  Conversation& conversation_;
  PumpOptions options_;
  std::ostream& log_;
  Liveness* liveness_;
  CommandWorker worker_;
  // Refused sockets kept until their peer closes, so the busy line is not
  // lost to a reset caused by unread input.
  struct Refused {
    int fd;
    int64_t deadlineMs;
  };
  std::vector<Refused> refused_;
  bool stopping_ = false;

  void refuse(int fd);
  void addRefusedFds(std::vector<pollfd>& fds) const;
  void handleRefusedFds(const pollfd* fds, size_t count);
  void acceptPending(bool serving);
  bool stopRequested(const pollfd* wake, const pollfd* stop);
};

}  // namespace hoshi::gtp
