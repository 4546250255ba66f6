#pragma once

// The eight board symmetries in KataGo's numbering: bit 0 flips y, bit 1
// flips x, bit 2 transposes (applied after the flips). The network sees the
// position in the symmetry's frame; outputs are mapped back.

namespace hoshi::nn {

inline constexpr int kNumSymmetries = 8;

inline constexpr bool symmetryTransposes(int s) {
  return (s & 4) != 0;
}

// Width and height of the network frame for a board of xSize by ySize.
inline constexpr int symmetricWidth(int s, int xSize, int ySize) {
  return symmetryTransposes(s) ? ySize : xSize;
}
inline constexpr int symmetricHeight(int s, int xSize, int ySize) {
  return symmetryTransposes(s) ? xSize : ySize;
}

// Where board point (x, y) lands in the network frame, as an index
// y' * width' + x' of that frame.
inline int symmetricIndex(int s, int x, int y, int xSize, int ySize) {
  if (s & 2) x = xSize - 1 - x;
  if (s & 1) y = ySize - 1 - y;
  if (s & 4) return x * ySize + y;
  return y * xSize + x;
}

// The symmetry that undoes s.
inline constexpr int inverseSymmetry(int s) {
  return s == 5 ? 6 : (s == 6 ? 5 : s);
}

// Copies planes [c][y][x] of the board frame into the network frame.
void planesToSymmetry(const float* src, float* dst, int channels, int xSize, int ySize, int s);
// Copies one plane of the network frame back to the board frame [y][x].
void planeFromSymmetry(const float* src, float* dst, int xSize, int ySize, int s);

}  // namespace hoshi::nn
