#include "config/options.h"
#include "config/version.h"
#include "gtp/command_table.h"
#include "gtp/parse.h"

namespace hoshi::gtp {

void registerCoreCommands(CommandTable& table) {
  table.add("protocol_version", [](CommandContext&, const Args& args) {
    return args.empty() ? success("2") : failure("syntax error");
  });
  table.add("name", [](CommandContext&, const Args& args) {
    return args.empty() ? success(kName) : failure("syntax error");
  });
  table.add("version", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    const std::string& custom = ctx.options.params().gtpVersion;
    return success(custom.empty() ? std::string(kVersion) : custom);
  });
  table.add("known_command", [](CommandContext& ctx, const Args& args) {
    if (args.size() != 1) return failure("syntax error");
    return success(ctx.table.find(args[0]) ? "true" : "false");
  });
  table.add("list_commands", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    std::string out;
    for (const std::string& name : ctx.table.names()) out += (out.empty() ? "" : "\n") + name;
    return success(out);
  });
  table.add("quit", [](CommandContext& ctx, const Args&) {
    ctx.quitRequested = true;
    return success();
  });
}

}  // namespace hoshi::gtp
