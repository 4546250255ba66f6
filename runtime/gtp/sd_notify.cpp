#include "gtp/sd_notify.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hoshi::gtp {
namespace {

constexpr int kFirstPassedFd = 3;  // fixed by the socket activation protocol

// A decimal environment value, or -1 when missing or malformed.
long long envNumber(const char* name) {
  const char* text = std::getenv(name);
  if (!text || !*text) return -1;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || v < 0) return -1;
  return v;
}

bool meantForUs(const char* pidVariable) {
  long long pid = envNumber(pidVariable);
  return pid == static_cast<long long>(getpid());
}

}  // namespace

bool sdNotify(const std::string& state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t length = std::strlen(path);
  // '@' names a socket in the abstract namespace, written with a leading NUL.
  if ((path[0] != '/' && path[0] != '@') || length >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path, length);
  if (path[0] == '@') addr.sun_path[0] = '\0';
  socklen_t addrLength = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // Never wait on the service manager: a full queue loses one ping, while a
  // blocked send would stall the very loop the watchdog reports on.
  ssize_t sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                        reinterpret_cast<const sockaddr*>(&addr), addrLength);
  close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

int sdListenFd(std::ostream& log) {
  long long count = envNumber("LISTEN_FDS");
  bool ours = meantForUs("LISTEN_PID");
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (!ours || count < 1) return -1;
  if (count > 1) log << "warning: systemd passed " << count << " sockets; using the first\n";
  // Our own children must not inherit it.
  fcntl(kFirstPassedFd, F_SETFD, FD_CLOEXEC);
  return kFirstPassedFd;
}

std::chrono::microseconds sdWatchdogPingInterval() {
  long long usec = envNumber("WATCHDOG_USEC");
  if (usec <= 0) return std::chrono::microseconds(0);
  if (std::getenv("WATCHDOG_PID") && !meantForUs("WATCHDOG_PID"))
    return std::chrono::microseconds(0);
  return std::chrono::microseconds(usec / 2);
}

Watchdog::Watchdog(std::chrono::microseconds pingInterval, Liveness& liveness)
    : interval_(pingInterval), liveness_(liveness) {
  long long halfMs = std::max<long long>(1, pingInterval.count() / 2000);
  if (halfMs < liveness.maxSleepMs) liveness.maxSleepMs = static_cast<int>(halfMs);
  thread_ = std::thread([this] { loop(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exit_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Watchdog::loop() {
  uint64_t lastBeats = liveness_.beats.load();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return exit_; })) {
    uint64_t beats = liveness_.beats.load();
    if (beats != lastBeats || liveness_.busy.load()) sdNotify("WATCHDOG=1");
    lastBeats = beats;
  }
}

}  // namespace hoshi::gtp
