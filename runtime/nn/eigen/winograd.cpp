#include "nn/eigen/winograd.h"

#include <algorithm>
#include <cstring>

#include "nn/activation.h"

namespace hoshi::nn::winograd {

namespace {

// Channels handled per pass, so the working tiles stay on the stack and in L1.
constexpr int kChunk = 64;

// One 6-point input transform (B^T applied to a column), vectorised across
// the chunk's channels: s[i] points at point i, stride between points.
inline void inputRows(const float* s, int sStride, float* d, int dStride, int n) {
  const float* s0 = s;
  const float* s1 = s + sStride;
  const float* s2 = s + 2 * sStride;
  const float* s3 = s + 3 * sStride;
  const float* s4 = s + 4 * sStride;
  const float* s5 = s + 5 * sStride;
  float* d0 = d;
  float* d1 = d + dStride;
  float* d2 = d + 2 * dStride;
  float* d3 = d + 3 * dStride;
  float* d4 = d + 4 * dStride;
  float* d5 = d + 5 * dStride;
  for (int c = 0; c < n; ++c) {
    float a = s1[c], b = s2[c], e = s3[c], f = s4[c];
    d0[c] = 4.0f * s0[c] - 5.0f * b + f;
    d1[c] = -4.0f * (a + b) + e + f;
    d2[c] = 4.0f * (a - b) - e + f;
    d3[c] = 2.0f * (e - a) - b + f;
    d4[c] = 2.0f * (a - e) - b + f;
    d5[c] = 4.0f * a - 5.0f * e + s5[c];
  }
}

inline void outputRows(const float* s, int sStride, float* d, int dStride, int n) {
  const float* s0 = s;
  const float* s1 = s + sStride;
  const float* s2 = s + 2 * sStride;
  const float* s3 = s + 3 * sStride;
  const float* s4 = s + 4 * sStride;
  const float* s5 = s + 5 * sStride;
  for (int c = 0; c < n; ++c) {
    float p = s1[c] + s2[c], q = s1[c] - s2[c];
    float r = s3[c] + s4[c], t = s3[c] - s4[c];
    d[c] = s0[c] + p + r;
    d[dStride + c] = q + 2.0f * t;
    d[2 * dStride + c] = p + 4.0f * r;
    d[3 * dStride + c] = q + 8.0f * t + s5[c];
  }
}

void tileOrigin(const Geometry& g, int tile, int& b, int& y0, int& x0) {
  int per = g.tilesPerPosition();
  b = tile / per;
  int rest = tile % per;
  y0 = (rest / g.tilesX()) * kOut;
  x0 = (rest % g.tilesX()) * kOut;
}

}  // namespace

std::vector<float> transformFilters(const float* weights, int inChannels, int outChannels) {
  static const double kG[6][3] = {{1.0 / 4, 0, 0},
                                  {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                  {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                  {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                  {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                  {0, 0, 1}};
  std::vector<float> u(size_t(kPoints) * inChannels * outChannels);
  for (int oc = 0; oc < outChannels; ++oc) {
    for (int ic = 0; ic < inChannels; ++ic) {
      const float* g = weights + (size_t(oc) * inChannels + ic) * 9;
      double tmp[6][3];
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 3; ++j)
          tmp[i][j] = kG[i][0] * g[j] + kG[i][1] * g[3 + j] + kG[i][2] * g[6 + j];
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
          double v = tmp[i][0] * kG[j][0] + tmp[i][1] * kG[j][1] + tmp[i][2] * kG[j][2];
          u[(size_t(i * 6 + j) * inChannels + ic) * outChannels + oc] = float(v);
        }
    }
  }
  return u;
}

void transformInput(const float* in, int channels, const Geometry& g, float* v, int tileBegin,
                    int tileEnd, const NormActDesc* inputNorm) {
  alignas(64) float d[kPoints * kChunk];
  alignas(64) float t[kPoints * kChunk];
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
        inputRows(d + j * kChunk, kTile * kChunk, t + j * kChunk, kTile * kChunk, n);
      for (int i = 0; i < kTile; ++i) {
        alignas(64) float row[kTile * kChunk];
        inputRows(t + i * kTile * kChunk, kChunk, row, kChunk, n);
        for (int j = 0; j < kTile; ++j)
          std::memcpy(v + (size_t(i * kTile + j) * tiles + tile) * channels + c0, row + j * kChunk,
                      sizeof(float) * n);
      }
    }
  }
}

void transformOutput(const float* m, int channels, const Geometry& g, float* out, bool accumulate,
                     int tileBegin, int tileEnd) {
  alignas(64) float s[kPoints * kChunk];
  alignas(64) float t[kOut * kTile * kChunk];
  alignas(64) float o[kOut * kOut * kChunk];
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
        outputRows(s + j * kChunk, kTile * kChunk, t + j * kChunk, kTile * kChunk, n);
      for (int i = 0; i < kOut; ++i)
        outputRows(t + i * kTile * kChunk, kChunk, o + i * kOut * kChunk, kChunk, n);
      for (int i = 0; i < kOut && y0 + i < g.ySize; ++i) {
        for (int j = 0; j < kOut && x0 + j < g.xSize; ++j) {
          float* dst = base + (size_t(y0 + i) * g.xSize + x0 + j) * channels + c0;
          const float* src = o + (i * kOut + j) * kChunk;
          if (accumulate)
            for (int c = 0; c < n; ++c) dst[c] += src[c];
          else
            std::memcpy(dst, src, sizeof(float) * n);
        }
      }
    }
  }
}

}  // namespace hoshi::nn::winograd
