#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "game/game_state.h"
#include "gtp/command_table.h"
#include "nn/evaluator.h"
#include "search/engine.h"

namespace hoshi::gtp {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

// kata-raw-nn [COLOR] SYMMETRY|all [OPTIMISM], KataGo's argument order.
struct RawNnArgs {
  bool hasColor = false;
  Color color = Color::kEmpty;
  int symmetry = -1;  // -1: all
  // KataGo's GTP answers with its rootPolicyOptimism, which defaults to
  // min(policyOptimism = 1, 0.2); nets with an optimistic policy channel
  // (version 12+) depend on it, and the golden v17 outputs were made so.
  double optimism = 0.2;
};

bool parseRawNnArgs(const Args& args, RawNnArgs& out, std::string& error) {
  size_t i = 0;
  Color c;
  if (i < args.size() && tryParseColor(args[i], c)) {
    out.hasColor = true;
    out.color = c;
    i++;
  }
  if (i >= args.size()) {
    error = "Expected a symmetry argument 'all' or index [0-7]";
    return false;
  }
  std::string s = lower(args[i]);
  if (s == "all") {
    out.symmetry = -1;
  } else if (s.size() == 1 && s[0] >= '0' && s[0] <= '7') {
    out.symmetry = s[0] - '0';
  } else {
    error = "Expected a symmetry argument 'all' or index [0-7] but got '" + args[i] + "'";
    return false;
  }
  i++;
  if (i < args.size()) {
    char* end = nullptr;
    double v = std::strtod(args[i].c_str(), &end);
    if (end == args[i].c_str() || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
      error = "Expected an optimism value in [0,1] but got '" + args[i] + "'";
      return false;
    }
    out.optimism = v;
    i++;
  }
  if (i < args.size()) {
    error = "Unexpected extra argument '" + args[i] + "'";
    return false;
  }
  return true;
}

// One symmetry's block, laid out exactly like KataGo's answer.
void formatRawNn(std::ostringstream& out, int symmetry, const nn::NetOutput& o) {
  out << "symmetry " << symmetry << "\n";
  out << "whiteWin " << fmt("%.6f", o.whiteWin) << "\n";
  out << "whiteLoss " << fmt("%.6f", o.whiteLoss) << "\n";
  out << "noResult " << fmt("%.6f", o.noResult) << "\n";
  out << "whiteLead " << fmt("%.3f", o.whiteLead) << "\n";
  out << "whiteScoreSelfplay " << fmt("%.3f", o.whiteScoreSelfplay) << "\n";
  out << "whiteScoreSelfplaySq " << fmt("%.3f", o.whiteScoreSelfplaySq) << "\n";
  out << "varTimeLeft " << fmt("%.3f", o.varTimeLeft) << "\n";
  out << "shorttermWinlossError " << fmt("%.3f", o.shorttermWinlossError) << "\n";
  out << "shorttermScoreError " << fmt("%.3f", o.shorttermScoreError) << "\n";
  auto prob = [](float p) { return p < 0 ? std::string("    NAN ") : fmt("%8.6f ", p); };
  out << "policy\n";
  for (int y = 0; y < o.ySize; y++) {
    for (int x = 0; x < o.xSize; x++) out << prob(o.policy[y * o.xSize + x]);
    out << "\n";
  }
  out << "policyPass " << prob(o.policyPass) << "\n";
  out << "whiteOwnership\n";
  for (int y = 0; y < o.ySize; y++) {
    for (int x = 0; x < o.xSize; x++) out << fmt("%9.7f ", o.whiteOwnership[y * o.xSize + x]);
    out << "\n";
  }
  out << "\n";
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

Reply rawNn(CommandContext& ctx, const Args& args) {
  const std::shared_ptr<nn::Evaluator>& evaluator = ctx.engine.evaluator();
  if (!evaluator) return failure("kata-raw-nn needs a neural net: start hoshi with -model FILE");
  RawNnArgs a;
  std::string error;
  if (!parseRawNnArgs(args, a, error))
    return failure(error +
                   " for kata-raw-nn (expected an optional color, a symmetry 'all' or index [0-7], "
                   "and an optional optimism [0-1])");
  GameState state = ctx.engine.state();
  if (a.hasColor && a.color != state.toMove()) {
    // Like KataGo: evaluate for the other side by restarting the history
    // from the current position with that side to move.
    Board b = state.board();
    b.clearKoLoc();
    state.reset(b, a.color, state.rules(), state.encorePhase());
  }
  std::vector<nn::EncodedPosition> batch;
  for (int s = 0; s < 8; s++) {
    if (a.symmetry >= 0 && a.symmetry != s) continue;
    batch.push_back(evaluator->encode(state, s));
    batch.back().policyOptimism = a.optimism;
  }
  std::vector<nn::NetOutput> outs;
  try {
    outs = evaluator->computeBatch(batch);
  } catch (const std::exception& e) {
    return failure(std::string("kata-raw-nn failed: ") + e.what());
  }
  std::ostringstream out;
  for (size_t i = 0; i < outs.size(); i++) formatRawNn(out, batch[i].symmetry, outs[i]);
  return success(trim(out.str()));
}

}  // namespace

void registerNnCommands(CommandTable& table) {
  table.add("kata-raw-nn", rawNn);
}

}  // namespace hoshi::gtp
