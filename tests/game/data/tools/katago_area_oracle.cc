// Reads positions on stdin: "xs ys suicide\n<rows>" and prints KataGo area maps.
#include "game/board.h"
#include "game/boardhistory.h"
#include <iostream>
#include <string>
using namespace std;
int main() {
  Board::initHash();
  int xs, ys, sui;
  while (cin >> xs >> ys >> sui) {
    string rows, line;
    for (int y = 0; y < ys; y++) { cin >> line; rows += line + "\n"; }
    Board b = Board::parseBoard(xs, ys, rows);
    for (int mode = 0; mode < 8; mode++) {
      Color area[Board::MAX_ARR_SIZE];
      b.calculateArea(area, mode & 1, mode & 2, mode & 4, sui);
      for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) cout << (int)area[Location::getLoc(x,y,xs)];
      cout << "\n";
    }
    for (int mode = 0; mode < 4; mode++) {
      Color area[Board::MAX_ARR_SIZE]; int cnt = 0;
      b.calculateIndependentLifeArea(area, cnt, mode & 1, mode & 2, sui);
      for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) cout << (int)area[Location::getLoc(x,y,xs)];
      cout << " " << cnt << "\n";
    }
  }
}
