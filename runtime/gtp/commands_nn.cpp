#include "gtp/command_table.h"

namespace hoshi::gtp {

// Commands that need the network (kata-raw-nn, ...). Registered here so that
// the network side of the team can grow them without touching the rest of
// the table.
void registerNnCommands(CommandTable& /*table*/) {}

}  // namespace hoshi::gtp
