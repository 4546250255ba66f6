#pragma once

// The GTP front end: version, logging, transports (TCP, serial) and remote file access: declared
// here once (name, range, default, help).

#include "config/options.h"

namespace hoshi::gtp {

void declareGtpOptions(config::OptionRegistry& registry);

}  // namespace hoshi::gtp
