#include "gtp/command_table.h"

namespace hoshi::gtp {

void registerSgfCommands(CommandTable&) {}

}  // namespace hoshi::gtp
