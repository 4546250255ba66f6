#include <cuda_fp16.h>

#include "nn/cuda/cuda_kernel_math.h"
#include "nn/cuda/cuda_kernels.h"
#include "nn/cuda/cuda_util.h"

namespace hoshi::nn::cuda {

namespace {

constexpr int kThreads = 256;
// Grid-stride loops cover any size; this only caps the grid.
constexpr size_t kMaxBlocks = 65535;

unsigned blocksFor(size_t n) {
  size_t b = (n + kThreads - 1) / kThreads;
  if (b == 0) b = 1;
  return unsigned(b < kMaxBlocks ? b : kMaxBlocks);
}

using namespace math;

// Grid-stride loop: any n with any grid.
template <typename F>
__device__ __forceinline__ void forEachIndex(size_t n, F f) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x)
    f(i);
}

template <typename T>
__global__ void nchwToNhwcKernel(const float* in, T* out, int batch, int channels, int area,
                                 size_t inStride) {
  forEachIndex(size_t(batch) * area * channels,
               [&](size_t i) { nchwToNhwcAt(in, out, i, channels, area, inStride); });
}

template <typename T>
__global__ void im2colKernel(const T* in, T* out, int batch, int ySize, int xSize, int channels,
                             int kY, int kX) {
  forEachIndex(size_t(batch) * ySize * xSize * kY * kX * channels,
               [&](size_t i) { im2colAt(in, out, i, ySize, xSize, channels, kY, kX); });
}

template <typename TIn, typename TOut>
__global__ void normActKernel(const TIn* in, TOut* out, const float* scale, const float* bias,
                              const float* batchBias, int rows, int channels, int area, int act) {
  forEachIndex(size_t(rows) * channels, [&](size_t i) {
    normActAt(in, out, i, scale, bias, batchBias, channels, area, act);
  });
}

constexpr int kPoolX = 32;  // channels per block (coalesced NHWC reads)
constexpr int kPoolY = 8;   // positions summed in parallel

template <typename T>
__global__ void poolKernel(const T* in, float* out, int area, int channels, bool valueHead) {
  __shared__ float sums[kPoolY][kPoolX];
  __shared__ float maxes[kPoolY][kPoolX];
  const int b = blockIdx.x;
  const int c = blockIdx.y * kPoolX + threadIdx.x;
  float sum = 0.0f, mx = -1e30f;
  if (c < channels) {
    for (int p = threadIdx.y; p < area; p += kPoolY) {
      float v = load(in, (size_t(b) * area + p) * channels + c);
      sum += v;
      mx = fmaxf(mx, v);
    }
  }
  sums[threadIdx.y][threadIdx.x] = sum;
  maxes[threadIdx.y][threadIdx.x] = mx;
  __syncthreads();
  if (threadIdx.y != 0 || c >= channels) return;
  for (int j = 1; j < kPoolY; ++j) {
    sum += sums[j][threadIdx.x];
    mx = fmaxf(mx, maxes[j][threadIdx.x]);
  }
  poolFinish(sum, mx, area, channels, c, valueHead, out + size_t(b) * 3 * channels);
}

__global__ void denseKernel(const float* in, const float* w, const float* bias, float* out,
                            int batch, int inC, int outC, int act) {
  forEachIndex(size_t(batch) * outC,
               [&](size_t i) { denseAt(in, w, bias, out, i, inC, outC, act); });
}

template <typename T>
__global__ void nhwcToNchwKernel(const T* in, float* out, int batch, int area, int channels) {
  forEachIndex(size_t(batch) * area * channels,
               [&](size_t i) { nhwcToNchwAt(in, out, i, area, channels); });
}

__global__ void floatToHalfKernel(const float* in, __half* out, size_t n) {
  forEachIndex(n, [&](size_t i) { out[i] = __float2half(in[i]); });
}

void checkLaunch(const char* what) {
  check(cudaGetLastError(), what);
}

}  // namespace

void nchwToNhwc(const float* in, void* out, DType t, int batch, int channels, int area,
                size_t inStride, cudaStream_t stream) {
  size_t n = size_t(batch) * area * channels;
  if (t == DType::kHalf)
    nchwToNhwcKernel<<<blocksFor(n), kThreads, 0, stream>>>(in, static_cast<__half*>(out), batch,
                                                            channels, area, inStride);
  else
    nchwToNhwcKernel<<<blocksFor(n), kThreads, 0, stream>>>(in, static_cast<float*>(out), batch,
                                                            channels, area, inStride);
  checkLaunch("nchwToNhwc");
}

void im2col(const void* in, void* out, DType t, int batch, int ySize, int xSize, int channels,
            int kY, int kX, cudaStream_t stream) {
  size_t n = size_t(batch) * ySize * xSize * kY * kX * channels;
  if (t == DType::kHalf)
    im2colKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const __half*>(in),
                                                        static_cast<__half*>(out), batch, ySize,
                                                        xSize, channels, kY, kX);
  else
    im2colKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const float*>(in),
                                                        static_cast<float*>(out), batch, ySize,
                                                        xSize, channels, kY, kX);
  checkLaunch("im2col");
}

template <typename TIn, typename TOut>
void launchNormAct(const void* in, void* out, const float* scale, const float* bias,
                   const float* batchBias, int rows, int channels, int area, int act,
                   cudaStream_t stream) {
  size_t n = size_t(rows) * channels;
  normActKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const TIn*>(in),
                                                       static_cast<TOut*>(out), scale, bias,
                                                       batchBias, rows, channels, area, act);
}

void normAct(const void* in, DType inType, void* out, DType outType, const float* scale,
             const float* bias, const float* batchBias, int rows, int channels, int area, int act,
             cudaStream_t stream) {
  const bool halfIn = inType == DType::kHalf, halfOut = outType == DType::kHalf;
  if (halfIn && halfOut)
    launchNormAct<__half, __half>(in, out, scale, bias, batchBias, rows, channels, area, act,
                                  stream);
  else if (halfIn)
    launchNormAct<__half, float>(in, out, scale, bias, batchBias, rows, channels, area, act,
                                 stream);
  else if (halfOut)
    launchNormAct<float, __half>(in, out, scale, bias, batchBias, rows, channels, area, act,
                                 stream);
  else
    launchNormAct<float, float>(in, out, scale, bias, batchBias, rows, channels, area, act, stream);
  checkLaunch("normAct");
}

void globalPool(const void* in, float* out, DType t, int batch, int area, int channels,
                bool valueHead, cudaStream_t stream) {
  dim3 grid(batch, (channels + kPoolX - 1) / kPoolX);
  dim3 block(kPoolX, kPoolY);
  if (t == DType::kHalf)
    poolKernel<<<grid, block, 0, stream>>>(static_cast<const __half*>(in), out, area, channels,
                                           valueHead);
  else
    poolKernel<<<grid, block, 0, stream>>>(static_cast<const float*>(in), out, area, channels,
                                           valueHead);
  checkLaunch("globalPool");
}

void dense(const float* in, const float* w, const float* bias, float* out, int batch, int inC,
           int outC, int act, cudaStream_t stream) {
  size_t n = size_t(batch) * outC;
  denseKernel<<<blocksFor(n), kThreads, 0, stream>>>(in, w, bias, out, batch, inC, outC, act);
  checkLaunch("dense");
}

void nhwcToNchwFloat(const void* in, float* out, DType t, int batch, int area, int channels,
                     cudaStream_t stream) {
  size_t n = size_t(batch) * area * channels;
  if (t == DType::kHalf)
    nhwcToNchwKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const __half*>(in), out,
                                                            batch, area, channels);
  else
    nhwcToNchwKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const float*>(in), out,
                                                            batch, area, channels);
  checkLaunch("nhwcToNchw");
}

void floatToHalf(const float* in, void* out, size_t count, cudaStream_t stream) {
  floatToHalfKernel<<<blocksFor(count), kThreads, 0, stream>>>(in, static_cast<__half*>(out),
                                                               count);
  checkLaunch("floatToHalf");
}

}  // namespace hoshi::nn::cuda
