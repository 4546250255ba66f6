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

const config::OptionSpec* runtimeOption(const config::OptionSet& options, const std::string& name) {
  const config::OptionSpec* d = options.registry().find(name);
  return d && d->changeableAtRuntime ? d : nullptr;
}

// Options that set the rules, with the Rules field each refines ("" for
// the preset itself): a change replays the game under the new rules (komi
// kept), as kata-set-rules does.
const char* rulesField(const std::string& name) {
  static const std::pair<const char*, const char*> kRulesKeys[] = {
      {"rules", ""},
      {"koRule", "ko"},
      {"scoringRule", "scoring"},
      {"taxRule", "tax"},
      {"multiStoneSuicideLegal", "suicide"},
      {"hasButton", "hasButton"},
      {"whiteHandicapBonus", "whiteHandicapBonus"},
      {"friendlyPassOk", "friendlyPassOk"},
  };
  for (const auto& [key, field] : kRulesKeys) {
    if (name == key) return field;
  }
  return nullptr;
}

// The rules after `name` was set to `value`: a refinement changes the rules
// in force (which kata-set-rules may have set), the preset or an empty
// value starts from the options again.
Rules rulesAfter(CommandContext& ctx, const char* field, const std::string& value) {
  if (*field && !value.empty()) return ctx.engine.rules().withSetting(field, value);
  return Engine::rulesFromParams(ctx.options.params());
}

Reply kataSetParam(CommandContext& ctx, const Args& args) {
  if (args.size() != 2) {
    return failure(args.size() == 1 ? "kata-set-param " + args[0] + " needs a value"
                                    : "syntax error");
  }
  const std::string& name = args[0];
  if (!runtimeOption(ctx.options, name)) {
    if (ctx.options.isKnown(name))
      return failure("Invalid parameter: " + name +
                     " is only read at startup (set it in the config file or -override-config)");
    return failure("Invalid parameter: " + name);
  }
  const std::string previous = ctx.options.get(name);
  const std::string previousOrigin = ctx.options.origin(name);
  try {
    ctx.options.set(name, args[1], "kata-set-param");
  } catch (const config::ConfigError& e) {
    return failure(std::string("Could not set params: ") + e.what());
  }
  if (const char* field = rulesField(name)) {
    try {
      Rules rules = rulesAfter(ctx, field, ctx.options.get(name));
      ctx.engine.setParams(ctx.options.params());
      return setRules(ctx, rules);
    } catch (const std::invalid_argument& e) {
      ctx.options.set(name, previous, previousOrigin);
      return failure(std::string("Could not set params: ") + e.what());
    }
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
  table.add("kata-list-params", [](CommandContext& ctx, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    std::string out;
    for (const config::OptionSpec& d : ctx.options.registry().specs()) {
      if (d.changeableAtRuntime) out += (out.empty() ? "" : " ") + std::string(d.name);
    }
    return success(out);
  });
  table.add("kata-get-param", [](CommandContext& ctx, const Args& args) {
    if (args.size() != 1) return failure("syntax error");
    if (!runtimeOption(ctx.options, args[0])) return failure("Invalid parameter: " + args[0]);
    return success(ctx.options.get(args[0]));
  });
  table.add("kata-set-param", kataSetParam);
}

}  // namespace hoshi::gtp
