#pragma once

// Every setting of the hoshi binary, collected from the layers that read
// them: each declares its own once (name, type, range, default, help) and
// this registry serves config files, -override-config, kata-set-param,
// kata-list-params and --help-options.

#include "config/options.h"

namespace hoshi::app {

// Built once, in a stable order: the search layer's (rules, engine, search),
// the network's, GTP's, then the analysis engine's.
const config::OptionRegistry& programOptions();

}  // namespace hoshi::app
