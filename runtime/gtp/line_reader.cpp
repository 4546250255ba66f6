#include "gtp/line_reader.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace hoshi::gtp {

void LineSplitter::feed(const char* data, size_t size, std::deque<Line>& out) {
  for (size_t i = 0; i < size; ++i) {
    char c = data[i];
    if (c == '\n') {
      if (!skipping_) {
        if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
        out.push_back(Line{std::move(partial_), false});
      }
      partial_.clear();
      skipping_ = false;
      continue;
    }
    if (skipping_) continue;
    partial_ += c;
    // One byte of slack for the CR of a CRLF line of exactly maxLength.
    if (partial_.size() > maxLength_ + (c == '\r' ? 1 : 0)) {
      out.push_back(Line{"", true});
      partial_.clear();
      partial_.shrink_to_fit();
      skipping_ = true;
    }
  }
}

void LineSplitter::clear() {
  partial_.clear();
  skipping_ = false;
}

std::string overlongLineResponse(size_t maxLength) {
  return "? line too long: more than " + std::to_string(maxLength) + " bytes\n\n";
}

CommandWorker::CommandWorker() {
  doneFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (doneFd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  thread_ = std::thread([this] { loop(); });
}

CommandWorker::~CommandWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exit_ = true;
  }
  wake_.notify_one();
  thread_.join();
  close(doneFd_);
}

void CommandWorker::start(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = std::move(task);
  }
  wake_.notify_one();
}

void CommandWorker::collect() {
  uint64_t count;
  while (read(doneFd_, &count, sizeof count) < 0 && errno == EINTR) {
  }
}

void CommandWorker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return exit_ || task_; });
    if (exit_) return;
    std::function<void()> task = std::move(task_);
    task_ = nullptr;
    lock.unlock();
    task();
    task = nullptr;  // release captures before signalling
    uint64_t one = 1;
    while (::write(doneFd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
    lock.lock();
  }
}

bool writeAll(int fd, const char* data, size_t size, bool socket, int timeoutMs) {
  while (size > 0) {
    ssize_t n = socket ? send(fd, data, size, MSG_NOSIGNAL) : ::write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    // The peer reads slowly (or a serial line drains at its baud rate).
    pollfd p{fd, POLLOUT, 0};
    int r = poll(&p, 1, timeoutMs);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) return false;
  }
  return true;
}

FdSink::FdSink(int fd, std::atomic<bool>& failed) : fd_(fd), failed_(failed) {
  struct stat st;
  socket_ = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

void FdSink::write(const std::string& response) {
  constexpr int kWriteTimeoutMs = 10000;
  if (failed_) return;
  if (!writeAll(fd_, response.data(), response.size(), socket_, kWriteTimeoutMs)) failed_ = true;
}

const char* pumpEndName(PumpEnd end) {
  switch (end) {
    case PumpEnd::kQuit:
      return "quit";
    case PumpEnd::kHangup:
      return "hangup";
    case PumpEnd::kIdle:
      return "idle timeout";
    case PumpEnd::kShutdown:
      return "shutdown";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

// Lines read ahead of the running command, at most. Past this the socket is
// not read, so a flooding peer is held back by TCP flow control instead of
// filling our memory.
constexpr size_t kMaxQueuedBytes = size_t(1) << 20;

// The state of one connection being served; ConnectionPump::serve drives it.
class PumpRun {
 public:
  PumpRun(Conversation& conversation, CommandWorker& worker, const PumpOptions& options,
          Liveness* liveness, int fd, LineSplitter& splitter, std::deque<LineSplitter::Line>& queue)
      : conversation_(conversation),
        worker_(worker),
        options_(options),
        liveness_(liveness),
        fd_(fd),
        splitter_(splitter),
        queue_(queue),
        sink_(fd, writeFailed_),
        lastActivity_(Clock::now()) {
    for (const auto& line : queue_) queuedBytes_ += line.text.size() + 1;
  }

  PumpEnd serve(PumpHooks& hooks);

 private:
  void startNextLine();
  void readInput();
  void handleInputEvents(short ev);
  void recheckInput(short events, int graceMs);
  void markGone();
  void markInputEnded();
  int pollTimeoutMs() const;
  bool idleExpired() const;

  Conversation& conversation_;
  CommandWorker& worker_;
  const PumpOptions& options_;
  Liveness* liveness_;
  int fd_;
  LineSplitter& splitter_;
  std::deque<LineSplitter::Line>& queue_;
  size_t queuedBytes_ = 0;
  std::atomic<bool> writeFailed_{false};
  FdSink sink_;
  bool busy_ = false;
  bool gone_ = false;
  bool inputEnded_ = false;  // end of stream read: answer what came, then end
  bool stopSent_ = false;
  bool shutdown_ = false;
  Clock::time_point lastActivity_;
};

void PumpRun::startNextLine() {
  LineSplitter::Line line = std::move(queue_.front());
  queue_.pop_front();
  queuedBytes_ -= line.text.size() + 1;
  busy_ = true;
  if (liveness_) liveness_->busy = true;
  size_t maxLength = options_.maxLineLength;
  worker_.start([this, line = std::move(line), maxLength] {
    if (line.overlong) {
      sink_.write(overlongLineResponse(maxLength));
    } else {
      conversation_.processLine(line.text, sink_);
    }
  });
}

void PumpRun::readInput() {
  char buf[4096];
  while (queuedBytes_ < kMaxQueuedBytes) {
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n > 0) {
      size_t before = queue_.size();
      splitter_.feed(buf, static_cast<size_t>(n), queue_);
      for (size_t i = before; i < queue_.size(); ++i) queuedBytes_ += queue_[i].text.size() + 1;
      lastActivity_ = Clock::now();
      // Read on to EAGAIN even after a short read: an end of stream right
      // behind the data must be seen in this round, before the listener's
      // newcomer is judged.
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n == 0) {
      markInputEnded();
      return;
    }
    // EIO, ENXIO, ECONNRESET: the peer or device is gone.
    markGone();
    return;
  }
}

void PumpRun::handleInputEvents(short ev) {
  if (ev & POLLIN)
    readInput();
  else if (ev & (POLLHUP | POLLERR | POLLNVAL | POLLRDHUP))
    markGone();
}

// A newcomer on the listener can be reported before the hangup of this peer
// that came just before it: poll looks at its descriptors one after another,
// and the kernel may deliver the two on different cores. Wait a little for
// the peer's input or hangup before the hooks judge the newcomer; otherwise
// a front end reconnecting at once is refused.
void PumpRun::recheckInput(short events, int graceMs) {
  if (gone_ || inputEnded_) return;
  pollfd p{fd_, events, 0};
  int r;
  while ((r = poll(&p, 1, graceMs)) < 0 && errno == EINTR) {
  }
  if (r > 0) handleInputEvents(p.revents);
}

void PumpRun::markGone() {
  gone_ = true;
  queue_.clear();
  queuedBytes_ = 0;
  splitter_.clear();
  if (busy_ && !stopSent_) {
    stopSent_ = true;
    conversation_.requestStop();
  }
}

// End of stream: the peer closed, or only half-closed its side after sending
// (`printf 'name\n' | nc -N host port`). Lines already received are still
// answered, so a half-closed peer reads every answer; a running command is
// asked to finish early, since a peer that went away for good waits for
// nothing. A write that fails then marks the peer gone.
void PumpRun::markInputEnded() {
  inputEnded_ = true;
  splitter_.clear();
  if (busy_ && !stopSent_) {
    stopSent_ = true;
    conversation_.requestStop();
  }
}

int PumpRun::pollTimeoutMs() const {
  // Regular beats keep the watchdog fed and the shutdown and device checks live.
  int ms = beatIntervalMs(liveness_);
  if (options_.idleTimeoutSeconds > 0 && !busy_) {
    auto deadline = lastActivity_ + std::chrono::duration<double>(options_.idleTimeoutSeconds);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < ms) ms = left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
  }
  return ms;
}

bool PumpRun::idleExpired() const {
  if (options_.idleTimeoutSeconds <= 0 || busy_ || !queue_.empty()) return false;
  return Clock::now() - lastActivity_ >= std::chrono::duration<double>(options_.idleTimeoutSeconds);
}

PumpEnd PumpRun::serve(PumpHooks& hooks) {
  std::vector<pollfd> fds;
  for (;;) {
    if (liveness_) ++liveness_->beats;
    if (writeFailed_ && !gone_) markGone();
    if (!busy_) {
      if (shutdown_) return PumpEnd::kShutdown;
      if (conversation_.quitRequested()) return PumpEnd::kQuit;
      if (gone_) return PumpEnd::kHangup;
      if (idleExpired()) return PumpEnd::kIdle;
      if (!queue_.empty()) {
        startNextLine();
      } else if (inputEnded_) {
        return PumpEnd::kHangup;
      }
    }
    fds.clear();
    fds.push_back(pollfd{worker_.doneFd(), POLLIN, 0});
    // Input is read even while a command runs, so that a hangup is seen then.
    // With the queue full only a hangup is watched for.
    short events = queuedBytes_ < kMaxQueuedBytes ? POLLIN : POLLRDHUP;
    if (!gone_ && !inputEnded_) fds.push_back(pollfd{fd_, events, 0});
    size_t ownFds = fds.size();
    hooks.addFds(fds, gone_ || inputEnded_);
    int r = poll(fds.data(), fds.size(), pollTimeoutMs());
    if (r < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + strerror(errno));
    if (r < 0) continue;
    if (fds[0].revents & POLLIN) {
      worker_.collect();
      busy_ = false;
      if (liveness_) liveness_->busy = false;
      lastActivity_ = Clock::now();
    }
    if (ownFds > 1) {
      handleInputEvents(fds[1].revents);
      int grace = hooks.peerGraceMs(fds.data() + ownFds, fds.size() - ownFds);
      if (grace > 0) recheckInput(events, grace);
    }
    hooks.handleFds(fds.data() + ownFds, fds.size() - ownFds, gone_ || inputEnded_);
    if (!gone_ && hooks.deviceLost()) markGone();
    if (!shutdown_ && hooks.shutdownRequested()) {
      shutdown_ = true;
      markGone();
    }
  }
}

}  // namespace

ConnectionPump::ConnectionPump(Conversation& conversation, CommandWorker& worker,
                               const PumpOptions& options, Liveness* liveness)
    : conversation_(conversation),
      worker_(worker),
      options_(options),
      liveness_(liveness),
      splitter_(options.maxLineLength) {}

PumpEnd ConnectionPump::serve(int fd, PumpHooks& hooks) {
  PumpRun run(conversation_, worker_, options_, liveness_, fd, splitter_, queue_);
  conversation_.begin();
  PumpEnd end;
  try {
    end = run.serve(hooks);
  } catch (...) {
    conversation_.end();
    throw;
  }
  conversation_.end();
  return end;
}

}  // namespace hoshi::gtp
