// KataGo's symmetry numbering: bit 0 flips y, bit 1 flips x, bit 2 transposes.

#include <catch2/catch.hpp>

#include <numeric>
#include <set>
#include <vector>

#include "nn/symmetry.h"

using namespace hoshi::nn;

namespace {

// (x, y) of board point (x, y) in the frame of symmetry s.
std::pair<int, int> mapped(int s, int x, int y, int xSize, int ySize) {
  int w = symmetricWidth(s, xSize, ySize);
  int i = symmetricIndex(s, x, y, xSize, ySize);
  return {i % w, i / w};
}

}  // namespace

TEST_CASE("symmetries move corners as KataGo numbers them", "[symmetry]") {
  // 5 wide, 3 high; the point (1, 0) near the top-left corner.
  const int xs = 5, ys = 3;
  CHECK(mapped(0, 1, 0, xs, ys) == std::make_pair(1, 0));
  CHECK(mapped(1, 1, 0, xs, ys) == std::make_pair(1, 2));  // flip y
  CHECK(mapped(2, 1, 0, xs, ys) == std::make_pair(3, 0));  // flip x
  CHECK(mapped(3, 1, 0, xs, ys) == std::make_pair(3, 2));
  CHECK(mapped(4, 1, 0, xs, ys) == std::make_pair(0, 1));  // transpose: frame is 3 wide
  CHECK(mapped(5, 1, 0, xs, ys) == std::make_pair(2, 1));  // flip y, then transpose
  CHECK(mapped(6, 1, 0, xs, ys) == std::make_pair(0, 3));  // flip x, then transpose
  CHECK(mapped(7, 1, 0, xs, ys) == std::make_pair(2, 3));
  CHECK(symmetricWidth(4, xs, ys) == 3);
  CHECK(symmetricHeight(4, xs, ys) == 5);
}

TEST_CASE("every symmetry is a permutation and its inverse undoes it", "[symmetry]") {
  for (auto [xs, ys] : {std::make_pair(9, 9), std::make_pair(19, 19), std::make_pair(7, 4)}) {
    for (int s = 0; s < kNumSymmetries; s++) {
      std::set<int> seen;
      int inv = inverseSymmetry(s);
      int w = symmetricWidth(s, xs, ys), h = symmetricHeight(s, xs, ys);
      for (int y = 0; y < ys; y++) {
        for (int x = 0; x < xs; x++) {
          seen.insert(symmetricIndex(s, x, y, xs, ys));
          auto [mx, my] = mapped(s, x, y, xs, ys);
          CHECK(mapped(inv, mx, my, w, h) == std::make_pair(x, y));
        }
      }
      CHECK(static_cast<int>(seen.size()) == xs * ys);
    }
  }
}

TEST_CASE("planes round-trip through any symmetry", "[symmetry]") {
  const int xs = 6, ys = 4, channels = 3;
  std::vector<float> board(channels * xs * ys);
  std::iota(board.begin(), board.end(), 0.0f);
  for (int s = 0; s < kNumSymmetries; s++) {
    std::vector<float> net(board.size(), -1.0f);
    planesToSymmetry(board.data(), net.data(), channels, xs, ys, s);
    for (int c = 0; c < channels; c++) {
      std::vector<float> back(xs * ys, -1.0f);
      planeFromSymmetry(net.data() + c * xs * ys, back.data(), xs, ys, s);
      CHECK(std::equal(back.begin(), back.end(), board.begin() + c * xs * ys));
    }
  }
}
