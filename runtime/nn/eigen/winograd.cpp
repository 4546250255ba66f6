#include "nn/eigen/winograd.h"

#include <algorithm>
#include <cstring>

#include "nn/activation.h"

namespace hoshi::nn::winograd {

namespace {

// Channels handled per pass, so the working tiles stay on the stack and in L1.
constexpr int kChunk = 64;

// The 1-D transforms of each tile size, vectorised across a chunk of
// channels: s points at point 0 of the source, sStride between points.
template <int M>
struct Transform;

// F(4x4, 3x3): points 0, 1, -1, 2, -2 and infinity.
template <>
struct Transform<4> {
  static constexpr int kTile = 6;
  static constexpr double kG[6][3] = {{1.0 / 4, 0, 0},
                                      {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                      {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                      {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                      {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                      {0, 0, 1}};

  static void input(const float* s, int sStride, float* d, int dStride, int n) {
    const float *s0 = s, *s1 = s + sStride, *s2 = s + 2 * sStride;
    const float *s3 = s + 3 * sStride, *s4 = s + 4 * sStride, *s5 = s + 5 * sStride;
    for (int c = 0; c < n; ++c) {
      float a = s1[c], b = s2[c], e = s3[c], f = s4[c];
      d[c] = 4.0f * s0[c] - 5.0f * b + f;
      d[dStride + c] = -4.0f * (a + b) + e + f;
      d[2 * dStride + c] = 4.0f * (a - b) - e + f;
      d[3 * dStride + c] = 2.0f * (e - a) - b + f;
      d[4 * dStride + c] = 2.0f * (a - e) - b + f;
      d[5 * dStride + c] = 4.0f * a - 5.0f * e + s5[c];
    }
  }

  static void output(const float* s, int sStride, float* d, int dStride, int n) {
    const float *s0 = s, *s1 = s + sStride, *s2 = s + 2 * sStride;
    const float *s3 = s + 3 * sStride, *s4 = s + 4 * sStride, *s5 = s + 5 * sStride;
    for (int c = 0; c < n; ++c) {
      float p = s1[c] + s2[c], q = s1[c] - s2[c];
      float r = s3[c] + s4[c], t = s3[c] - s4[c];
      d[c] = s0[c] + p + r;
      d[dStride + c] = q + 2.0f * t;
      d[2 * dStride + c] = p + 4.0f * r;
      d[3 * dStride + c] = q + 8.0f * t + s5[c];
    }
  }
};

// F(3x3, 3x3): points 0, 1, -1, 2 and infinity.
template <>
struct Transform<3> {
  static constexpr int kTile = 5;
  static constexpr double kG[5][3] = {{1.0 / 2, 0, 0},
                                      {-1.0 / 2, -1.0 / 2, -1.0 / 2},
                                      {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                      {1.0 / 6, 1.0 / 3, 2.0 / 3},
                                      {0, 0, 1}};

  static void input(const float* s, int sStride, float* d, int dStride, int n) {
    const float *s0 = s, *s1 = s + sStride, *s2 = s + 2 * sStride;
    const float *s3 = s + 3 * sStride, *s4 = s + 4 * sStride;
    for (int c = 0; c < n; ++c) {
      float a = s1[c], b = s2[c], e = s3[c];
      d[c] = 2.0f * (s0[c] - b) - a + e;
      d[dStride + c] = -2.0f * a - b + e;
      d[2 * dStride + c] = 2.0f * a - 3.0f * b + e;
      d[3 * dStride + c] = e - a;
      d[4 * dStride + c] = 2.0f * (a - e) - b + s4[c];
    }
  }

  static void output(const float* s, int sStride, float* d, int dStride, int n) {
    const float *s0 = s, *s1 = s + sStride, *s2 = s + 2 * sStride;
    const float *s3 = s + 3 * sStride, *s4 = s + 4 * sStride;
    for (int c = 0; c < n; ++c) {
      float p = s1[c] + s2[c], q = s1[c] - s2[c];
      d[c] = s0[c] + p + s3[c];
      d[dStride + c] = q + 2.0f * s3[c];
      d[2 * dStride + c] = p + 4.0f * s3[c] + s4[c];
    }
  }
};

void tileOrigin(const Geometry& g, int tile, int& b, int& y0, int& x0) {
  int per = g.tilesPerPosition();
  b = tile / per;
  int rest = tile % per;
  y0 = (rest / g.tilesX()) * g.out;
  x0 = (rest % g.tilesX()) * g.out;
}

template <int M>
std::vector<float> filtersFor(const float* weights, int inChannels, int outChannels) {
  using T = Transform<M>;
  constexpr int kTile = T::kTile;
  std::vector<float> u(size_t(kTile) * kTile * inChannels * outChannels);
  for (int oc = 0; oc < outChannels; ++oc) {
    for (int ic = 0; ic < inChannels; ++ic) {
      const float* g = weights + (size_t(oc) * inChannels + ic) * 9;
      double tmp[kTile][3];
      for (int i = 0; i < kTile; ++i)
        for (int j = 0; j < 3; ++j)
          tmp[i][j] = T::kG[i][0] * g[j] + T::kG[i][1] * g[3 + j] + T::kG[i][2] * g[6 + j];
      for (int i = 0; i < kTile; ++i)
        for (int j = 0; j < kTile; ++j) {
          double v = tmp[i][0] * T::kG[j][0] + tmp[i][1] * T::kG[j][1] + tmp[i][2] * T::kG[j][2];
          u[(size_t(i * kTile + j) * inChannels + ic) * outChannels + oc] = float(v);
        }
    }
  }
  return u;
}

template <int M>
void inputFor(const float* in, int channels, const Geometry& g, float* v, int tileBegin,
              int tileEnd, const NormActDesc* inputNorm) {
  constexpr int kTile = Transform<M>::kTile;
  alignas(64) float d[kTile * kTile * kChunk];
  alignas(64) float t[kTile * kTile * kChunk];
  const size_t tiles = size_t(g.tiles());
  for (int tile = tileBegin; tile < tileEnd; ++tile) {
    int b, y0, x0;
    tileOrigin(g, tile, b, y0, x0);
    const float* base = in + size_t(b) * g.ySize * g.xSize * channels;
    for (int c0 = 0; c0 < channels; c0 += kChunk) {
      int n = std::min(kChunk, channels - c0);
      for (int i = 0; i < kTile; ++i) {
        int y = y0 - 1 + i;
        for (int j = 0; j < kTile; ++j) {
          int x = x0 - 1 + j;
          float* dst = d + (i * kTile + j) * kChunk;
          if (y < 0 || y >= g.ySize || x < 0 || x >= g.xSize)
            std::memset(dst, 0, sizeof(float) * n);
          else if (inputNorm)
            normActRow(base + (size_t(y) * g.xSize + x) * channels + c0, dst,
                       inputNorm->scale.data() + c0, inputNorm->bias.data() + c0, n,
                       inputNorm->activation);
          else
            std::memcpy(dst, base + (size_t(y) * g.xSize + x) * channels + c0, sizeof(float) * n);
        }
      }
      // Columns first (stride of a row), then rows (stride of a point).
      for (int j = 0; j < kTile; ++j)
        Transform<M>::input(d + j * kChunk, kTile * kChunk, t + j * kChunk, kTile * kChunk, n);
      for (int i = 0; i < kTile; ++i) {
        alignas(64) float row[kTile * kChunk];
        Transform<M>::input(t + i * kTile * kChunk, kChunk, row, kChunk, n);
        for (int j = 0; j < kTile; ++j)
          std::memcpy(v + (size_t(i * kTile + j) * tiles + tile) * channels + c0, row + j * kChunk,
                      sizeof(float) * n);
      }
    }
  }
}

template <int M>
void outputFor(const float* m, int channels, const Geometry& g, float* out, bool accumulate,
               int tileBegin, int tileEnd) {
  constexpr int kTile = Transform<M>::kTile;
  constexpr int kPoints = kTile * kTile;
  alignas(64) float s[kPoints * kChunk];
  alignas(64) float t[M * kTile * kChunk];
  alignas(64) float o[M * M * kChunk];
  const size_t tiles = size_t(g.tiles());
  for (int tile = tileBegin; tile < tileEnd; ++tile) {
    int b, y0, x0;
    tileOrigin(g, tile, b, y0, x0);
    float* base = out + size_t(b) * g.ySize * g.xSize * channels;
    for (int c0 = 0; c0 < channels; c0 += kChunk) {
      int n = std::min(kChunk, channels - c0);
      for (int p = 0; p < kPoints; ++p)
        std::memcpy(s + p * kChunk, m + (size_t(p) * tiles + tile) * channels + c0,
                    sizeof(float) * n);
      for (int j = 0; j < kTile; ++j)
        Transform<M>::output(s + j * kChunk, kTile * kChunk, t + j * kChunk, kTile * kChunk, n);
      for (int i = 0; i < M; ++i)
        Transform<M>::output(t + i * kTile * kChunk, kChunk, o + i * M * kChunk, kChunk, n);
      for (int i = 0; i < M && y0 + i < g.ySize; ++i) {
        for (int j = 0; j < M && x0 + j < g.xSize; ++j) {
          float* dst = base + (size_t(y0 + i) * g.xSize + x0 + j) * channels + c0;
          const float* src = o + (i * M + j) * kChunk;
          if (accumulate)
            for (int c = 0; c < n; ++c) dst[c] += src[c];
          else
            std::memcpy(dst, src, sizeof(float) * n);
        }
      }
    }
  }
}

}  // namespace

int bestOutputTile(int ySize, int xSize) {
  Geometry four{1, ySize, xSize, 4}, three{1, ySize, xSize, 3};
  return three.tiles() * three.points() < four.tiles() * four.points() ? 3 : 4;
}

std::vector<float> transformFilters(const float* weights, int inChannels, int outChannels,
                                    int outTile) {
  return outTile == 3 ? filtersFor<3>(weights, inChannels, outChannels)
                      : filtersFor<4>(weights, inChannels, outChannels);
}

std::vector<float> filtersFromF4(const float* u, int inChannels, int outChannels) {
  // L * G = I for F(4x4)'s G: rows 0 and 5 of G are g0 / 4 and g2, row 1 is
  // -(g0 + g1 + g2) / 6.
  static const double kL[3][6] = {{4, 0, 0, 0, 0, 0}, {-4, -6, 0, 0, 0, -1}, {0, 0, 0, 0, 0, 1}};
  std::vector<float> g(size_t(outChannels) * inChannels * 9);
  for (int oc = 0; oc < outChannels; ++oc) {
    for (int ic = 0; ic < inChannels; ++ic) {
      auto at = [&](int i, int j) {
        return double(u[(size_t(i * 6 + j) * inChannels + ic) * outChannels + oc]);
      };
      double tmp[3][6] = {};  // L * U
      for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 6; ++k)
          if (kL[i][k] != 0)
            for (int j = 0; j < 6; ++j) tmp[i][j] += kL[i][k] * at(k, j);
      float* dst = g.data() + (size_t(oc) * inChannels + ic) * 9;
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          double v = 0;
          for (int k = 0; k < 6; ++k) v += tmp[i][k] * kL[j][k];  // (L * U) * L^T
          dst[i * 3 + j] = float(v);
        }
    }
  }
  return g;
}

void transformInput(const float* in, int channels, const Geometry& g, float* v, int tileBegin,
                    int tileEnd, const NormActDesc* inputNorm) {
  if (g.out == 3)
    inputFor<3>(in, channels, g, v, tileBegin, tileEnd, inputNorm);
  else
    inputFor<4>(in, channels, g, v, tileBegin, tileEnd, inputNorm);
}

void transformOutput(const float* m, int channels, const Geometry& g, float* out, bool accumulate,
                     int tileBegin, int tileEnd) {
  if (g.out == 3)
    outputFor<3>(m, channels, g, out, accumulate, tileBegin, tileEnd);
  else
    outputFor<4>(m, channels, g, out, accumulate, tileBegin, tileEnd);
}

}  // namespace hoshi::nn::winograd
