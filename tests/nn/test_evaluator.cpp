// The evaluator pipeline on weightless fake backends: exact expectations for
// the uniform net, symmetry equivariance and batching for the random one.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "game/game_state.h"
#include "nn/backend.h"
#include "nn/evaluator.h"

using namespace hoshi;
using hoshi::nn::Evaluator;
using hoshi::nn::NetOutput;

namespace {

std::unique_ptr<Evaluator> fakeEvaluator(const char* mode, int maxBatch = 8) {
  nn::BackendOptions bo;
  bo.fakeMode = mode;
  bo.maxBatch = maxBatch;
  nn::EvaluatorOptions eo;
  eo.backend = "fake";
  eo.maxBatch = maxBatch;
  return std::make_unique<Evaluator>(nn::createBackend("fake", nullptr, bo), nullptr, eo);
}

// A short game on 9x9 (x from the left, y from the top), optionally mirrored
// left to right.
GameState playedGame(const Rules& rules, bool mirror) {
  GameState st(Board(9, 9), Color::kBlack, rules);
  const int moves[][2] = {{2, 2}, {6, 6}, {6, 2}, {2, 5}, {3, 5}, {3, 6}, {4, 6}};
  Color c = Color::kBlack;
  for (const auto& m : moves) {
    int x = mirror ? 8 - m[0] : m[0];
    REQUIRE(st.play(st.board().loc(x, m[1]), c));
    c = opponent(c);
  }
  return st;
}

}  // namespace

TEST_CASE("uniform net: policy uniform over legal moves, even values", "[evaluator]") {
  auto ev = fakeEvaluator("uniform");
  // Black captures a ko: white may not retake at (1,1).
  Board b = Board::parse(5, 5,
                         ". X O . ."
                         "X O . O ."
                         ". X O . ."
                         ". . . . ."
                         ". . . . .");
  GameState st(b, Color::kBlack, Rules::parseWithoutKomi("chinese", 7.5f));
  REQUIRE(st.play(b.loc(2, 1), Color::kBlack));
  NetOutput out = ev->evaluate(st, 0);
  // 25 points - 7 stones - the ko point - the suicide point (0,0) + pass.
  const int empty = 25 - 7 - 2 + 1;
  for (int y = 0; y < 5; y++) {
    for (int x = 0; x < 5; x++) {
      Loc l = b.loc(x, y);
      bool legal = st.board().at(l) == Color::kEmpty && !(x == 1 && y == 1) && !(x == 0 && y == 0);
      INFO("x " << x << " y " << y);
      CHECK(out.policy[y * 5 + x] == (legal ? Approx(1.0 / empty) : Approx(-1.0)));
    }
  }
  CHECK(out.policyPass == Approx(1.0 / empty));
  // Simple ko: no result is possible, so the three outcomes share evenly.
  CHECK(out.whiteWin == Approx(1.0 / 3));
  CHECK(out.noResult == Approx(1.0 / 3));
  CHECK(out.whiteLead == Approx(0.0));
  const double stdev = 20 * std::log(2.0);
  CHECK(out.whiteScoreSelfplaySq == Approx(stdev * stdev * 2 / 3));
  for (float o : out.whiteOwnership) CHECK(o == 0.0f);

  // Positional superko with area scoring: no-result is ruled out.
  GameState tt(b, Color::kBlack, Rules::parseWithoutKomi("tromp-taylor", 7.5f));
  NetOutput t = ev->evaluate(tt, 3);
  CHECK(t.noResult == 0.0f);
  CHECK(t.whiteWin == Approx(0.5));
}

TEST_CASE("mirrored positions give mirrored outputs under matching symmetries", "[evaluator]") {
  // The net input of (P, s) equals that of (mirror(P), s ^ 2), so the random
  // fake net must answer identically, point for mirrored point (up to float
  // rounding: the softmax sums in board order).
  auto ev = fakeEvaluator("random");
  Rules rules = Rules::parseWithoutKomi("japanese", 6.5f);
  GameState p = playedGame(rules, false);
  GameState q = playedGame(rules, true);
  for (int s = 0; s < 8; s++) {
    NetOutput a = ev->evaluate(p, s);
    NetOutput b = ev->evaluate(q, s ^ 2);
    INFO("symmetry " << s);
    CHECK(a.whiteWin == b.whiteWin);
    CHECK(a.whiteLead == b.whiteLead);
    CHECK(a.policyPass == Approx(b.policyPass).epsilon(1e-5));
    double worst = 0;
    for (int y = 0; y < 9; y++)
      for (int x = 0; x < 9; x++) {
        worst = std::max(worst, std::fabs(double(a.policy[y * 9 + x]) - b.policy[y * 9 + 8 - x]));
        worst = std::max(worst, std::fabs(double(a.whiteOwnership[y * 9 + x]) -
                                          b.whiteOwnership[y * 9 + 8 - x]));
      }
    CHECK(worst < 1e-6);
  }
}

TEST_CASE("batched evaluation equals one-by-one, including rectangular boards", "[evaluator]") {
  auto ev = fakeEvaluator("random", 3);  // forces several computations
  for (auto [xs, ys] : {std::make_pair(9, 9), std::make_pair(7, 5)}) {
    GameState st(Board(xs, ys), Color::kBlack, Rules::parseWithoutKomi("aga", 7.5f));
    REQUIRE(st.play(st.board().loc(1, 2), Color::kBlack));
    std::vector<nn::EncodedPosition> batch;
    for (int s = 0; s < 8; s++) batch.push_back(ev->encode(st, s));
    std::vector<NetOutput> outs = ev->computeBatch(batch);
    REQUIRE(outs.size() == 8);
    for (int s = 0; s < 8; s++) {
      NetOutput one = ev->evaluate(st, s);
      CHECK(one.policy == outs[s].policy);
      CHECK(one.whiteOwnership == outs[s].whiteOwnership);
      CHECK(one.whiteWin == outs[s].whiteWin);
      CHECK(one.xSize == xs);
      CHECK(one.ySize == ys);
      double sum = one.policyPass;
      for (float p : one.policy) sum += p > 0 ? p : 0;
      CHECK(sum == Approx(1.0));
      CHECK(one.policy[2 * xs + 1] == -1.0f);  // the stone
    }
  }
}

TEST_CASE("bad model path and bad symmetry are reported clearly", "[evaluator]") {
  try {
    Evaluator::load("/nonexistent/net.bin.gz", nn::EvaluatorOptions());
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("/nonexistent/net.bin.gz") != std::string::npos);
  }
  auto ev = fakeEvaluator("uniform");
  CHECK_THROWS_AS(ev->evaluate(GameState(), 8), std::invalid_argument);
}
