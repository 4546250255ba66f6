// Generates random positions, prints them for the oracle (gen mode) or prints our area maps.
#include "game/area.h"
#include <iostream>
#include <random>
#include <string>
using namespace hoshi;
int main(int argc, char** argv) {
  std::string mode = argv[1];
  if (mode == "gen") {
    int count = std::stoi(argv[2]);
    std::mt19937 rng(std::stoi(argv[3]));
    for (int g = 0; g < count; g++) {
      int xs = 2 + rng() % 18, ys = (rng() % 3 == 0) ? 2 + rng() % 18 : xs;
      Board b(xs, ys);
      bool sui = rng() % 2;
      int limit = (rng() % 4 == 0) ? (int)(rng() % (xs * ys)) : 100000;
      Color c = Color::kBlack;
      int passes = 0;
      for (int m = 0; m < limit && passes < 2 && m < 4 * xs * ys; m++) {
        std::vector<Loc> legal;
        for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) {
          Loc l = b.loc(x, y);
          if (b.isLegalIgnoringSuperko(l, c, sui) && !b.isSimpleEye(l, c)) legal.push_back(l);
        }
        if (legal.empty()) { passes++; b.play(kPassLoc, c); }
        else { passes = 0; b.play(legal[rng() % legal.size()], c); }
        c = opponent(c);
      }
      std::cout << xs << " " << ys << " " << sui << "\n";
      std::string s = b.toString();
      std::cout << s;
    }
    return 0;
  }
  int xs, ys, sui;
  while (std::cin >> xs >> ys >> sui) {
    std::string rows, line;
    for (int y = 0; y < ys; y++) { std::cin >> line; rows += line + "\n"; }
    Board b = Board::parse(xs, ys, rows);
    for (int m = 0; m < 8; m++) {
      AreaMap a = calculateArea(b, m & 1, m & 2, m & 4, sui);
      for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) std::cout << (int)a[b.loc(x, y)];
      std::cout << "\n";
    }
    for (int m = 0; m < 4; m++) {
      int cnt = 0;
      AreaMap a = calculateIndependentLifeArea(b, cnt, m & 1, m & 2, sui);
      for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) std::cout << (int)a[b.loc(x, y)];
      std::cout << " " << cnt << "\n";
    }
  }
}
