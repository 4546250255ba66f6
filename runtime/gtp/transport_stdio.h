#pragma once

#include <istream>
#include <ostream>

#include "gtp/session.h"

namespace hoshi::gtp {

// Feeds `in` line by line to the session and writes responses to `out`,
// flushing each, until `quit` or end of input. Returns the exit code.
int runStream(Session& session, std::istream& in, std::ostream& out);

}  // namespace hoshi::gtp
