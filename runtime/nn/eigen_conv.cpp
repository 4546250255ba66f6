#include "nn/eigen_conv.h"

#include <Eigen/Core>
#include <cstring>

#include "nn/thread_pool.h"
#include "nn/winograd.h"

namespace hoshi::nn {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapMatrix = Eigen::Map<RowMatrix>;
using ConstMapMatrix = Eigen::Map<const RowMatrix>;

// out (rows x n) = or += a (rows x k) * b (k x n), all row-major.
void gemm(const float* a, const float* b, float* out, int rows, int k, int n, bool accumulate) {
  ConstMapMatrix ma(a, rows, k);
  ConstMapMatrix mb(b, k, n);
  MapMatrix mo(out, rows, n);
  if (accumulate)
    mo.noalias() += ma * mb;
  else
    mo.noalias() = ma * mb;
}

}  // namespace

ConvOp::ConvOp(const ConvDesc& desc, bool allowWinograd)
    : kernelY_(desc.kernelY),
      kernelX_(desc.kernelX),
      inChannels_(desc.inChannels),
      outChannels_(desc.outChannels) {
  if (kernelY_ == 1 && kernelX_ == 1)
    method_ = Method::kGemm1x1;
  else if (kernelY_ == 3 && kernelX_ == 3 && allowWinograd)
    method_ = Method::kWinograd;
  else
    method_ = Method::kIm2col;

  if (method_ == Method::kWinograd) {
    weights_ = winograd::transformFilters(desc.weights.data(), inChannels_, outChannels_);
    return;
  }
  // [out][in][ky][kx] -> [ky][kx][in][out], the row order of an im2col patch.
  weights_.resize(desc.weights.size());
  for (int oc = 0; oc < outChannels_; ++oc)
    for (int ic = 0; ic < inChannels_; ++ic)
      for (int y = 0; y < kernelY_; ++y)
        for (int x = 0; x < kernelX_; ++x)
          weights_[((size_t(y) * kernelX_ + x) * inChannels_ + ic) * outChannels_ + oc] =
              desc.weights[((size_t(oc) * inChannels_ + ic) * kernelY_ + y) * kernelX_ + x];
}

size_t ConvOp::scratchFloats(int batch, int ySize, int xSize) const {
  switch (method_) {
    case Method::kGemm1x1: return 0;
    case Method::kWinograd: {
      winograd::Geometry g{batch, ySize, xSize};
      return size_t(winograd::kPoints) * g.tiles() * (inChannels_ + outChannels_);
    }
    case Method::kIm2col:
      return size_t(batch) * ySize * xSize * kernelY_ * kernelX_ * inChannels_;
  }
  return 0;
}

int64_t ConvOp::multiplies(int batch, int ySize, int xSize) const {
  if (method_ == Method::kWinograd) {
    winograd::Geometry g{batch, ySize, xSize};
    return int64_t(winograd::kPoints) * g.tiles() * inChannels_ * outChannels_;
  }
  return directMultiplies(batch, ySize, xSize);
}

int64_t ConvOp::directMultiplies(int batch, int ySize, int xSize) const {
  return int64_t(batch) * ySize * xSize * kernelY_ * kernelX_ * inChannels_ * outChannels_;
}

void ConvOp::apply(const float* in, float* out, int batch, int ySize, int xSize, float* scratch,
                   ThreadPool& pool, bool accumulate) const {
  switch (method_) {
    case Method::kGemm1x1:
      applyGemm(in, out, batch * ySize * xSize, pool, accumulate);
      break;
    case Method::kWinograd:
      applyWinograd(in, out, batch, ySize, xSize, scratch, pool, accumulate);
      break;
    case Method::kIm2col:
      applyIm2col(in, out, batch, ySize, xSize, scratch, pool, accumulate);
      break;
  }
}

void ConvOp::applyGemm(const float* in, float* out, int rows, ThreadPool& pool,
                       bool accumulate) const {
  pool.run(rows, [&](int begin, int end) {
    gemm(in + size_t(begin) * inChannels_, weights_.data(), out + size_t(begin) * outChannels_,
         end - begin, inChannels_, outChannels_, accumulate);
  });
}

void ConvOp::applyWinograd(const float* in, float* out, int batch, int ySize, int xSize,
                           float* scratch, ThreadPool& pool, bool accumulate) const {
  winograd::Geometry g{batch, ySize, xSize};
  const int tiles = g.tiles();
  float* v = scratch;
  float* m = scratch + size_t(winograd::kPoints) * tiles * inChannels_;
  pool.run(tiles, [&](int begin, int end) {
    winograd::transformInput(in, inChannels_, g, v, begin, end);
  });
  pool.run(winograd::kPoints, [&](int begin, int end) {
    for (int p = begin; p < end; ++p)
      gemm(v + size_t(p) * tiles * inChannels_,
           weights_.data() + size_t(p) * inChannels_ * outChannels_,
           m + size_t(p) * tiles * outChannels_, tiles, inChannels_, outChannels_, false);
  });
  pool.run(tiles, [&](int begin, int end) {
    winograd::transformOutput(m, outChannels_, g, out, accumulate, begin, end);
  });
}

void ConvOp::applyIm2col(const float* in, float* out, int batch, int ySize, int xSize,
                         float* scratch, ThreadPool& pool, bool accumulate) const {
  const int area = ySize * xSize;
  const int patch = kernelY_ * kernelX_ * inChannels_;
  const int padY = kernelY_ / 2, padX = kernelX_ / 2;
  pool.run(batch * area, [&](int begin, int end) {
    for (int row = begin; row < end; ++row) {
      int b = row / area, y = (row % area) / xSize, x = row % xSize;
      float* dst = scratch + size_t(row) * patch;
      for (int ky = 0; ky < kernelY_; ++ky) {
        for (int kx = 0; kx < kernelX_; ++kx, dst += inChannels_) {
          int sy = y + ky - padY, sx = x + kx - padX;
          if (sy < 0 || sy >= ySize || sx < 0 || sx >= xSize)
            std::memset(dst, 0, sizeof(float) * inChannels_);
          else
            std::memcpy(dst, in + ((size_t(b) * ySize + sy) * xSize + sx) * inChannels_,
                        sizeof(float) * inChannels_);
        }
      }
    }
    gemm(scratch + size_t(begin) * patch, weights_.data(), out + size_t(begin) * outChannels_,
         end - begin, patch, outChannels_, accumulate);
  });
}

}  // namespace hoshi::nn
