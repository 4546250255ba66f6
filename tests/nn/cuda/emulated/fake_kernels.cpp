// CPU versions of the CUDA backend's kernel launchers: each loops over the
// output elements and runs the kernels' own per-element code.

#include <algorithm>

#include "nn/cuda/cuda_kernel_math.h"
#include "nn/cuda/cuda_kernels.h"

namespace hoshi::nn::cuda {

namespace {

template <typename F>
void forEachIndex(size_t n, F f) {
  for (size_t i = 0; i < n; ++i) f(i);
}

template <typename F>
void byType(DType t, void* p, F f) {
  if (t == DType::kHalf)
    f(static_cast<__half*>(p));
  else
    f(static_cast<float*>(p));
}

}  // namespace

void nchwToNhwc(const float* in, void* out, DType t, int batch, int channels, int area,
                size_t inStride, cudaStream_t) {
  byType(t, out, [&](auto* o) {
    forEachIndex(size_t(batch) * area * channels,
                 [&](size_t i) { math::nchwToNhwcAt(in, o, i, channels, area, inStride); });
  });
}

void im2col(const void* in, void* out, DType t, int batch, int ySize, int xSize, int channels,
            int kY, int kX, cudaStream_t) {
  byType(t, out, [&](auto* o) {
    using T = std::remove_pointer_t<decltype(o)>;
    const T* src = static_cast<const T*>(in);
    forEachIndex(size_t(batch) * ySize * xSize * kY * kX * channels,
                 [&](size_t i) { math::im2colAt(src, o, i, ySize, xSize, channels, kY, kX); });
  });
}

void normAct(const void* in, DType inType, void* out, DType outType, const float* scale,
             const float* bias, const float* batchBias, int rows, int channels, int area, int act,
             cudaStream_t) {
  byType(inType, const_cast<void*>(in), [&](auto* src) {
    byType(outType, out, [&](auto* o) {
      forEachIndex(size_t(rows) * channels, [&](size_t i) {
        math::normActAt(src, o, i, scale, bias, batchBias, channels, area, act);
      });
    });
  });
}

void globalPool(const void* in, float* out, DType t, int batch, int area, int channels,
                bool valueHead, cudaStream_t) {
  byType(t, const_cast<void*>(in), [&](auto* src) {
    for (int b = 0; b < batch; ++b)
      for (int c = 0; c < channels; ++c) {
        float sum = 0.0f, mx = -1e30f;
        for (int p = 0; p < area; ++p) {
          float v = math::load(src, (size_t(b) * area + p) * channels + c);
          sum += v;
          mx = std::max(mx, v);
        }
        math::poolFinish(sum, mx, area, channels, c, valueHead, out + size_t(b) * 3 * channels);
      }
  });
}

void dense(const float* in, const float* w, const float* bias, float* out, int batch, int inC,
           int outC, int act, cudaStream_t) {
  forEachIndex(size_t(batch) * outC,
               [&](size_t i) { math::denseAt(in, w, bias, out, i, inC, outC, act); });
}

void nhwcToNchwFloat(const void* in, float* out, DType t, int batch, int area, int channels,
                     cudaStream_t) {
  byType(t, const_cast<void*>(in), [&](auto* src) {
    forEachIndex(size_t(batch) * area * channels,
                 [&](size_t i) { math::nhwcToNchwAt(src, out, i, area, channels); });
  });
}

void floatToHalf(const float* in, void* out, size_t count, cudaStream_t) {
  __half* o = static_cast<__half*>(out);
  for (size_t i = 0; i < count; ++i) o[i] = __float2half(in[i]);
}

}  // namespace hoshi::nn::cuda
