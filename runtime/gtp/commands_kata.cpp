#include <stdexcept>
#include <string>

#include "config/options.h"
#include "gtp/command_table.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

std::string joined(const Args& args) {
  std::string out;
  for (const std::string& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

Reply setRules(CommandContext& ctx, const Rules& rules) {
  ctx.engine.setRules(rules);
  ctx.log << "Changed rules to " << ctx.engine.rules().niceName() << "\n";
  return success();
}

Reply kataSetRules(CommandContext& ctx, const Args& args) {
  if (args.empty()) return failure("syntax error");
  std::string text = joined(args);
  try {
    return setRules(ctx, Rules::parseWithoutKomi(text, ctx.engine.state().komi()));
  } catch (const std::invalid_argument& e) {
    return failure("Unknown rules '" + text + "', " + e.what());
  }
}

Reply kgsRules(CommandContext& ctx, const Args& args) {
  if (args.size() != 1) return failure("syntax error");
  try {
    return setRules(ctx, Rules::parseKgs(args[0], ctx.engine.state().komi()));
  } catch (const std::invalid_argument&) {
    return failure("Unknown rules '" + args[0] + "'");
  }
}

const config::OptionDecl* runtimeOption(const std::string& name) {
  const config::OptionDecl* d = config::findOptionDecl(name);
  return d && d->changeableAtRuntime ? d : nullptr;
}

Reply kataSetParam(CommandContext& ctx, const Args& args) {
  if (args.size() != 1 && args.size() != 2) return failure("syntax error");
  if (!runtimeOption(args[0])) return failure("Invalid parameter: " + args[0]);
  // One argument restores the default, as KataGo's empty value does.
  std::string value =
      args.size() == 2 ? args[1] : std::string(config::findOptionDecl(args[0])->defaultValue);
  try {
    ctx.options.set(args[0], value, "kata-set-param");
  } catch (const config::ConfigError& e) {
    return failure(std::string("Could not set params: ") + e.what());
  }
  ctx.engine.setParams(ctx.options.params());
  return success();
}

}  // namespace

void registerKataCommands(CommandTable& table) {
  table.add("kata-get-rules", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    return success(ctx.engine.rules().toJson(false));
  });
  table.add("kata-set-rules", kataSetRules);
  table.add("kgs-rules", kgsRules);
  table.add("kata-list-params", [](CommandContext&, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    std::string out;
    for (const config::OptionDecl& d : config::optionDecls()) {
      if (d.changeableAtRuntime) out += (out.empty() ? "" : " ") + std::string(d.name);
    }
    return success(out);
  });
  table.add("kata-get-param", [](CommandContext& ctx, const Args& args) {
    if (args.size() != 1) return failure("syntax error");
    if (!runtimeOption(args[0])) return failure("Invalid parameter: " + args[0]);
    return success(ctx.options.get(args[0]));
  });
  table.add("kata-set-param", kataSetParam);
}

}  // namespace hoshi::gtp
