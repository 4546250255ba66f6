#pragma once

// Serving the analysis engine: one JSON query a line in, one response a line
// out, many queries in flight. On stdin/stdout (KataGo's `analysis`), or over
// TCP to several clients at once: each connection's queries share the
// engine's searches, answers go back on the connection that asked, and a
// connection that goes away ends only its own queries.

#include <atomic>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "analysis/engine.h"
#include "analysis/query.h"

namespace hoshi::analysis {

// maxLineLength and maxClients are the defaults of analysisMaxLineLength and
// analysisMaxClients (analysis/options.cpp declares them with these).
struct ServerConfig {
  size_t maxLineLength = 4 << 20;
  int maxClients = 16;
  std::string modelName;  // query_models
  std::string precision = "fp32";
  bool quitWithoutWaiting = false;  // stdin: at its end, drop what is still queued
};

// Answers one line from a client (errors, warnings, actions at once; queued
// queries later, from the engine's threads).
class QueryHandler {
 public:
  QueryHandler(AnalysisEngine& engine, const ParseContext& context, const ServerConfig& config)
      : engine_(engine), context_(context), config_(config) {}
  void handleLine(const std::string& line, uint64_t client,
                  const std::shared_ptr<ResponseSink>& sink);
  std::string overlongLineError() const;

 private:
  std::string actionResponse(const Action& a, uint64_t client);

  AnalysisEngine& engine_;
  ParseContext context_;
  ServerConfig config_;
};

// Reads queries from fd `in` until end of input, writes responses to fd
// `out`; returns once every query has been answered. Exit code.
int serveStdio(QueryHandler& handler, AnalysisEngine& engine, const ServerConfig& config, int in,
               int out);

// Binds "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" (the last two on
// 127.0.0.1). Throws std::runtime_error naming the address on failure.
int openListener(const std::string& hostPort, std::ostream& log);
// The port a listening socket is bound to.
int boundPort(int fd);

// Serves TCP clients on listenFd until `stop` is set or stopFd (a signalfd,
// -1: none) becomes readable. Tells systemd READY and pings its watchdog.
int serveTcp(QueryHandler& handler, AnalysisEngine& engine, const ServerConfig& config,
             int listenFd, int stopFd, std::ostream& log);

// systemd, spoken directly (no libsystemd): a socket from a .socket unit
// ($LISTEN_FDS, fd 3; -1 when none), and notifications to $NOTIFY_SOCKET.
int systemdListenFd();
bool systemdNotify(const std::string& state);

}  // namespace hoshi::analysis
