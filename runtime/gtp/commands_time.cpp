#include <algorithm>
#include <cctype>
#include <string>

#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

bool nonNegative(const std::string& s, double& out) {
  return parseFloat(s, out) && out >= 0;
}
bool nonNegative(const std::string& s, int& out) {
  return parseInt(s, out) && out >= 0;
}

// GTP v2: main time, then Canadian byo-yomi of `stones` per period; a period
// with zero stones means no limit at all.
Reply timeSettings(CommandContext& ctx, const Args& args) {
  TimeControls tc;
  if (args.size() != 3 || !nonNegative(args[0], tc.mainTime) ||
      !nonNegative(args[1], tc.periodTime) || !nonNegative(args[2], tc.periodStones))
    return failure("syntax error");
  if (tc.periodTime > 0 && tc.periodStones == 0) {
    tc = TimeControls{};
  } else {
    tc.kind = tc.periodTime > 0 ? TimeControls::Kind::kCanadian : TimeControls::Kind::kAbsolute;
  }
  ctx.engine.setTimeControls(tc);
  return success();
}

Reply kgsTimeSettings(CommandContext& ctx, const Args& args) {
  if (args.empty()) return failure("syntax error");
  std::string kind = args[0];
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  TimeControls tc;
  bool ok = false;
  if (kind == "none") {
    ok = args.size() == 1;
  } else if (kind == "absolute") {
    tc.kind = TimeControls::Kind::kAbsolute;
    ok = args.size() == 2 && nonNegative(args[1], tc.mainTime);
  } else if (kind == "byoyomi") {
    tc.kind = TimeControls::Kind::kByoYomi;
    ok = args.size() == 4 && nonNegative(args[1], tc.mainTime) &&
         nonNegative(args[2], tc.periodTime) && nonNegative(args[3], tc.periods);
  } else if (kind == "canadian") {
    tc.kind = TimeControls::Kind::kCanadian;
    ok = args.size() == 4 && nonNegative(args[1], tc.mainTime) &&
         nonNegative(args[2], tc.periodTime) && nonNegative(args[3], tc.periodStones) &&
         tc.periodStones > 0;
  }
  if (!ok) return failure("syntax error");
  ctx.engine.setTimeControls(tc);
  return success();
}

Reply timeLeft(CommandContext& ctx, const Args& args) {
  if (args.size() != 3) return failure("syntax error");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  double seconds;
  int stones;
  if (!parseFloat(args[1], seconds) || !nonNegative(args[2], stones))
    return failure("syntax error");
  ctx.engine.setTimeLeft(c, seconds, stones);
  return success();
}

}  // namespace

void registerTimeCommands(CommandTable& table) {
  table.add("time_settings", timeSettings);
  table.add("kgs-time_settings", kgsTimeSettings);
  table.add("time_left", timeLeft);
}

}  // namespace hoshi::gtp
