#pragma once

// Convolution kernels of the Eigen backend, on NHWC activations
// ([batch][y][x][channels], "same" zero padding):
//   1x1   -> one GEMM (pixels x in) * (in x out)
//   3x3   -> Winograd F(4x4, 3x3): transforms + 36 GEMMs
//   other -> im2col + GEMM
// Each kernel splits its work over a ThreadPool.

#include <cstddef>
#include <cstdint>
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

  // Bytes of prepared (possibly transformed) weights.
  int64_t weightBytes() const { return int64_t(weights_.size() * sizeof(float)); }

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

  Method method_;
  int kernelY_, kernelX_, inChannels_, outChannels_;
  // 1x1 and im2col: [kernelY][kernelX][in][out]; Winograd: [36][in][out].
  std::vector<float> weights_;
};

}  // namespace hoshi::nn
