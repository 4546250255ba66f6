#pragma once

#include <functional>
#include <istream>
#include <ostream>

#include "gtp/session.h"

namespace hoshi::gtp {

// Feeds `in` line by line to the session and writes responses to `out`,
// flushing each, until `quit` or end of input. Returns the exit code.
int runStream(Session& session, std::istream& in, std::ostream& out);

// GTP on a file descriptor (stdin) answering on `out`, as the TCP and serial
// transports do: a line longer than maxLineLength is answered with an error
// and skipped, and a readable stopFd (SIGTERM, SIGINT) ends the conversation
// after the running command: stopSearch is called so that a genmove answers
// with what it found, then the loop returns 0.
int runFd(Session& session, int fd, std::ostream& out, size_t maxLineLength, int stopFd,
          std::function<void()> stopSearch);

}  // namespace hoshi::gtp
