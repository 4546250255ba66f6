#include "nn/eigen/eigen_conv.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "nn/activation.h"
#include "nn/eigen/thread_pool.h"
#include "nn/eigen/winograd.h"

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

// Small-M product for the Winograd points: out (rows x n) = a (rows x k) *
// b (k x n). With a few dozen rows (tiles of one board), Eigen spends as long
// packing the weights as multiplying; this kernel reads the weights in place,
// keeping up to kMaxRows x kCols accumulators in vector registers (sized so
// they fit the register file: 32 zmm with AVX-512, 16 ymm with AVX2, 32 q
// registers with NEON).
#if defined(__AVX512F__)
constexpr int kCols = 32;    // 2 zmm per row
constexpr int kMaxRows = 8;  // 16 accumulators
#else
constexpr int kCols = 16;    // 2 ymm / 4 q registers per row
constexpr int kMaxRows = 6;  // 12 / 24 accumulators
#endif

constexpr int64_t kMinParallelMacs = 1 << 16;

// b is packed: column blocks of kCols, each [k][kCols] contiguous, so the
// weights stream sequentially. Writes the first `valid` columns of the block.
template <int R>
void smallGemmBlock(const float* a, int k, const float* b, float* out, int n, int valid) {
  float acc[R][kCols] = {};
  for (int i = 0; i < k; ++i) {
    const float* brow = b + size_t(i) * kCols;
    for (int r = 0; r < R; ++r) {
      const float av = a[size_t(r) * k + i];
      for (int j = 0; j < kCols; ++j) acc[r][j] += av * brow[j];
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < valid; ++j) out[size_t(r) * n + j] = acc[r][j];
}

using BlockFn = void (*)(const float*, int, const float*, float*, int, int);
constexpr BlockFn kBlockFns[] = {
    nullptr,
    &smallGemmBlock<1>,
    &smallGemmBlock<2>,
    &smallGemmBlock<3>,
    &smallGemmBlock<4>,
    &smallGemmBlock<5>,
    &smallGemmBlock<6>,
#if defined(__AVX512F__)
    &smallGemmBlock<7>,
    &smallGemmBlock<8>,
#endif
};
static_assert(sizeof(kBlockFns) / sizeof(kBlockFns[0]) == kMaxRows + 1, "one kernel per row count");

int columnBlocks(int n) {
  return (n + kCols - 1) / kCols;
}

// [k][n] row-major -> column blocks [n / kCols][k][kCols], zero padded.
void packColumns(const float* b, int k, int n, float* packed) {
  for (int cb = 0; cb < columnBlocks(n); ++cb)
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < kCols; ++j) {
        int col = cb * kCols + j;
        packed[(size_t(cb) * k + i) * kCols + j] = col < n ? b[size_t(i) * n + col] : 0.0f;
      }
}

// Floats of one Winograd point's packed [in][out] matrix.
size_t packedPointFloats(int in, int out) {
  return size_t(columnBlocks(out)) * kCols * in;
}

// The inverse of packColumns.
void unpackColumns(const float* packed, int k, int n, float* b) {
  for (int cb = 0; cb < columnBlocks(n); ++cb)
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < kCols && cb * kCols + j < n; ++j)
        b[size_t(i) * n + cb * kCols + j] = packed[(size_t(cb) * k + i) * kCols + j];
}

void smallGemm(const float* a, const float* packedB, float* out, int rows, int k, int n) {
  // Even row blocks (25 rows -> 5 x 5) so no block runs with one lonely row.
  const int blocks = (rows + kMaxRows - 1) / kMaxRows;
  for (int cb = 0; cb < columnBlocks(n); ++cb) {
    const int col = cb * kCols;
    const int valid = std::min(kCols, n - col);
    int row = 0;
    for (int bi = 0; bi < blocks; ++bi) {
      int r = (rows - row + (blocks - bi) - 1) / (blocks - bi);
      kBlockFns[r](a + size_t(row) * k, k, packedB + size_t(cb) * k * kCols,
                   out + size_t(row) * n + col, n, valid);
      row += r;
    }
  }
}

// The Winograd filters of one output tile side, each point's [in][out]
// matrix packed in column blocks.
std::vector<float> packedWinograd(const float* raw, int in, int out, int outTile) {
  std::vector<float> u = winograd::transformFilters(raw, in, out, outTile);
  const int points = winograd::tilePoints(outTile);
  const size_t perPoint = packedPointFloats(in, out);
  std::vector<float> packed(perPoint * points);
  for (int p = 0; p < points; ++p)
    packColumns(u.data() + size_t(p) * in * out, in, out, packed.data() + p * perPoint);
  return packed;
}

}  // namespace

ConvOp::ConvOp(const ConvDesc& desc, bool allowWinograd)
    : kernelY_(desc.kernelY),
      kernelX_(desc.kernelX),
      inChannels_(desc.inChannels),
      outChannels_(desc.outChannels) {
  // A model loaded with its INT8 weights kept apart (nn/hoshi_model.h) has
  // none here: refuse it rather than read past the vector.
  if (desc.weights.size() != size_t(outChannels_) * inChannels_ * kernelY_ * kernelX_)
    throw std::runtime_error("convolution '" + desc.name + "' has " +
                             std::to_string(desc.weights.size()) +
                             " weights for its shape (INT8 Hoshi files run on the xnnpack backend)");
  if (kernelY_ == 1 && kernelX_ == 1)
    method_ = Method::kGemm1x1;
  else if (kernelY_ == 3 && kernelX_ == 3 && allowWinograd)
    method_ = Method::kWinograd;
  else
    method_ = Method::kIm2col;

  if (method_ == Method::kWinograd) {
    small_ = std::make_shared<Lazy>();
    weights_ = packedWinograd(desc.weights.data(), inChannels_, outChannels_, 4);
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

const float* ConvOp::winogradWeights(int outTile) const {
  if (outTile == 4) return weights_.data();
  std::call_once(small_->once, [&] {
    const size_t perPoint = packedPointFloats(inChannels_, outChannels_);
    const int points = winograd::tilePoints(4);
    std::vector<float> u(size_t(points) * inChannels_ * outChannels_);
    for (int p = 0; p < points; ++p)
      unpackColumns(weights_.data() + p * perPoint, inChannels_, outChannels_,
                    u.data() + size_t(p) * inChannels_ * outChannels_);
    std::vector<float> raw = winograd::filtersFromF4(u.data(), inChannels_, outChannels_);
    small_->weights = packedWinograd(raw.data(), inChannels_, outChannels_, outTile);
    small_->floats = small_->weights.size();
  });
  return small_->weights.data();
}

int64_t ConvOp::weightBytes() const {
  size_t floats = weights_.size();
  // A count taken while a search prepares the F(3x3) filters may miss them.
  if (small_) floats += small_->floats.load();
  return int64_t(floats * sizeof(float));
}

size_t ConvOp::scratchFloats(int batch, int ySize, int xSize) const {
  switch (method_) {
    case Method::kGemm1x1:
      return size_t(batch) * ySize * xSize * inChannels_;
    case Method::kWinograd: {
      winograd::Geometry g{batch, ySize, xSize, winograd::bestOutputTile(ySize, xSize)};
      return size_t(g.points()) * g.tiles() * (inChannels_ + outChannels_);
    }
    case Method::kIm2col:
      return size_t(batch) * ySize * xSize * kernelY_ * kernelX_ * inChannels_;
  }
  return 0;
}

int64_t ConvOp::multiplies(int batch, int ySize, int xSize) const {
  if (method_ == Method::kWinograd) {
    winograd::Geometry g{batch, ySize, xSize, winograd::bestOutputTile(ySize, xSize)};
    return int64_t(g.points()) * g.tiles() * inChannels_ * outChannels_;
  }
  return directMultiplies(batch, ySize, xSize);
}

int64_t ConvOp::directMultiplies(int batch, int ySize, int xSize) const {
  return int64_t(batch) * ySize * xSize * kernelY_ * kernelX_ * inChannels_ * outChannels_;
}

void ConvOp::apply(const float* in, float* out, int batch, int ySize, int xSize, float* scratch,
                   ThreadPool& pool, bool accumulate, const NormActDesc* inputNorm) const {
  switch (method_) {
    case Method::kGemm1x1:
      applyGemm(in, out, batch * ySize * xSize, scratch, pool, accumulate, inputNorm);
      break;
    case Method::kWinograd:
      applyWinograd(in, out, batch, ySize, xSize, scratch, pool, accumulate, inputNorm);
      break;
    case Method::kIm2col:
      applyIm2col(in, out, batch, ySize, xSize, scratch, pool, accumulate, inputNorm);
      break;
  }
}

void ConvOp::applyGemm(const float* in, float* out, int rows, float* scratch, ThreadPool& pool,
                       bool accumulate, const NormActDesc* inputNorm) const {
  auto work = [&](int begin, int end) {
    const float* src = in + size_t(begin) * inChannels_;
    if (inputNorm) {
      float* normed = scratch + size_t(begin) * inChannels_;
      for (int r = begin; r < end; ++r)
        normActRow(in + size_t(r) * inChannels_, scratch + size_t(r) * inChannels_,
                   inputNorm->scale.data(), inputNorm->bias.data(), inChannels_,
                   inputNorm->activation);
      src = normed;
    }
    gemm(src, weights_.data(), out + size_t(begin) * outChannels_, end - begin, inChannels_,
         outChannels_, accumulate);
  };
  // Tiny products (the 1-channel policy and ownership outputs) are not worth
  // waking the pool for.
  if (int64_t(rows) * inChannels_ * outChannels_ < kMinParallelMacs)
    work(0, rows);
  else
    pool.run(rows, work);
}

void ConvOp::applyWinograd(const float* in, float* out, int batch, int ySize, int xSize,
                           float* scratch, ThreadPool& pool, bool accumulate,
                           const NormActDesc* inputNorm) const {
  winograd::Geometry g{batch, ySize, xSize, winograd::bestOutputTile(ySize, xSize)};
  const int tiles = g.tiles();
  const float* w = winogradWeights(g.out);
  const size_t perPoint = packedPointFloats(inChannels_, outChannels_);
  float* v = scratch;
  float* m = scratch + size_t(g.points()) * tiles * inChannels_;
  pool.run(tiles, [&](int begin, int end) {
    winograd::transformInput(in, inChannels_, g, v, begin, end, inputNorm);
  });
  pool.run(g.points(), [&](int begin, int end) {
    for (int p = begin; p < end; ++p)
      smallGemm(v + size_t(p) * tiles * inChannels_, w + p * perPoint,
                m + size_t(p) * tiles * outChannels_, tiles, inChannels_, outChannels_);
  });
  pool.run(tiles, [&](int begin, int end) {
    winograd::transformOutput(m, outChannels_, g, out, accumulate, begin, end);
  });
}

void ConvOp::applyIm2col(const float* in, float* out, int batch, int ySize, int xSize,
                         float* scratch, ThreadPool& pool, bool accumulate,
                         const NormActDesc* inputNorm) const {
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
          else if (inputNorm)
            normActRow(in + ((size_t(b) * ySize + sy) * xSize + sx) * inChannels_, dst,
                       inputNorm->scale.data(), inputNorm->bias.data(), inChannels_,
                       inputNorm->activation);
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
