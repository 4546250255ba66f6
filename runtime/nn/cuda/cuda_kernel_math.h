#pragma once

// What each thread of the CUDA kernels computes for one output element, as
// host+device functions: the kernels (cuda_kernels.cu) call them on the GPU,
// and the CPU emulation in tests/nn/cuda/emulated calls the very same code,
// so indexing and arithmetic are checked against the Eigen reference even on
// machines without a GPU.

#include <cuda_fp16.h>

#include <cmath>
#include <cstddef>

#if defined(__CUDACC__)
#define HOSHI_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define HOSHI_HOST_DEVICE inline
#endif

namespace hoshi::nn::cuda::math {

HOSHI_HOST_DEVICE float load(const float* p, size_t i) {
  return p[i];
}
HOSHI_HOST_DEVICE float load(const __half* p, size_t i) {
  return __half2float(p[i]);
}
HOSHI_HOST_DEVICE void store(float* p, size_t i, float v) {
  p[i] = v;
}
HOSHI_HOST_DEVICE void store(__half* p, size_t i, float v) {
  p[i] = __float2half(v);
}

// Codes in the order of nn::Activation: identity, relu, mish, silu.
HOSHI_HOST_DEVICE float activate(float x, int act) {
  switch (act) {
    case 1:
      return x > 0.0f ? x : 0.0f;
    case 2: {
      // Softplus is linear past 20; the guard keeps expf finite.
      float sp = log1pf(expf(fminf(x, 20.0f))) + (fmaxf(x, 20.0f) - 20.0f);
      return x * tanhf(sp);
    }
    case 3:
      return x / (1.0f + expf(-x));
    default:
      return x;
  }
}

// Output element i of [batch][area][channels] from float [batch][channels][area].
template <typename T>
HOSHI_HOST_DEVICE void nchwToNhwcAt(const float* in, T* out, size_t i, int channels, int area,
                                    size_t inStride) {
  int c = int(i % channels);
  size_t r = i / channels;
  int p = int(r % area);
  size_t b = r / area;
  store(out, i, in[b * inStride + size_t(c) * area + p]);
}

// Output element i of the im2col matrix [batch * y * x][kY * kX * channels].
template <typename T>
HOSHI_HOST_DEVICE void im2colAt(const T* in, T* out, size_t i, int ySize, int xSize, int channels,
                                int kY, int kX) {
  const size_t patch = size_t(kY) * kX * channels;
  size_t row = i / patch;
  int k = int(i % patch);
  int c = k % channels;
  int kk = k / channels;
  int kx = kk % kX, ky = kk / kX;
  int x = int(row % xSize);
  int y = int((row / xSize) % ySize);
  size_t b = row / (size_t(xSize) * ySize);
  int sy = y + ky - kY / 2, sx = x + kx - kX / 2;
  float v = 0.0f;
  if (sy >= 0 && sy < ySize && sx >= 0 && sx < xSize)
    v = load(in, ((b * ySize + sy) * xSize + sx) * channels + c);
  store(out, i, v);
}

template <typename TIn, typename TOut>
HOSHI_HOST_DEVICE void normActAt(const TIn* in, TOut* out, size_t i, const float* scale,
                                 const float* bias, const float* batchBias, int channels, int area,
                                 int act) {
  int c = int(i % channels);
  float v = load(in, i);
  if (batchBias) v += batchBias[(i / channels / area) * channels + c];
  if (scale) v = v * scale[c] + bias[c];
  store(out, i, activate(v, act));
}

// From one channel's sum and max over the board, KataGo's three pooled values
// into out (one entry's [3 * channels] vector).
HOSHI_HOST_DEVICE void poolFinish(float sum, float mx, int area, int channels, int c,
                                  bool valueHead, float* out) {
  const float sqrtArea = sqrtf(float(area));
  const float mean = sum / float(area);
  out[c] = mean;
  out[channels + c] = mean * (sqrtArea - 14.0f) * 0.1f;
  out[2 * channels + c] =
      valueHead ? mean * ((sqrtArea - 14.0f) * (sqrtArea - 14.0f) * 0.01f - 0.1f) : mx;
}

// Output element i of [batch][outC] = act(in [batch][inC] * w [inC][outC] + bias).
HOSHI_HOST_DEVICE void denseAt(const float* in, const float* w, const float* bias, float* out,
                               size_t i, int inC, int outC, int act) {
  int o = int(i % outC);
  const float* row = in + (i / outC) * inC;
  float acc = 0.0f;
  for (int k = 0; k < inC; ++k) acc += row[k] * w[size_t(k) * outC + o];
  if (bias) acc += bias[o];
  out[i] = activate(acc, act);
}

// Output element i of float [batch][channels][area] from [batch][area][channels].
template <typename T>
HOSHI_HOST_DEVICE void nhwcToNchwAt(const T* in, float* out, size_t i, int area, int channels) {
  int p = int(i % area);
  size_t r = i / area;
  int c = int(r % channels);
  size_t b = r / channels;
  out[i] = load(in, (b * area + p) * channels + c);
}

}  // namespace hoshi::nn::cuda::math
