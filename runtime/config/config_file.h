#pragma once

#include <string>
#include <vector>

#include "config/options.h"

namespace hoshi::config {

// Reads a KataGo-style config file (`key = value` lines, `#` comments) into
// `options`. `@include other.cfg` (path relative to the including file) reads
// another file at that point, so later lines override what it set.
// Unknown keys append a "file:line: ..." text to `warnings`; every other
// problem (missing file, malformed line, bad value, include cycle) is
// collected and thrown as one ConfigError whose lines each start "file:line:".
void loadConfigFile(OptionSet& options, const std::string& path,
                    std::vector<std::string>& warnings);

// The same for config text held in memory, read as if it were the file
// `name` (error and warning lines start "name:line:"). `@include` is refused
// here: the text names no directory to resolve it against.
void loadConfigText(OptionSet& options, const std::string& text, const std::string& name,
                    std::vector<std::string>& warnings);

// Applies KataGo's `-override-config key=value,key=value`. Throws ConfigError
// for a malformed item, an unknown key or a bad value.
void applyOverrides(OptionSet& options, const std::string& overrides,
                    const std::string& origin = "-override-config");

}  // namespace hoshi::config
