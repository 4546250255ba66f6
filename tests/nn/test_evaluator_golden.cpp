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

#include "game/game_state.h"
#include "nn/evaluator.h"

namespace {

// Just enough JSON for the golden records.
struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  double number = 0;
  bool boolean = false;
  std::string text;
  std::vector<Json> items;
  std::map<std::string, Json> fields;
  const Json& operator[](const std::string& k) const { return fields.at(k); }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  Json parse() {
    skip();
    Json v;
    char c = s_.at(i_);
    if (c == '{') {
      v.kind = Json::kObject;
      i_++;
      skip();
      if (s_[i_] == '}') return i_++, v;
      while (true) {
        skip();
        std::string key = parse().text;
        skip();
        i_++;  // ':'
        v.fields[key] = parse();
        skip();
        if (s_[i_++] == '}') return v;
      }
    }
    if (c == '[') {
      v.kind = Json::kArray;
      i_++;
      skip();
      if (s_[i_] == ']') return i_++, v;
      while (true) {
        v.items.push_back(parse());
        skip();
        if (s_[i_++] == ']') return v;
      }
    }
    if (c == '"') {
      v.kind = Json::kString;
      for (i_++; s_[i_] != '"'; i_++) {
        if (s_[i_] == '\\') i_++;
        v.text += s_[i_];
      }
      i_++;
      return v;
    }
    if (s_.compare(i_, 4, "true") == 0) return i_ += 4, v.kind = Json::kBool, v.boolean = true, v;
    if (s_.compare(i_, 5, "false") == 0) return i_ += 5, v.kind = Json::kBool, v;
    if (s_.compare(i_, 4, "null") == 0) return i_ += 4, v;
    v.kind = Json::kNumber;
    size_t used = 0;
    v.number = std::stod(s_.substr(i_, 40), &used);
    i_ += used;
    return v;
  }

 private:
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) i_++;
  }
  const std::string& s_;
  size_t i_ = 0;
};

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
  int n = static_cast<int>(rec["board_size"].number);
  Rules rules = Rules::parseWithoutKomi(rec["rules"].text, static_cast<float>(rec["komi"].number));
  Board board(n, n);
  for (const Json& v : rec["handicap_stones"].items)
    board.setStone(parseLoc(v.text, n, n), Color::kBlack);
  bool handicap = !rec["handicap_stones"].items.empty();
  GameState state(board, handicap ? Color::kWhite : Color::kBlack, rules);
  state.setAssumeMultipleStartingBlackMovesAreHandicap(true);
  for (const Json& m : rec["moves"].items) {
    Color c;
    REQUIRE(tryParseColor(m.items[0].text, c));
    Loc loc = parseLoc(m.items[1].text, n, n);
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
  const std::string id = rec["id"].text;
  auto check = [&](const std::string& name, double got, double tol) {
    double want = rec[name].number;
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
    const auto& want = rec[name].items;
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); i++) {
      double e = std::fabs(got[i] - want[i].number);
      worst[name].note(e, id + "[" + std::to_string(i) + "]");
      if (!(e <= tol)) {
        errs.push_back(name + "[" + std::to_string(i) + "] " + std::to_string(got[i]) + " vs " +
                       std::to_string(want[i].number));
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
    Json rec = JsonParser(line).parse();
    hoshi::GameState state = setupRecord(rec);
    REQUIRE(hoshi::colorChar(state.toMove()) == rec["to_move"].text[0]);
    auto out = evaluator->evaluate(state, static_cast<int>(rec["symmetry"].number));
    auto errs = compareRecord(rec, out, worst);
    checked++;
    if (!errs.empty()) {
      failed++;
      if (failed <= 20)
        std::cerr << rec["id"].text << " sym " << rec["symmetry"].number << ": " << errs[0]
                  << (errs.size() > 1 ? "; " + errs[1] : "") << "\n";
    }
  }
  for (const auto& [name, w] : worst)
    std::cerr << "  worst " << name << " " << w.err << " at " << w.where << "\n";
  std::cerr << "golden: " << (checked - failed) << "/" << checked << " within tolerance\n";
  CHECK(checked > 0);
  CHECK(failed == 0);
}
