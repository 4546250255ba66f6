#include "quant/selfplay.h"

#include <iterator>
#include <random>
#include <string>

#include "game/board.h"
#include "game/rules.h"

namespace hoshi::quant {

using namespace nn;

namespace {

constexpr int kSizes[] = {7, 9, 11, 13, 15, 17, 19};
constexpr const char* kRules[] = {"chinese", "japanese", "tromp-taylor", "aga", "korean"};

// A move drawn from the policy (illegal points are -1), pass included.
Loc sampleMove(const NetOutput& out, const Board& board, std::mt19937_64& rng) {
  double total = out.policyPass;
  for (float p : out.policy) total += p > 0 ? p : 0;
  double r = std::uniform_real_distribution<double>(0, total)(rng);
  for (size_t i = 0; i < out.policy.size(); ++i) {
    if (out.policy[i] <= 0) continue;
    r -= out.policy[i];
    if (r < 0) return board.loc(int(i) % out.xSize, int(i) / out.xSize);
  }
  return kPassLoc;
}

}  // namespace

std::vector<GameState> selfPlayPositions(Evaluator& net, int n, uint64_t seed,
                                         const std::function<void(int, int)>& progress) {
  std::mt19937_64 rng(seed);
  std::vector<GameState> out;
  for (int game = 0; int(out.size()) < n; ++game) {
    const int size = kSizes[game % std::size(kSizes)];
    const std::string rules = kRules[(game / std::size(kSizes)) % std::size(kRules)];
    const float komi = rules == "japanese" || rules == "korean" ? 6.5f : 7.5f;
    GameState state(Board(size, size), Color::kBlack, Rules::parseWithoutKomi(rules, komi));
    for (int move = 0; move < size * size * 2 && !state.isGameFinished(); ++move) {
      if (rng() % 5 == 0) {
        out.push_back(state);
        if (progress) progress(int(out.size()), n);
        if (int(out.size()) >= n) break;
      }
      const Color c = state.toMove();
      const Loc loc = sampleMove(net.evaluate(state, int(rng() % 8)), state.board(), rng);
      if (!state.play(loc, c)) state.play(kPassLoc, c);
    }
  }
  return out;
}

}  // namespace hoshi::quant
