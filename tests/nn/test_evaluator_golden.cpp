// Evaluates positions of the golden file with the real b6c96 net and checks
// every kata-raw-nn field against KataGo's answer within the checker's
// tolerances. Runs every 10th record by default; HOSHI_GOLDEN_ALL=1 runs all.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "game/game_state.h"
#include "nn/evaluator.h"

namespace {

using Json = nlohmann::json;

std::string sharedDir() {
  const char* env = std::getenv("HOSHI_SHARED_DIR");
  return env ? env : HOSHI_SHARED_DIR_DEFAULT;
}

std::string modelPath() {
  const char* env = std::getenv("HOSHI_TEST_MODEL");
  return env ? env : sharedDir() + "/models/g170-b6c96-s175395328-d26788732.bin.gz";
}

bool fileExists(const std::string& p) {
  return std::ifstream(p).good();
}

// The position of a record, set up the way the GTP commands of the checker
// do it (boardsize, kata-set-rules, komi, set_free_handicap, play...).
hoshi::GameState setupRecord(const Json& rec) {
  using namespace hoshi;
  int n = static_cast<int>(rec["board_size"].get<double>());
  Rules rules = Rules::parseWithoutKomi(rec["rules"].get<std::string>(),
                                        static_cast<float>(rec["komi"].get<double>()));
  Board board(n, n);
  for (const Json& v : rec["handicap_stones"])
    board.setStone(parseLoc(v.get<std::string>(), n, n), Color::kBlack);
  bool handicap = !rec["handicap_stones"].empty();
  GameState state(board, handicap ? Color::kWhite : Color::kBlack, rules);
  state.setAssumeMultipleStartingBlackMovesAreHandicap(true);
  for (const Json& m : rec["moves"]) {
    Color c;
    REQUIRE(tryParseColor(m[0].get<std::string>(), c));
    Loc loc = parseLoc(m[1].get<std::string>(), n, n);
    REQUIRE(state.playTolerant(loc, c, /*preventEncore=*/true));
  }
  return state;
}

struct Worst {
  double err = 0;
  std::string where;
  void note(double e, const std::string& w) {
    if (e > err) err = e, where = w;
  }
};

// Returns the failures of one record (empty when within tolerance).
std::vector<std::string> compareRecord(const Json& rec, const hoshi::nn::NetOutput& out,
                                       std::map<std::string, Worst>& worst) {
  std::vector<std::string> errs;
  const std::string id = rec["id"].get<std::string>();
  auto check = [&](const std::string& name, double got, double tol) {
    double want = rec[name].get<double>();
    double e = std::fabs(got - want);
    worst[name].note(e, id);
    if (!(e <= tol))
      errs.push_back(name + " " + std::to_string(got) + " vs " + std::to_string(want));
  };
  check("whiteWin", out.whiteWin, 2e-4);
  check("whiteLoss", out.whiteLoss, 2e-4);
  check("noResult", out.noResult, 2e-4);
  check("whiteLead", out.whiteLead, 0.02);
  check("whiteScoreSelfplay", out.whiteScoreSelfplay, 0.02);
  check("whiteScoreSelfplaySq", out.whiteScoreSelfplaySq, 0.5);
  check("varTimeLeft", out.varTimeLeft, 0.05);
  check("shorttermWinlossError", out.shorttermWinlossError, 0.01);
  check("shorttermScoreError", out.shorttermScoreError, 0.05);
  check("policyPass", out.policyPass, 2e-4);
  auto checkMap = [&](const std::string& name, const std::vector<float>& got, double tol) {
    const auto& want = rec[name];
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); i++) {
      double e = std::fabs(got[i] - want[i].get<double>());
      worst[name].note(e, id + "[" + std::to_string(i) + "]");
      if (!(e <= tol)) {
        errs.push_back(name + "[" + std::to_string(i) + "] " + std::to_string(got[i]) + " vs " +
                       std::to_string(want[i].get<double>()));
        break;
      }
    }
  };
  checkMap("policy", out.policy, 2e-4);
  checkMap("whiteOwnership", out.whiteOwnership, 5e-4);
  return errs;
}

}  // namespace

TEST_CASE("evaluator matches KataGo's raw outputs on golden positions", "[evaluator][golden]") {
  const std::string golden = sharedDir() + "/golden/b6c96-raw-nn.jsonl";
  if (!fileExists(golden) || !fileExists(modelPath())) {
    WARN("skipped: golden file or model missing (" << golden << ", " << modelPath() << ")");
    return;
  }
  auto evaluator = hoshi::nn::Evaluator::load(modelPath(), hoshi::nn::EvaluatorOptions());
  const bool all = std::getenv("HOSHI_GOLDEN_ALL") != nullptr;
  std::ifstream in(golden);
  std::string line;
  int index = 0, checked = 0, failed = 0;
  std::map<std::string, Worst> worst;
  while (std::getline(in, line)) {
    if (!all && index++ % 10 != 0) continue;
    Json rec = Json::parse(line);
    hoshi::GameState state = setupRecord(rec);
    REQUIRE(hoshi::colorChar(state.toMove()) == rec["to_move"].get<std::string>()[0]);
    auto out = evaluator->evaluate(state, static_cast<int>(rec["symmetry"].get<int>()));
    auto errs = compareRecord(rec, out, worst);
    checked++;
    if (!errs.empty()) {
      failed++;
      if (failed <= 20)
        std::cerr << rec["id"].get<std::string>() << " sym " << rec["symmetry"].get<int>() << ": "
                  << errs[0] << (errs.size() > 1 ? "; " + errs[1] : "") << "\n";
    }
  }
  for (const auto& [name, w] : worst)
    std::cerr << "  worst " << name << " " << w.err << " at " << w.where << "\n";
  std::cerr << "golden: " << (checked - failed) << "/" << checked << " within tolerance\n";
  CHECK(checked > 0);
  CHECK(failed == 0);
}
