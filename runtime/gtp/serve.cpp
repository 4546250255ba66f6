#include "gtp/serve.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "gtp/sd_notify.h"
#include "gtp/transport_serial.h"
#include "gtp/transport_stdio.h"
#include "gtp/transport_tcp.h"

namespace hoshi::gtp {

SessionConversation::SessionConversation(Engine& engine, config::OptionSet& options,
                                         std::ostream& log, bool keepState,
                                         std::function<void()> stopSearch)
    : engine_(engine),
      options_(options),
      initialOptions_(options),
      log_(log),
      keepState_(keepState),
      stopSearch_(std::move(stopSearch)) {}

void SessionConversation::begin() {
  session_ = std::make_unique<Session>(engine_, options_, log_, true);
}

void SessionConversation::processLine(const std::string& line, Sink& sink) {
  session_->processLine(line, sink);
}

bool SessionConversation::quitRequested() const {
  return session_ && session_->quitRequested();
}

void SessionConversation::requestStop() {
  if (stopSearch_) stopSearch_();
}

void SessionConversation::end() {
  session_.reset();
  if (keepState_) return;
  // The next front end gets the engine as the config made it: board, komi,
  // rules, clocks and every kata-set-param change undone.
  options_ = initialOptions_;
  engine_.reset(options_.params());
}

PumpOptions pumpOptionsFrom(const config::Params& params) {
  PumpOptions o;
  o.maxLineLength = static_cast<size_t>(params.gtpMaxLineLength);
  o.idleTimeoutSeconds = params.gtpIdleTimeoutSeconds;
  return o;
}

namespace {

// The eventfd the stop signals are forwarded to. A signal handler can reach
// nothing else; StopSignals sets it for the time the servers run.
std::atomic<int> stopSignalFd{-1};

void onStopSignal(int) {
  int fd = stopSignalFd.load();
  uint64_t one = 1;
  if (fd >= 0 && write(fd, &one, sizeof one) < 0) {
    // Nothing to do: the descriptor is already readable or being closed.
  }
}

// SIGTERM (systemctl stop) and SIGINT become a readable descriptor the
// servers poll, so a stop waits for the running command instead of cutting a
// response in half. A handler rather than a signalfd: threads started before
// serve() (the network's) do not block the signals, and may receive them.
class StopSignals {
 public:
  StopSignals() {
    fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    stopSignalFd = fd_;
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, &oldTerm_);
    sigaction(SIGINT, &action, &oldInt_);
    // A front end that vanished must not kill us through SIGPIPE.
    signal(SIGPIPE, SIG_IGN);
  }
  ~StopSignals() {
    sigaction(SIGTERM, &oldTerm_, nullptr);
    sigaction(SIGINT, &oldInt_, nullptr);
    stopSignalFd = -1;
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  struct sigaction oldTerm_ {};
  struct sigaction oldInt_ {};
};

// Readiness, then the watchdog for as long as the server runs.
template <typename Server>
void runNotified(Server& server, Liveness& liveness, const std::string& status) {
  std::optional<Watchdog> watchdog;
  if (auto interval = sdWatchdogPingInterval(); interval.count() > 0)
    watchdog.emplace(interval, liveness);
  sdNotify("READY=1\nSTATUS=" + status);
  server.run();
  sdNotify("STOPPING=1");
}

int serveTcp(SessionConversation& conversation, const config::Params& p, int passedFd,
             std::ostream& log) {
  int fd = passedFd;
  if (fd >= 0) {
    if (!p.gtpListen.empty()) log << "hoshi: gtpListen ignored: systemd passed a socket\n";
    log << "hoshi: GTP on socket from systemd " << socketAddress(fd, false) << "\n";
  } else {
    fd = openTcpListener(p.gtpListen, log);
  }
  StopSignals signals;
  Liveness liveness;
  TcpServer server(fd, conversation, pumpOptionsFrom(p), log, &liveness);
  server.setStopFd(signals.fd());
  runNotified(server, liveness, "GTP on " + socketAddress(fd, false));
  return 0;
}

int serveSerial(SessionConversation& conversation, const config::Params& p, std::ostream& log) {
  SerialOptions o;
  o.device = p.gtpSerial;
  o.baud = static_cast<long>(p.gtpSerialBaud);
  o.pump = pumpOptionsFrom(p);
  // A serial front end may sit quietly for hours between games.
  o.pump.idleTimeoutSeconds = 0;
  StopSignals signals;
  Liveness liveness;
  SerialServer server(o, conversation, log, &liveness);
  server.setStopFd(signals.fd());
  runNotified(server, liveness, "GTP on " + o.device);
  return 0;
}

}  // namespace

int serve(Engine& engine, config::OptionSet& options, std::ostream& log) {
  const config::Params& p = options.params();
  if (!p.gtpSerial.empty() && !p.gtpListen.empty()) {
    log << "hoshi gtp: choose one of gtpListen (--listen) and gtpSerial (--serial)\n";
    return 2;
  }
  int passedFd = sdListenFd(log);
  if (passedFd >= 0 && !p.gtpSerial.empty()) {
    log << "hoshi: ignoring the socket from systemd: serving serial " << p.gtpSerial << "\n";
    close(passedFd);
    passedFd = -1;
  }
  SessionConversation conversation(engine, options, log, p.gtpKeepStateOnDisconnect,
                                   [&engine] { engine.stopSearch(); });
  try {
    if (!p.gtpSerial.empty()) return serveSerial(conversation, p, log);
    if (passedFd >= 0 || !p.gtpListen.empty()) return serveTcp(conversation, p, passedFd, log);
  } catch (const std::runtime_error& e) {
    log << "hoshi gtp: " << e.what() << "\n";
    return 1;
  }
  Session session(engine, options, log);
  // The same line limit as TCP and serial; SIGTERM or SIGINT during a
  // genmove gets its answer, then a clean exit 0.
  StopSignals signals;
  sdNotify("READY=1\nSTATUS=GTP on stdin/stdout");
  return runFd(session, STDIN_FILENO, std::cout, static_cast<size_t>(p.gtpMaxLineLength),
               signals.fd(), [&engine] { engine.stopSearch(); });
}

}  // namespace hoshi::gtp
