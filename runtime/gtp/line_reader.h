#pragma once

#include <poll.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtp/session.h"

// The machinery shared by the byte-stream transports (TCP, serial): split the
// stream into lines, run each line on a worker thread so the connection stays
// watched while a command (a search) runs, and notice a vanished peer.

namespace hoshi::gtp {

// Splits a byte stream into GTP lines. LF ends a line and a CR right before it
// is dropped, so CRLF and LF peers both work. A line longer than maxLength is
// reported once, as soon as it is known to be too long, and the rest of it is
// skipped up to its LF: a peer that never sends a newline costs bounded memory.
class LineSplitter {
 public:
  struct Line {
    std::string text;
    bool overlong = false;
  };

  explicit LineSplitter(size_t maxLength) : maxLength_(maxLength) {}
  // Appends the complete lines found in data to out.
  void feed(const char* data, size_t size, std::deque<Line>& out);
  void clear();
  // Bytes of the unfinished line held.
  size_t pending() const { return partial_.size(); }

 private:
  size_t maxLength_;
  std::string partial_;
  bool skipping_ = false;  // inside an overlong line, waiting for its LF
};

// The answer to an overlong line.
std::string overlongLineResponse(size_t maxLength);

// A GTP conversation as the transports drive it. The Session-backed one is in
// gtp/serve.h; tests supply others. processLine runs on the worker thread,
// everything else on the transport's thread, never at the same time except
// requestStop.
class Conversation {
 public:
  virtual ~Conversation() = default;
  // A front end connected (or the serial line came up).
  virtual void begin() = 0;
  virtual void processLine(const std::string& line, Sink& sink) = 0;
  virtual bool quitRequested() const = 0;
  // Called from the transport's thread while processLine runs: the front end
  // is gone, so the running command (a search) should end soon.
  virtual void requestStop() = 0;
  // The front end is gone or said quit; no command is running. Must stop
  // anything still writing to the sink of the conversation.
  virtual void end() = 0;
};

// Signs of life for the systemd watchdog: the transport loop beats at least
// every maxSleepMs, and a running command counts as alive however long it
// takes. The watchdog shortens maxSleepMs to fit its ping interval.
struct Liveness {
  std::atomic<uint64_t> beats{0};
  std::atomic<bool> busy{false};
  std::atomic<int> maxSleepMs{1000};
};

// How long a transport loop may sleep in poll() before beating again.
inline int beatIntervalMs(const Liveness* liveness) {
  return liveness ? liveness->maxSleepMs.load() : 1000;
}

// One thread that runs the commands, one at a time. Completion is signalled
// on an eventfd so the transport can poll it with its connection.
class CommandWorker {
 public:
  CommandWorker();
  ~CommandWorker();
  CommandWorker(const CommandWorker&) = delete;
  CommandWorker& operator=(const CommandWorker&) = delete;

  // Starts task; the previous one must have been collected.
  void start(std::function<void()> task);
  // Readable once the started task has finished.
  int doneFd() const { return doneFd_; }
  // Consumes the completion signal after doneFd polled readable.
  void collect();

 private:
  void loop();

  int doneFd_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> task_;
  bool exit_ = false;
  std::thread thread_;
};

// Writes responses to a socket or tty; a failed write marks the peer gone.
class FdSink : public Sink {
 public:
  FdSink(int fd, std::atomic<bool>& failed);
  void write(const std::string& response) override;

 private:
  int fd_;
  bool socket_;
  std::atomic<bool>& failed_;
};

// Writes all of data to a non-blocking fd, waiting up to timeoutMs for each
// chunk to fit. False on error or timeout.
bool writeAll(int fd, const char* data, size_t size, bool socket, int timeoutMs);

// The defaults of gtpMaxLineLength and gtpIdleTimeoutSeconds (gtp/options.cpp
// declares them with these).
struct PumpOptions {
  size_t maxLineLength = 65536;
  double idleTimeoutSeconds = 0;  // 0: never time out
};

enum class PumpEnd {
  kQuit,      // the front end said quit
  kHangup,    // the peer closed, reset or vanished
  kIdle,      // nothing arrived for idleTimeoutSeconds
  kShutdown,  // the server is stopping
};
const char* pumpEndName(PumpEnd end);

// What a transport adds to the pump's loop: extra descriptors (the listening
// socket, to turn away a second front end), a shutdown check, and a check
// that the device is still there (a serial path that vanished).
class PumpHooks {
 public:
  virtual ~PumpHooks() = default;
  // peerGone: the connection ended and the pump only waits for the running
  // command to return; a listener should then be left alone, so the next
  // front end waits in the backlog instead of being turned away.
  virtual void addFds(std::vector<pollfd>& /*fds*/, bool /*peerGone*/) {}
  // Called with the entries addFds appended, revents filled in; peerGone as
  // above, now that this round's input was read.
  virtual void handleFds(const pollfd* /*fds*/, size_t /*count*/, bool /*peerGone*/) {}
  // How long to wait, at most, for the current peer to hang up before
  // handleFds judges these events (a listener's newcomer); 0: judge at once.
  virtual int peerGraceMs(const pollfd* /*fds*/, size_t /*count*/) { return 0; }
  virtual bool shutdownRequested() { return false; }
  virtual bool deviceLost() { return false; }
};

// Serves one connected fd (non-blocking) until quit, hangup, idle timeout or
// shutdown, as one conversation: begin() first, end() last, while the sink
// is still alive (background work such as kata-analyze may be writing to it
// until end() stops it). Lines are handed to the conversation in order, one
// at a time; a hangup while a command runs calls requestStop and waits for
// it to return.
// Input that arrived after a quit is kept for the next serve() on the same
// fd (a serial line outlives its conversations); a hangup discards it.
class ConnectionPump {
 public:
  ConnectionPump(Conversation& conversation, CommandWorker& worker, const PumpOptions& options,
                 Liveness* liveness);
  PumpEnd serve(int fd, PumpHooks& hooks);

 private:
  Conversation& conversation_;
  CommandWorker& worker_;
  PumpOptions options_;
  Liveness* liveness_;
  LineSplitter splitter_;
  std::deque<LineSplitter::Line> queue_;
};

}  // namespace hoshi::gtp
