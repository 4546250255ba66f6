#include "gtp/transport_stdio.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <string>
#include <thread>

#include "gtp/line_reader.h"

namespace hoshi::gtp {

namespace {

class StreamSink : public Sink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void write(const std::string& response) override { out_ << response << std::flush; }

 private:
  std::ostream& out_;
};

// Watches stopFd while the main thread runs commands: a stop signal during a
// genmove ends its search at once.
class StopWatcher {
 public:
  StopWatcher(int stopFd, std::function<void()> stopSearch)
      : stopFd_(stopFd), stopSearch_(std::move(stopSearch)) {
    wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stopFd_ >= 0 && wakeFd_ >= 0) thread_ = std::thread([this] { loop(); });
  }
  ~StopWatcher() {
    uint64_t one = 1;
    if (wakeFd_ >= 0 && write(wakeFd_, &one, sizeof one) < 0) {
      // The thread then ends at its next poll timeout.
    }
    if (thread_.joinable()) thread_.join();
    if (wakeFd_ >= 0) close(wakeFd_);
  }
  bool stopped() const { return stopped_.load(); }

 private:
  void loop() {
    pollfd fds[2] = {{stopFd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    for (;;) {
      int r = poll(fds, 2, 1000);
      if (r < 0 && errno != EINTR) return;
      if (fds[1].revents & POLLIN) return;
      if (fds[0].revents & POLLIN) break;
    }
    // A search that started just after the signal would miss a single stop:
    // keep stopping until the main loop has ended.
    stopped_ = true;
    pollfd wake{wakeFd_, POLLIN, 0};
    for (;;) {
      if (stopSearch_) stopSearch_();
      if (poll(&wake, 1, 50) > 0) return;
    }
  }

  int stopFd_;
  int wakeFd_ = -1;
  std::function<void()> stopSearch_;
  std::atomic<bool> stopped_{false};
  std::thread thread_;
};

}  // namespace

int runStream(Session& session, std::istream& in, std::ostream& out) {
  StreamSink sink(out);
  for (std::string line; !session.quitRequested() && std::getline(in, line);) {
    session.processLine(line, sink);
  }
  return 0;
}

int runFd(Session& session, int fd, std::ostream& out, size_t maxLineLength, int stopFd,
          std::function<void()> stopSearch) {
  StreamSink sink(out);
  StopWatcher watcher(stopFd, std::move(stopSearch));
  LineSplitter splitter(maxLineLength);
  std::deque<LineSplitter::Line> lines;
  bool ended = false;
  while (!session.quitRequested() && !watcher.stopped()) {
    if (!lines.empty()) {
      LineSplitter::Line line = std::move(lines.front());
      lines.pop_front();
      if (line.overlong) {
        sink.write(overlongLineResponse(maxLineLength));
      } else {
        session.processLine(line.text, sink);
      }
      continue;
    }
    if (ended) break;
    pollfd fds[2] = {{fd, POLLIN, 0}, {stopFd, POLLIN, 0}};
    int r = poll(fds, stopFd >= 0 ? 2 : 1, -1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 || (stopFd >= 0 && (fds[1].revents & POLLIN))) break;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n > 0) {
      splitter.feed(buf, static_cast<size_t>(n), lines);
    } else {
      // End of input: a last line without its newline still counts.
      if (splitter.pending() > 0) splitter.feed("\n", 1, lines);
      ended = true;
    }
  }
  session.stopBackground();
  return 0;
}

}  // namespace hoshi::gtp
