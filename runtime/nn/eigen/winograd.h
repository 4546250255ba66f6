#pragma once

// Winograd convolution pieces (Lavin & Gray) for 3x3 filters, in two sizes:
//   F(4x4, 3x3): a 6x6 input tile gives 16 outputs with 36 multiplies;
//   F(3x3, 3x3): a 5x5 input tile gives 9 outputs with 25 multiplies.
// A 3x3 conv is an input transform, one GEMM per tile point and an output
// transform. The larger tile does fewer multiplies per output, but a board
// its tiles do not divide pays for the padding: 9x9 takes 9 tiles either
// way, 225 points of products with F(3x3) against 324 with F(4x4).
//
// Activations are NHWC: [batch][y][x][channels]. Transformed data is
// [points][tiles][channels] with tiles numbered batch-major, then tile row,
// then tile column, so each point's slice is a row-major GEMM operand.

#include <vector>

#include "nn/model.h"

namespace hoshi::nn::winograd {

// Points of products per tile, for an output tile side (36 for F(4x4)).
constexpr int tilePoints(int outTile) {
  return (outTile + 2) * (outTile + 2);
}

struct Geometry {
  int batch = 1;
  int ySize = 19;
  int xSize = 19;
  int out = 4;  // output tile side: 4 or 3
  int tile() const { return out + 2; }
  int points() const { return tilePoints(out); }
  int tilesY() const { return (ySize + out - 1) / out; }
  int tilesX() const { return (xSize + out - 1) / out; }
  int tilesPerPosition() const { return tilesY() * tilesX(); }
  int tiles() const { return batch * tilesPerPosition(); }
};

// The output tile side (4 or 3) that does the fewest multiplies on a board;
// F(4x4) on a tie.
int bestOutputTile(int ySize, int xSize);

// [out][in][3][3] filters -> [points][in][out], ready to multiply, for an
// output tile side of 4 or 3.
std::vector<float> transformFilters(const float* weights, int inChannels, int outChannels,
                                    int outTile = 4);

// The [out][in][3][3] filters back from F(4x4) ones ([36][in][out]), through
// a left inverse of the filter transform, so a backend that kept only those
// can still prepare F(3x3) ones. Exact up to float rounding.
std::vector<float> filtersFromF4(const float* u, int inChannels, int outChannels);

// Transforms tiles [tileBegin, tileEnd) of NHWC `in` (zero padding of one
// point around the board) into v[points][tiles][channels]. With inputNorm,
// the board points are first normalised and activated (padding stays zero),
// which saves the separate pass over the block's input.
void transformInput(const float* in, int channels, const Geometry& g, float* v, int tileBegin,
                    int tileEnd, const NormActDesc* inputNorm = nullptr);

// Transforms m[points][tiles][channels] back to NHWC `out` for tiles
// [tileBegin, tileEnd). With accumulate, adds to what `out` holds.
void transformOutput(const float* m, int channels, const Geometry& g, float* out, bool accumulate,
                     int tileBegin, int tileEnd);

}  // namespace hoshi::nn::winograd
