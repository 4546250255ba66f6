#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "gtp/line_reader.h"

// The three pieces of the systemd protocol Hoshi uses, spoken directly over
// the environment and a unix datagram socket so that no libsystemd is needed
// on the board: readiness and watchdog notifications, and socket activation.

namespace hoshi::gtp {

// Sends one notification ("READY=1", "STATUS=...", "WATCHDOG=1",
// "STOPPING=1") to $NOTIFY_SOCKET. False when not started by systemd with
// Type=notify (no socket), or when sending failed.
bool sdNotify(const std::string& state);

// The listening socket handed over by a .socket unit: fd 3 when $LISTEN_PID is
// this process and $LISTEN_FDS is at least 1; -1 otherwise. The variables are
// removed so that a child process does not take the socket too. Extra sockets
// beyond the first are reported to log and left alone.
int sdListenFd(std::ostream& log);

// How often to ping: half of $WATCHDOG_USEC when $WATCHDOG_PID is this process
// (or unset); zero when the service has no watchdog.
std::chrono::microseconds sdWatchdogPingInterval();

// Pings the watchdog from its own thread while the transport loop shows signs
// of life: its beat counter moved since the last ping, or a command (a
// search) is running. A loop that hangs outside a command stops the pings,
// and systemd restarts the service.
class Watchdog {
 public:
  // Shortens liveness.maxSleepMs so that the loop beats between two pings.
  Watchdog(std::chrono::microseconds pingInterval, Liveness& liveness);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void loop();

  std::chrono::microseconds interval_;
  const Liveness& liveness_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool exit_ = false;
  std::thread thread_;
};

}  // namespace hoshi::gtp
