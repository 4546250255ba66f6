// GPTQ-style INT8 weight rounding (quant/gptq.h) against round-to-nearest
// (quantizeConvWeights) on a small convolution with correlated inputs: the
// output error measured by a direct convolution on held-out inputs.

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "nn/quant.h"
#include "quant/gptq.h"

using namespace hoshi;

namespace {

constexpr int kIn = 8, kOut = 12, kSize = 7;

// NHWC inputs whose channels mix a few shared sources and whose points
// are smoothed with their neighbours (correlated like a net's activations).
std::vector<float> mixing(std::mt19937& rng) {
  std::normal_distribution<float> n(0.0f, 1.0f);
  std::vector<float> mix(size_t(kIn) * 3);
  for (float& m : mix) m = n(rng);
  return mix;
}

std::vector<float> correlatedInputs(int batch, const std::vector<float>& mix, std::mt19937& rng,
                                    int deadChannel = -1) {
  std::normal_distribution<float> n(0.0f, 1.0f);
  const size_t area = size_t(kSize) * kSize;
  std::vector<float> src(size_t(batch) * area * 3), out(size_t(batch) * area * kIn, 0.0f);
  for (float& v : src) v = n(rng);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) {
        const size_t p = size_t(b) * area + size_t(y) * kSize + x;
        const size_t right = size_t(b) * area + size_t(y) * kSize + (x + 1) % kSize;
        for (int c = 0; c < kIn; ++c) {
          float v = 0.3f + 0.2f * n(rng);
          for (int s = 0; s < 3; ++s)
            v += mix[size_t(c) * 3 + s] * (src[p * 3 + s] + 0.7f * src[right * 3 + s]);
          out[p * kIn + c] = c == deadChannel ? 0.0f : v;
        }
      }
  return out;
}

nn::ConvDesc randomConv(std::mt19937& rng) {
  nn::ConvDesc c;
  c.kernelY = c.kernelX = 3;
  c.inChannels = kIn;
  c.outChannels = kOut;
  std::normal_distribution<float> n(0.0f, 0.1f);
  c.weights.resize(size_t(kOut) * kIn * 9);
  for (float& w : c.weights) w = n(rng);
  c.weights[5] = 0.6f;  // an outlier: a coarse step for channel 0
  return c;
}

// sum over outputs of (conv(w) - conv(ref))^2, direct "same" convolution.
double outputError(const nn::ConvDesc& ref, const std::vector<float>& w,
                   const std::vector<float>& in, int batch) {
  double err = 0;
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x)
        for (int o = 0; o < kOut; ++o) {
          double d = 0;
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int sy = y + ky - 1, sx = x + kx - 1;
              if (sy < 0 || sy >= kSize || sx < 0 || sx >= kSize) continue;
              for (int i = 0; i < kIn; ++i) {
                const size_t at = ((size_t(o) * kIn + i) * 3 + ky) * 3 + kx;
                d += double(in[((size_t(b) * kSize + sy) * kSize + sx) * kIn + i]) *
                     (double(w[at]) - ref.weights[at]);
              }
            }
          err += d * d;
        }
  return err;
}

std::vector<double> moments(const std::vector<float>& in, int batch) {
  quant::Im2colMoments m(kIn, 3, 3);
  m.add(in.data(), batch, kSize, kSize);
  return m.secondMoment();
}

}  // namespace

TEST_CASE("gptq: im2col second moment matches explicit rows", "[nn][gptq]") {
  // 2 channels, 3x3 kernel, 2 positions of 3 x 2 points.
  const int ch = 2, ys = 2, xs = 3, batch = 2;
  std::vector<float> in(size_t(batch) * ys * xs * ch);
  for (size_t i = 0; i < in.size(); ++i) in[i] = float(i % 7) - 2.5f + 0.1f * float(i);
  quant::Im2colMoments m(ch, 3, 3);
  m.add(in.data(), 1, ys, xs);
  m.add(in.data() + size_t(ys) * xs * ch, 1, ys, xs);
  REQUIRE(m.rows() == size_t(batch * ys * xs));
  REQUIRE(m.columns() == 18);
  std::vector<double> h = m.secondMoment();
  std::vector<double> want(18 * 18, 0.0);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < ys; ++y)
      for (int x = 0; x < xs; ++x) {
        std::vector<double> row(18, 0.0);
        for (int c = 0; c < ch; ++c)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int sy = y + ky - 1, sx = x + kx - 1;
              if (sy < 0 || sy >= ys || sx < 0 || sx >= xs) continue;
              row[size_t(c) * 9 + ky * 3 + kx] = in[((size_t(b) * ys + sy) * xs + sx) * ch + c];
            }
        for (int i = 0; i < 18; ++i)
          for (int j = 0; j < 18; ++j) want[size_t(i) * 18 + j] += row[i] * row[j] / 12.0;
      }
  for (size_t i = 0; i < want.size(); ++i) CHECK(h[i] == Approx(want[i]).margin(1e-5));
  // A batch of two in one call gives the same sums.
  quant::Im2colMoments both(ch, 3, 3);
  both.add(in.data(), batch, ys, xs);
  std::vector<double> h2 = both.secondMoment();
  for (size_t i = 0; i < want.size(); ++i) CHECK(h2[i] == Approx(h[i]).margin(1e-6));
}

TEST_CASE("gptq: lower output error than round-to-nearest on held-out inputs", "[nn][gptq]") {
  std::mt19937 rng(7);
  nn::ConvDesc conv = randomConv(rng);
  std::mt19937 dataRng(11);
  const std::vector<float> mix = mixing(dataRng);
  const std::vector<float> calib = correlatedInputs(64, mix, dataRng);
  const std::vector<float> held = correlatedInputs(64, mix, dataRng);  // fresh draws

  nn::QuantizedWeights rtn = nn::quantizeConvWeights(conv);
  nn::QuantizedWeights g = quant::gptqConvWeights(conv, moments(calib, 64));
  REQUIRE(g.values.size() == rtn.values.size());
  REQUIRE(g.scales == rtn.scales);
  const std::vector<float> wr = nn::dequantizeConvWeights(rtn, kOut);
  const std::vector<float> wg = nn::dequantizeConvWeights(g, kOut);
  const double inSample = outputError(conv, wg, calib, 64) / outputError(conv, wr, calib, 64);
  const double heldOut = outputError(conv, wg, held, 64) / outputError(conv, wr, held, 64);
  WARN("gptq / rtn output error: calibration " << inSample << ", held out " << heldOut);
  CHECK(inSample < 0.5);
  CHECK(heldOut < 0.5);
  // convOutputError agrees with the direct convolution.
  const double viaH = quant::convOutputError(conv, wg, moments(calib, 64));
  CHECK(viaH * 64 * kSize * kSize == Approx(outputError(conv, wg, calib, 64)).epsilon(1e-3));
  // Round trip: quantizeConvWeights of the dequantized weights gives them back.
  nn::ConvDesc back = conv;
  back.weights = wg;
  nn::QuantizedWeights r = nn::quantizeConvWeights(back);
  CHECK(r.values == g.values);
  for (int o = 0; o < kOut; ++o) CHECK(r.scales[o] == Approx(g.scales[o]).epsilon(1e-5));
}

TEST_CASE("gptq: dead inputs and an all-zero moment", "[nn][gptq]") {
  std::mt19937 rng(3);
  nn::ConvDesc conv = randomConv(rng);
  std::mt19937 dataRng(5);
  std::vector<float> calib = correlatedInputs(32, mixing(dataRng), dataRng, /*deadChannel=*/2);
  std::vector<double> h = moments(calib, 32);
  CHECK(h[size_t(2 * 9) * (kIn * 9) + 2 * 9] == 0.0);  // the dead channel's rows are zero
  nn::QuantizedWeights g = quant::gptqConvWeights(conv, h);
  const std::vector<float> wg = nn::dequantizeConvWeights(g, kOut);
  const std::vector<float> wr = nn::dequantizeConvWeights(nn::quantizeConvWeights(conv), kOut);
  for (float w : wg) REQUIRE(std::isfinite(w));
  CHECK(outputError(conv, wg, calib, 32) < 0.5 * outputError(conv, wr, calib, 32));
  // No information at all: round-to-nearest.
  std::vector<double> zero(h.size(), 0.0);
  CHECK(quant::gptqConvWeights(conv, zero).values == nn::quantizeConvWeights(conv).values);
  CHECK_THROWS(quant::gptqConvWeights(conv, std::vector<double>(10, 1.0)));
}
