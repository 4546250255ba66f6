#pragma once

// Winograd F(4x4, 3x3) convolution pieces (Lavin & Gray): a 6x6 input tile
// and a 3x3 filter become 36 independent channel products, so a 3x3 conv is
// an input transform, 36 GEMMs and an output transform, using 36 multiplies
// per 16 outputs instead of 144.
//
// Activations are NHWC: [batch][y][x][channels]. Transformed data is
// [36][tiles][channels] with tiles numbered batch-major, then tile row, then
// tile column, so each of the 36 slices is a row-major GEMM operand.

#include <vector>

#include "nn/model.h"

namespace hoshi::nn::winograd {

constexpr int kTile = 6;     // input tile side
constexpr int kOut = 4;      // output tile side
constexpr int kPoints = 36;  // kTile * kTile

struct Geometry {
  int batch = 1;
  int ySize = 19;
  int xSize = 19;
  int tilesY() const { return (ySize + kOut - 1) / kOut; }
  int tilesX() const { return (xSize + kOut - 1) / kOut; }
  int tilesPerPosition() const { return tilesY() * tilesX(); }
  int tiles() const { return batch * tilesPerPosition(); }
};

// [out][in][3][3] filters -> [36][in][out], ready to multiply.
std::vector<float> transformFilters(const float* weights, int inChannels, int outChannels);

// Transforms tiles [tileBegin, tileEnd) of NHWC `in` (zero padding of one
// point around the board) into v[36][tiles][channels]. With inputNorm, the
// board points are first normalised and activated (padding stays zero), which
// saves the separate pass over the block's input.
void transformInput(const float* in, int channels, const Geometry& g, float* v, int tileBegin,
                    int tileEnd, const NormActDesc* inputNorm = nullptr);

// Transforms m[36][tiles][channels] back to NHWC `out` for tiles
// [tileBegin, tileEnd). With accumulate, adds to what `out` holds.
void transformOutput(const float* m, int channels, const Geometry& g, float* out, bool accumulate,
                     int tileBegin, int tileEnd);

}  // namespace hoshi::nn::winograd
