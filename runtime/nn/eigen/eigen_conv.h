#pragma once

// Convolution kernels of the Eigen backend, on NHWC activations
// ([batch][y][x][channels], "same" zero padding):
//   1x1   -> one GEMM (pixels x in) * (in x out)
//   3x3   -> Winograd F(4x4, 3x3) or, where a board's tiles fit it better
//            (9x9), F(3x3, 3x3): transforms + one GEMM per tile point
//   other -> im2col + GEMM
// Each kernel splits its work over a ThreadPool.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "nn/model.h"

namespace hoshi::nn {

class ThreadPool;

class ConvOp {
 public:
  enum class Method { kGemm1x1, kWinograd, kIm2col };

  // allowWinograd = false forces im2col for 3x3 (used to cross-check).
  explicit ConvOp(const ConvDesc& desc, bool allowWinograd = true);

  int inChannels() const { return inChannels_; }
  int outChannels() const { return outChannels_; }
  Method method() const { return method_; }

  // Floats of scratch apply() needs for this geometry.
  size_t scratchFloats(int batch, int ySize, int xSize) const;
  // Multiplies actually performed (Winograd counts its 36-point products).
  int64_t multiplies(int batch, int ySize, int xSize) const;
  // Multiplies of the textbook direct convolution.
  int64_t directMultiplies(int batch, int ySize, int xSize) const;

  // Bytes of prepared (possibly transformed) weights, F(3x3) ones included
  // once a board has needed them.
  int64_t weightBytes() const;

  // out = conv(in), or out += conv(in) with accumulate. With inputNorm the
  // convolution sees act(in * scale + bias) instead of in (in is not changed).
  void apply(const float* in, float* out, int batch, int ySize, int xSize, float* scratch,
             ThreadPool& pool, bool accumulate, const NormActDesc* inputNorm = nullptr) const;

 private:
  void applyGemm(const float* in, float* out, int rows, float* scratch, ThreadPool& pool,
                 bool accumulate, const NormActDesc* inputNorm) const;
  void applyWinograd(const float* in, float* out, int batch, int ySize, int xSize, float* scratch,
                     ThreadPool& pool, bool accumulate, const NormActDesc* inputNorm) const;
  void applyIm2col(const float* in, float* out, int batch, int ySize, int xSize, float* scratch,
                   ThreadPool& pool, bool accumulate, const NormActDesc* inputNorm) const;

  // The packed Winograd filters for an output tile side of 4 or 3.
  const float* winogradWeights(int outTile) const;

  Method method_;
  int kernelY_, kernelX_, inChannels_, outChannels_;
  // 1x1 and im2col: [kernelY][kernelX][in][out]; Winograd F(4x4): [36][in]
  // [out] in column blocks.
  std::vector<float> weights_;
  // Winograd F(3x3): [25][in][out] in column blocks, made from the F(4x4)
  // ones on first use (the model's own 3x3 weights are dropped once the
  // backend exists). Shared, so the op stays copyable.
  struct Lazy {
    std::once_flag once;
    std::vector<float> weights;
    std::atomic<size_t> floats{0};  // weights.size() once made, for weightBytes()
  };
  std::shared_ptr<Lazy> small_;
};

}  // namespace hoshi::nn
