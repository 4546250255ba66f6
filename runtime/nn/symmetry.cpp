#include "nn/symmetry.h"

namespace hoshi::nn {

void planesToSymmetry(const float* src, float* dst, int channels, int xSize, int ySize, int s) {
  const int area = xSize * ySize;
  for (int c = 0; c < channels; c++) {
    const float* in = src + c * area;
    float* out = dst + c * area;
    for (int y = 0; y < ySize; y++)
      for (int x = 0; x < xSize; x++)
        out[symmetricIndex(s, x, y, xSize, ySize)] = in[y * xSize + x];
  }
}

void planeFromSymmetry(const float* src, float* dst, int xSize, int ySize, int s) {
  for (int y = 0; y < ySize; y++)
    for (int x = 0; x < xSize; x++) dst[y * xSize + x] = src[symmetricIndex(s, x, y, xSize, ySize)];
}

}  // namespace hoshi::nn
