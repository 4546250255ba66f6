#pragma once

// Launchers of the CUDA backend's own kernels. Activations are NHWC
// ([batch][y][x][channels]) in the storage type (FP16 or FP32); per-channel
// parameters, pooled vectors and the dense head layers are always FP32, and
// every kernel does its arithmetic in FP32. All launches are asynchronous on
// the given stream; launch errors are thrown (cuda_util.h check).

#include <cuda_runtime.h>

#include <cstddef>

namespace hoshi::nn::cuda {

enum class DType { kFloat, kHalf };

inline size_t dtypeBytes(DType t) {
  return t == DType::kHalf ? 2 : 4;
}

// Activation codes, the order of nn::Activation (kIdentity, kRelu, kMish, kSilu).
constexpr int kActIdentity = 0;

// in: float [batch][channels][area] with `inStride` floats per entry;
// out: [batch][area][channels].
void nchwToNhwc(const float* in, void* out, DType t, int batch, int channels, int area,
                size_t inStride, cudaStream_t stream);

// Explicit im2col of a "same" padded kY x kX convolution: out row r = (b, y, x)
// holds [ky][kx][channel] (zeros off the board), the row order of the weights.
void im2col(const void* in, void* out, DType t, int batch, int ySize, int xSize, int channels,
            int kY, int kX, cudaStream_t stream);

// out[r][c] = act((in[r][c] + batchBias[r / area][c]) * scale[c] + bias[c]).
// batchBias and scale/bias may each be null (then skipped); in may equal out
// (same type). in and out types may differ: the residual trunk stays FP32.
void normAct(const void* in, DType inType, void* out, DType outType, const float* scale,
             const float* bias, const float* batchBias, int rows, int channels, int area, int act,
             cudaStream_t stream);

// KataGo's global pooling per entry and channel into float [batch][3 * channels]:
// mean, mean * (sqrt(area) - 14) / 10, then max (trunk and policy head) or
// mean * ((sqrt(area) - 14)^2 / 100 - 0.1) (value head).
void globalPool(const void* in, float* out, DType t, int batch, int area, int channels,
                bool valueHead, cudaStream_t stream);

// out[b][o] = act(sum_i in[b][i] * w[i][o] + bias[o]), all FP32; bias may be null.
void dense(const float* in, const float* w, const float* bias, float* out, int batch, int inC,
           int outC, int act, cudaStream_t stream);

// in: [batch][area][channels] (storage type) -> out: float [batch][channels][area].
void nhwcToNchwFloat(const void* in, float* out, DType t, int batch, int area, int channels,
                     cudaStream_t stream);

// FP32 -> FP16 conversion of weights.
void floatToHalf(const float* in, void* out, size_t count, cudaStream_t stream);

}  // namespace hoshi::nn::cuda
