#pragma once

#include <atomic>
#include <ostream>
#include <string>

#include "gtp/line_reader.h"

namespace hoshi::gtp {

// True for the speeds termios can set (9600, 115200, 921600, ...).
bool serialBaudSupported(long baud);

// Opens a serial device for GTP: non-blocking, not our controlling tty, raw
// 8N1 without echo or flow control, CLOCAL so a missing carrier line does not
// hang up, at `baud`. Works the same on a pseudo-terminal. Throws
// std::runtime_error naming the device on failure.
int openSerialPort(const std::string& path, long baud);

struct SerialOptions {
  std::string device;
  long baud = 115200;  // gtpSerialBaud's default (gtp/options.cpp)
  PumpOptions pump;
  // How often a vanished device is looked for again.
  int reopenIntervalMs = 500;
};

// GTP on a serial line. When the device goes away (USB unplug: EIO, ENXIO,
// hangup, or its path vanishing or now naming another device) the running
// command is stopped, the conversation ended, and the device opened again as
// soon as it is back. `quit` ends the conversation, not the service: the line
// stays open for the next front end.
class SerialServer {
 public:
  SerialServer(const SerialOptions& options, Conversation& conversation, std::ostream& log,
               Liveness* liveness = nullptr);
  ~SerialServer();
  SerialServer(const SerialServer&) = delete;
  SerialServer& operator=(const SerialServer&) = delete;

  // An extra descriptor whose readability stops the server (a signalfd).
  void setStopFd(int fd) { stopFd_ = fd; }
  // Serves until requestShutdown() or the stop fd.
  void run();
  // Any thread.
  void requestShutdown();
  // How many times the device was opened (the first time included).
  int opens() const { return opens_.load(); }

 private:
  class Hooks;
  int openWhenPresent();
  bool waitForStop(int timeoutMs);

  SerialOptions options_;
  Conversation& conversation_;
  std::ostream& log_;
  Liveness* liveness_;
  CommandWorker worker_;
  int wakeFd_;
  int stopFd_ = -1;
  std::atomic<int> opens_{0};
};

}  // namespace hoshi::gtp
