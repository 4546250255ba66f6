#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "gtp/command_table.h"
#include "gtp/parse.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

// Reads args[i] as a finite number >= 0 into out; else says what is wrong.
bool seconds(const Args& args, size_t i, const char* what, double& out, std::string& why) {
  if (!parseFloat(args[i], out) || !std::isfinite(out)) {
    why = std::string(what) + " must be a number of seconds, got '" + args[i] + "'";
    return false;
  }
  if (out < 0) {
    why = std::string(what) + " must not be negative, got " + args[i];
    return false;
  }
  return true;
}

bool count(const Args& args, size_t i, const char* what, int& out, std::string& why) {
  if (!parseInt(args[i], out) || out < 0) {
    why = std::string(what) + " must be a whole number >= 0, got '" + args[i] + "'";
    return false;
  }
  return true;
}

// GTP v2: main time, then Canadian byo-yomi of `stones` per period; a period
// with zero stones means no limit at all.
Reply timeSettings(CommandContext& ctx, const Args& args) {
  if (args.size() != 3)
    return failure("syntax error: expected time_settings MAIN_TIME BYO_YOMI_TIME BYO_YOMI_STONES");
  TimeControls tc;
  std::string why;
  if (!seconds(args, 0, "main time", tc.mainTime, why) ||
      !seconds(args, 1, "byo-yomi time", tc.periodTime, why) ||
      !count(args, 2, "byo-yomi stones", tc.periodStones, why))
    return failure(why);
  if (tc.periodTime > 0 && tc.periodStones == 0) {
    tc = TimeControls{};
  } else {
    tc.kind = tc.periodTime > 0 ? TimeControls::Kind::kCanadian : TimeControls::Kind::kAbsolute;
  }
  ctx.engine.setTimeControls(tc);
  return success();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The forms kgs-time_settings knows, and with `extended` (kata-time_settings)
// Fischer increments too. Returns "" and fills tc, or what is wrong.
std::string parseTimeSettings(const Args& args, bool extended, TimeControls& tc) {
  using Kind = TimeControls::Kind;
  if (args.empty())
    return "expected a kind: " + std::string(extended ? "none, absolute, byoyomi, "
                                                        "canadian, fischer, "
                                                        "fischer-capped"
                                                      : "none, absolute, "
                                                        "byoyomi, canadian");
  const std::string kind = lower(args[0]);
  auto expect = [&](size_t n, const char* form) -> std::string {
    return args.size() == n ? "" : kind + " takes " + form;
  };
  std::string why;
  if (kind == "none") {
    tc = TimeControls{};
    return expect(1, "no values");
  }
  if (kind == "absolute") {
    tc.kind = Kind::kAbsolute;
    if (!(why = expect(2, "MAIN_TIME")).empty()) return why;
    return seconds(args, 1, "main time", tc.mainTime, why) ? "" : why;
  }
  if (kind == "byoyomi" || kind == "byo-yomi") {
    tc.kind = Kind::kByoYomi;
    if (!(why = expect(4, "MAIN_TIME PERIOD_TIME PERIODS")).empty()) return why;
    if (!seconds(args, 1, "main time", tc.mainTime, why) ||
        !seconds(args, 2, "period time", tc.periodTime, why) ||
        !count(args, 3, "periods", tc.periods, why))
      return why;
    return "";
  }
  if (kind == "canadian") {
    tc.kind = Kind::kCanadian;
    if (!(why = expect(4, "MAIN_TIME PERIOD_TIME STONES")).empty()) return why;
    if (!seconds(args, 1, "main time", tc.mainTime, why) ||
        !seconds(args, 2, "period time", tc.periodTime, why) ||
        !count(args, 3, "stones per period", tc.periodStones, why))
      return why;
    return tc.periodStones > 0 ? "" : "canadian needs at least 1 stone per period";
  }
  if (extended && (kind == "fischer" || kind == "fischer-capped")) {
    tc.kind = Kind::kFischer;
    const bool capped = kind == "fischer-capped";
    why = capped ? expect(5, "MAIN_TIME INCREMENT MAIN_TIME_LIMIT MAX_TIME_PER_MOVE")
                 : expect(3, "MAIN_TIME INCREMENT");
    if (!why.empty()) return why;
    if (!seconds(args, 1, "main time", tc.mainTime, why) ||
        !seconds(args, 2, "increment", tc.increment, why))
      return why;
    if (!capped) return "";
    if (!seconds(args, 3, "main time limit", tc.mainTimeLimit, why) ||
        !seconds(args, 4, "max time per move", tc.maxTimePerMove, why))
      return why;
    return tc.mainTimeLimit >= tc.mainTime ? "" : "main time limit must be >= main time";
  }
  return "unknown kind '" + args[0] + "'";
}

Reply timeSettingsCommand(CommandContext& ctx, const Args& args, bool extended) {
  TimeControls tc;
  std::string why = parseTimeSettings(args, extended, tc);
  if (!why.empty()) return failure(why);
  ctx.engine.setTimeControls(tc);
  return success();
}

Reply timeLeft(CommandContext& ctx, const Args& args) {
  if (args.size() != 3) return failure("syntax error: expected time_left COLOR TIME STONES");
  Color c;
  if (!parseColor(args[0], c)) return failure("invalid color");
  double left;
  int stones;
  std::string why;
  if (!parseFloat(args[1], left) || !std::isfinite(left))
    return failure("time must be a number of seconds, got '" + args[1] + "'");
  if (!count(args, 2, "stones", stones, why)) return failure(why);
  ctx.engine.setTimeLeft(c, left, stones);
  return success();
}

}  // namespace

void registerTimeCommands(CommandTable& table) {
  table.add("time_settings", timeSettings);
  table.add("kgs-time_settings", [](CommandContext& ctx, const Args& args) {
    return timeSettingsCommand(ctx, args, false);
  });
  table.add("kata-time_settings", [](CommandContext& ctx, const Args& args) {
    return timeSettingsCommand(ctx, args, true);
  });
  table.add("kata-list_time_settings", [](CommandContext&, const Args& args) {
    if (!args.empty()) return failure("syntax error");
    return success("none absolute byo-yomi canadian fischer fischer-capped");
  });
  table.add("time_left", timeLeft);
}

}  // namespace hoshi::gtp
