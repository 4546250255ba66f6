#pragma once

#include <iostream>
#include <string>

#include "gtp/command_table.h"

namespace hoshi::gtp {

// Receives complete responses ("=id text\n\n" or "?id text\n\n").
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const std::string& response) = 0;
};

// One GTP conversation over an Engine: parses a command line, runs its
// handler, formats the response. It knows nothing of the transport.
class Session {
 public:
  // remote: the front end is on TCP or serial (CommandContext::remote).
  Session(Engine& engine, config::OptionSet& options, std::ostream& log = std::cerr,
          bool remote = false);
  ~Session();
  // Ends background work (analysis, pondering) started by a command.
  void stopBackground();

  // Handles one input line (with or without its newline). Lines that are
  // empty after the GTP v2 preprocessing (control characters removed, '#'
  // comments cut) produce no response.
  void processLine(const std::string& line, Sink& sink);
  // True once `quit` was answered.
  bool quitRequested() const { return context_.quitRequested; }

  const CommandTable& table() const { return table_; }

 private:
  CommandTable table_;
  CommandContext context_;
};

// GTP v2 preprocessing of one input line; returns "" for lines to ignore.
std::string cleanLine(const std::string& line);

}  // namespace hoshi::gtp
