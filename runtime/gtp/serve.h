#pragma once

#include <functional>
#include <memory>
#include <ostream>

#include "config/options.h"
#include "gtp/line_reader.h"
#include "gtp/session.h"
#include "search/engine.h"

namespace hoshi::gtp {

// The transports' conversation over a real Session: a fresh Session for each
// front end (so `quit` ends only that one), the engine and the options reset
// to the config's when a front end leaves unless gtpKeepStateOnDisconnect, and a vanished front
// end's running search stopped through stopSearch.
class SessionConversation : public Conversation {
 public:
  SessionConversation(Engine& engine, config::OptionSet& options, std::ostream& log, bool keepState,
                      std::function<void()> stopSearch);

  void begin() override;
  void processLine(const std::string& line, Sink& sink) override;
  bool quitRequested() const override;
  void requestStop() override;
  void end() override;

 private:
  Engine& engine_;
  config::OptionSet& options_;
  const config::OptionSet initialOptions_;  // as the config and command line set them
  std::ostream& log_;
  bool keepState_;
  std::function<void()> stopSearch_;
  std::unique_ptr<Session> session_;
};

// The pump settings the options ask for.
PumpOptions pumpOptionsFrom(const config::Params& params);

// Runs GTP on the transport the options choose, until the end of the
// conversation (stdin) or SIGTERM/SIGINT (TCP, serial):
//  - gtpSerial set: that serial device (gtpSerialBaud);
//  - a socket passed by a systemd .socket unit, or gtpListen set: TCP;
//  - otherwise stdin/stdout.
// Tells systemd READY=1 once serving and feeds its watchdog when it has one.
// Returns the exit code; setup errors are written to log.
int serve(Engine& engine, config::OptionSet& options, std::ostream& log);

}  // namespace hoshi::gtp
