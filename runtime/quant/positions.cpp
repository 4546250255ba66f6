#include "quant/positions.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "game/sgf.h"

namespace hoshi::quant {

namespace fs = std::filesystem;

std::vector<std::string> listGameFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  auto isGame = [](const fs::path& p) {
    std::string ext = p.extension().string();
    return ext == ".sgf" || ext == ".mgt" || ext == ".SGF";
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(path, ec))
        if (e.is_regular_file() && isGame(e.path())) files.push_back(e.path().string());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      throw std::runtime_error("no such file or folder: '" + path + "'");
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

PositionSample samplePositions(const std::vector<std::string>& files, int n, uint64_t seed,
                               const std::function<void(int, int)>& progress) {
  PositionSample out;
  if (files.empty() || n <= 0) return out;
  std::mt19937_64 rng(seed);
  std::vector<size_t> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  const int perFile = std::max(1, int((n + int(files.size()) - 1) / int(files.size())));
  for (int round = 0; int(out.positions.size()) < n && round < 64; ++round) {
    for (size_t idx : order) {
      if (int(out.positions.size()) >= n) break;
      try {
        sgf::Game game = sgf::loadGameFile(files[idx]);
        const int moves = game.numMoves();
        const Rules rules = sgf::rulesFor(game, Rules::trompTaylor());
        for (int k = 0; k < perFile && int(out.positions.size()) < n; ++k) {
          // untilMove m leaves moves 1..m-1 on the board; m = moves + 1 is the end.
          const int m = 1 + int(rng() % uint64_t(moves + 1));
          out.positions.push_back(sgf::replay(game, rules, m));
          out.labels.push_back(files[idx] + ":" + std::to_string(m));
          if (progress) progress(int(out.positions.size()), n);
        }
      } catch (const std::exception&) {
        if (round == 0) ++out.filesSkipped;
      }
    }
  }
  return out;
}

}  // namespace hoshi::quant
