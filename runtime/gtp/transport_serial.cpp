#include "gtp/transport_serial.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hoshi::gtp {
namespace {

struct BaudEntry {
  long baud;
  speed_t speed;
};

constexpr BaudEntry kBauds[] = {
    {1200, B1200},       {2400, B2400},       {4800, B4800},       {9600, B9600},
    {19200, B19200},     {38400, B38400},     {57600, B57600},     {115200, B115200},
    {230400, B230400},   {460800, B460800},   {500000, B500000},   {576000, B576000},
    {921600, B921600},   {1000000, B1000000}, {1152000, B1152000}, {1500000, B1500000},
    {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000}, {3500000, B3500000},
    {4000000, B4000000},
};

bool speedFor(long baud, speed_t& out) {
  for (const BaudEntry& e : kBauds) {
    if (e.baud == baud) return out = e.speed, true;
  }
  return false;
}

std::runtime_error deviceError(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void configureRaw(int fd, speed_t speed, const std::string& path) {
  termios t{};
  if (tcgetattr(fd, &t) != 0) throw deviceError("cannot read settings of", path);
  cfmakeraw(&t);  // no echo, no line editing, no CR/LF translation, 8 bits
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | CSTOPB | CRTSCTS);
  t.c_cflag |= CS8 | CLOCAL | CREAD;
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  cfsetispeed(&t, speed);
  cfsetospeed(&t, speed);
  if (tcsetattr(fd, TCSANOW, &t) != 0) throw deviceError("cannot configure", path);
  // Bytes left from before we opened belong to no conversation of ours.
  tcflush(fd, TCIOFLUSH);
}

}  // namespace

bool serialBaudSupported(long baud) {
  speed_t unused;
  return speedFor(baud, unused);
}

int openSerialPort(const std::string& path, long baud) {
  speed_t speed;
  if (!speedFor(baud, speed))
    throw std::runtime_error("unsupported serial speed " + std::to_string(baud));
  int fd = open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw deviceError("cannot open", path);
  if (!isatty(fd)) {
    close(fd);
    throw std::runtime_error(path + " is not a terminal");
  }
  try {
    configureRaw(fd, speed, path);
  } catch (...) {
    close(fd);
    throw;
  }
  // Keep other openers (modem probes, a stray getty) off the line.
  ioctl(fd, TIOCEXCL);
  return fd;
}

// The server's part in the pump loop: shutdown descriptors, and whether the
// device path still names the device that is open.
class SerialServer::Hooks : public PumpHooks {
 public:
  Hooks(SerialServer& server, dev_t device) : server_(server), device_(device) {}

  void addFds(std::vector<pollfd>& fds, bool) override {
    fds.push_back(pollfd{server_.wakeFd_, POLLIN, 0});
    fds.push_back(pollfd{server_.stopFd_, POLLIN, 0});
  }
  void handleFds(const pollfd* fds, size_t, bool) override {
    if ((fds[0].revents & POLLIN) || (fds[1].fd >= 0 && (fds[1].revents & POLLIN))) {
      shutdown_ = true;
    }
  }
  bool shutdownRequested() override { return shutdown_; }
  bool deviceLost() override {
    struct stat st;
    return stat(server_.options_.device.c_str(), &st) != 0 || st.st_rdev != device_;
  }

 private:
  SerialServer& server_;
  dev_t device_;
  bool shutdown_ = false;
};

SerialServer::SerialServer(const SerialOptions& options, Conversation& conversation,
                           std::ostream& log, Liveness* liveness)
    : options_(options), conversation_(conversation), log_(log), liveness_(liveness) {
  if (!serialBaudSupported(options.baud))
    throw std::runtime_error("unsupported serial speed " + std::to_string(options.baud));
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
}

SerialServer::~SerialServer() {
  close(wakeFd_);
}

void SerialServer::requestShutdown() {
  uint64_t one = 1;
  while (write(wakeFd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

bool SerialServer::waitForStop(int timeoutMs) {
  if (liveness_) ++liveness_->beats;
  pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
  int r = poll(fds, 2, std::min(timeoutMs, beatIntervalMs(liveness_)));
  return r > 0 && ((fds[0].revents & POLLIN) || (fds[1].fd >= 0 && (fds[1].revents & POLLIN)));
}

int SerialServer::openWhenPresent() {
  bool reported = false;
  for (;;) {
    try {
      int fd = openSerialPort(options_.device, options_.baud);
      ++opens_;
      log_ << "hoshi: GTP on serial " << options_.device << " at " << options_.baud << " baud\n"
           << std::flush;
      return fd;
    } catch (const std::runtime_error& e) {
      // Said once per absence, not twice a second for as long as it lasts.
      if (!reported) log_ << "hoshi: " << e.what() << "; waiting for the device\n" << std::flush;
      reported = true;
    }
    if (waitForStop(options_.reopenIntervalMs)) return -1;
  }
}

void SerialServer::run() {
  for (;;) {
    int fd = openWhenPresent();
    if (fd < 0) return;
    struct stat st {};
    fstat(fd, &st);
    Hooks hooks(*this, st.st_rdev);
    ConnectionPump pump(conversation_, worker_, options_.pump, liveness_);
    PumpEnd end;
    do {
      // quit (or a quiet front end) ends the conversation; the line stays ours.
      end = pump.serve(fd, hooks);
    } while (end == PumpEnd::kQuit || end == PumpEnd::kIdle);
    close(fd);
    if (end == PumpEnd::kShutdown) return;
    log_ << "hoshi: serial " << options_.device << " went away; waiting for it to return\n"
         << std::flush;
    if (waitForStop(options_.reopenIntervalMs)) return;
  }
}

}  // namespace hoshi::gtp
