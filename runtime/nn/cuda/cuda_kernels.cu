#include <cuda_fp16.h>

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

__device__ __forceinline__ float load(const float* p, size_t i) { return p[i]; }
__device__ __forceinline__ float load(const __half* p, size_t i) { return __half2float(p[i]); }
__device__ __forceinline__ void store(float* p, size_t i, float v) { p[i] = v; }
__device__ __forceinline__ void store(__half* p, size_t i, float v) { p[i] = __float2half(v); }

__device__ __forceinline__ float activate(float x, int act) {
  switch (act) {
    case 1: return x > 0.0f ? x : 0.0f;
    case 2: {
      // Softplus is linear past 20; the guard keeps expf finite.
      float sp = log1pf(expf(fminf(x, 20.0f))) + (fmaxf(x, 20.0f) - 20.0f);
      return x * tanhf(sp);
    }
    case 3: return x / (1.0f + expf(-x));
    default: return x;
  }
}

template <typename T>
__global__ void nchwToNhwcKernel(const float* in, T* out, int batch, int channels, int area,
                                 size_t inStride) {
  size_t n = size_t(batch) * area * channels;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    int c = int(i % channels);
    size_t r = i / channels;
    int p = int(r % area);
    size_t b = r / area;
    store(out, i, in[b * inStride + size_t(c) * area + p]);
  }
}

template <typename T>
__global__ void im2colKernel(const T* in, T* out, int batch, int ySize, int xSize, int channels,
                             int kY, int kX) {
  const size_t patch = size_t(kY) * kX * channels;
  const size_t n = size_t(batch) * ySize * xSize * patch;
  const int padY = kY / 2, padX = kX / 2;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    size_t row = i / patch;
    int k = int(i % patch);
    int c = k % channels;
    int kk = k / channels;
    int kx = kk % kX, ky = kk / kX;
    int x = int(row % xSize);
    int y = int((row / xSize) % ySize);
    size_t b = row / (size_t(xSize) * ySize);
    int sy = y + ky - padY, sx = x + kx - padX;
    float v = 0.0f;
    if (sy >= 0 && sy < ySize && sx >= 0 && sx < xSize)
      v = load(in, ((b * ySize + sy) * xSize + sx) * channels + c);
    store(out, i, v);
  }
}

template <typename T>
__global__ void normActKernel(const T* in, T* out, const float* scale, const float* bias,
                              const float* batchBias, int rows, int channels, int area, int act) {
  size_t n = size_t(rows) * channels;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    int c = int(i % channels);
    float v = load(in, i);
    if (batchBias) v += batchBias[(i / channels / area) * channels + c];
    if (scale) v = v * scale[c] + bias[c];
    store(out, i, activate(v, act));
  }
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
  const float sqrtArea = sqrtf(float(area));
  const float mean = sum / float(area);
  float* o = out + size_t(b) * 3 * channels;
  o[c] = mean;
  o[channels + c] = mean * (sqrtArea - 14.0f) * 0.1f;
  o[2 * channels + c] =
      valueHead ? mean * ((sqrtArea - 14.0f) * (sqrtArea - 14.0f) * 0.01f - 0.1f) : mx;
}

__global__ void denseKernel(const float* in, const float* w, const float* bias, float* out,
                            int batch, int inC, int outC, int act) {
  size_t n = size_t(batch) * outC;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    int o = int(i % outC);
    size_t b = i / outC;
    const float* row = in + b * inC;
    float acc = 0.0f;
    for (int k = 0; k < inC; ++k) acc += row[k] * w[size_t(k) * outC + o];
    if (bias) acc += bias[o];
    out[i] = activate(acc, act);
  }
}

template <typename T>
__global__ void nhwcToNchwKernel(const T* in, float* out, int batch, int area, int channels) {
  size_t n = size_t(batch) * area * channels;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    // i indexes the output [b][c][p].
    int p = int(i % area);
    size_t r = i / area;
    int c = int(r % channels);
    size_t b = r / channels;
    out[i] = load(in, (b * area + p) * channels + c);
  }
}

__global__ void floatToHalfKernel(const float* in, __half* out, size_t n) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x)
    out[i] = __float2half(in[i]);
}

void checkLaunch(const char* what) { check(cudaGetLastError(), what); }

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

void normAct(const void* in, void* out, DType t, const float* scale, const float* bias,
             const float* batchBias, int rows, int channels, int area, int act,
             cudaStream_t stream) {
  size_t n = size_t(rows) * channels;
  if (t == DType::kHalf)
    normActKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const __half*>(in),
                                                         static_cast<__half*>(out), scale, bias,
                                                         batchBias, rows, channels, area, act);
  else
    normActKernel<<<blocksFor(n), kThreads, 0, stream>>>(static_cast<const float*>(in),
                                                         static_cast<float*>(out), scale, bias,
                                                         batchBias, rows, channels, area, act);
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
