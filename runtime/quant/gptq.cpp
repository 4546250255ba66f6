#include "quant/gptq.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace hoshi::quant {

using namespace nn;

namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The upper Cholesky factor U of H^-1 (H^-1 = U^T U), after damping H;
// false when H stays singular however damped.
bool inverseCholesky(Eigen::MatrixXd h, double damping, Eigen::MatrixXd& u) {
  const double mean = h.diagonal().mean();
  const Eigen::MatrixXd original = h;
  for (int attempt = 0; attempt < 4; ++attempt, damping *= 10) {
    h = original;
    h.diagonal().array() += damping * mean;
    Eigen::LLT<Eigen::MatrixXd> llt(h);
    if (llt.info() != Eigen::Success) continue;
    const Eigen::MatrixXd inv =
        llt.solve(Eigen::MatrixXd::Identity(original.rows(), original.cols()));
    Eigen::LLT<Eigen::MatrixXd> again(inv);
    if (again.info() != Eigen::Success) continue;
    u = again.matrixU();
    return true;
  }
  return false;
}

}  // namespace

Im2colMoments::Im2colMoments(int channels, int kernelY, int kernelX)
    : channels_(channels),
      kernelY_(kernelY),
      kernelX_(kernelX),
      k_(channels * kernelY * kernelX),
      sum_(size_t(k_) * size_t(k_), 0.0) {}

void Im2colMoments::add(const float* nhwc, int batch, int ySize, int xSize) {
  const int taps = kernelY_ * kernelX_, py = kernelY_ / 2, px = kernelX_ / 2;
  const long n = long(batch) * ySize * xSize;
  if (n <= 0) return;
  RowMatrixF x = RowMatrixF::Zero(n, k_);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < ySize; ++y)
      for (int xx = 0; xx < xSize; ++xx) {
        float* dst = x.row((long(b) * ySize + y) * xSize + xx).data();
        for (int ky = 0; ky < kernelY_; ++ky)
          for (int kx = 0; kx < kernelX_; ++kx) {
            const int sy = y + ky - py, sx = xx + kx - px;
            if (sy < 0 || sy >= ySize || sx < 0 || sx >= xSize) continue;  // zero padding
            const float* src = nhwc + ((size_t(b) * ySize + sy) * xSize + sx) * channels_;
            const int t = ky * kernelX_ + kx;
            for (int c = 0; c < channels_; ++c) dst[c * taps + t] = src[c];
          }
      }
  // One batch's sums stay exact enough in float; the running total is double.
  Eigen::MatrixXf g = Eigen::MatrixXf::Zero(k_, k_);
  g.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
  Eigen::Map<Eigen::MatrixXd> sum(sum_.data(), k_, k_);
  for (int j = 0; j < k_; ++j) sum.col(j).tail(k_ - j) += g.col(j).tail(k_ - j).cast<double>();
  rows_ += size_t(n);
}

std::vector<double> Im2colMoments::secondMoment() const {
  if (rows_ == 0) return {};
  std::vector<double> out(sum_.size());
  const double inv = 1.0 / double(rows_);
  for (int j = 0; j < k_; ++j)
    for (int i = j; i < k_; ++i) {
      const double v = sum_[size_t(j) * k_ + i] * inv;  // column-major lower (i >= j)
      out[size_t(i) * k_ + j] = out[size_t(j) * k_ + i] = v;
    }
  return out;
}

QuantizedWeights gptqConvWeights(const ConvDesc& conv, const std::vector<double>& h,
                                 const GptqOptions& options) {
  QuantizedWeights q = quantizeConvWeights(conv);  // the scales, and the fallback
  const int outs = conv.outChannels;
  const int k = conv.inChannels * conv.kernelY * conv.kernelX;
  if (h.size() != size_t(k) * size_t(k))
    throw std::invalid_argument("gptq: second moment of " + std::to_string(h.size()) +
                                " values for a convolution with " + std::to_string(k) + " inputs");
  const Eigen::Map<const RowMatrixD> hm(h.data(), k, k);
  if (!(hm.diagonal().mean() > 0)) return q;

  // Column order: by decreasing E[x^2] (the large inputs first, while many
  // columns are left to absorb their error), or the natural one.
  std::vector<int> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  if (options.actOrder)
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return hm(a, a) > hm(b, b); });
  Eigen::MatrixXd hp(k, k);
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) hp(i, j) = hm(order[size_t(i)], order[size_t(j)]);
  Eigen::MatrixXd u;
  if (!inverseCholesky(std::move(hp), options.damping, u)) return q;

  // W in the chosen column order; each channel's largest weight is pinned to
  // +-127 so that the scale stays the one quantizeConvWeights finds.
  Eigen::MatrixXd w(outs, k);
  std::vector<int> pinned(size_t(outs), -1);
  std::vector<float> pinnedSign(size_t(outs), 1.0f);
  for (int o = 0; o < outs; ++o) {
    float mx = 0;
    for (int i = 0; i < k; ++i) {
      const float v = conv.weights[size_t(o) * k + size_t(order[size_t(i)])];
      w(o, i) = v;
      if (std::fabs(v) > mx)
        mx = std::fabs(v), pinned[size_t(o)] = i, pinnedSign[size_t(o)] = v < 0 ? -1.0f : 1.0f;
    }
  }
  Eigen::VectorXd err(outs);
  for (int j = 0; j < k; ++j) {
    const size_t col = size_t(order[size_t(j)]);
    for (int o = 0; o < outs; ++o) {
      const float s = q.scales[size_t(o)];
      const double v = w(o, j);
      float r = std::clamp(std::nearbyint(float(v / s)), -127.0f, 127.0f);
      if (pinned[size_t(o)] == j) r = 127.0f * pinnedSign[size_t(o)];
      q.values[size_t(o) * k + col] = int8_t(r);
      err(o) = (v - double(r) * s) / u(j, j);
    }
    // The error, weighted by H^-1, goes to the columns not yet rounded.
    if (j + 1 < k) w.rightCols(k - j - 1).noalias() -= err * u.row(j).tail(k - j - 1);
  }
  return q;
}

double convOutputError(const ConvDesc& conv, const std::vector<float>& weights,
                       const std::vector<double>& h) {
  const int outs = conv.outChannels;
  const int k = conv.inChannels * conv.kernelY * conv.kernelX;
  if (h.size() != size_t(k) * size_t(k) || weights.size() != conv.weights.size())
    throw std::invalid_argument("convOutputError: sizes do not match the convolution");
  const Eigen::Map<const RowMatrixD> hm(h.data(), k, k);
  RowMatrixD d(outs, k);
  for (int o = 0; o < outs; ++o)
    for (int i = 0; i < k; ++i) {
      const size_t at = size_t(o) * k + size_t(i);
      d(o, i) = double(conv.weights[at]) - double(weights[at]);
    }
  return (d * hm).cwiseProduct(d).sum();
}

}  // namespace hoshi::quant
