// Winograd F(4x4,3x3) and F(3x3,3x3), im2col and 1x1 convolutions against a
// direct convolution on random data.

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "nn/eigen/eigen_conv.h"
#include "nn/eigen/thread_pool.h"
#include "nn/eigen/winograd.h"

using namespace hoshi;

namespace {

// Direct "same" convolution in double, NHWC in and out.
std::vector<double> directConv(const nn::ConvDesc& c, const std::vector<float>& in, int batch,
                               int ys, int xs) {
  std::vector<double> out(size_t(batch) * ys * xs * c.outChannels, 0.0);
  for (int b = 0; b < batch; ++b)
    for (int y = 0; y < ys; ++y)
      for (int x = 0; x < xs; ++x)
        for (int oc = 0; oc < c.outChannels; ++oc) {
          double s = 0;
          for (int ky = 0; ky < c.kernelY; ++ky)
            for (int kx = 0; kx < c.kernelX; ++kx) {
              int sy = y + ky - c.kernelY / 2, sx = x + kx - c.kernelX / 2;
              if (sy < 0 || sy >= ys || sx < 0 || sx >= xs) continue;
              for (int ic = 0; ic < c.inChannels; ++ic)
                s +=
                    double(in[((size_t(b) * ys + sy) * xs + sx) * c.inChannels + ic]) *
                    c.weights[((size_t(oc) * c.inChannels + ic) * c.kernelY + ky) * c.kernelX + kx];
            }
          out[((size_t(b) * ys + y) * xs + x) * c.outChannels + oc] = s;
        }
  return out;
}

nn::ConvDesc randomConv(int k, int in, int out, std::mt19937& rng) {
  std::normal_distribution<float> d(0.0f, 1.0f / std::sqrt(float(k * k * in)));
  nn::ConvDesc c;
  c.kernelY = c.kernelX = k;
  c.inChannels = in;
  c.outChannels = out;
  c.weights.resize(size_t(k) * k * in * out);
  for (float& w : c.weights) w = d(rng);
  return c;
}

void check(int k, int in, int out, int batch, int ys, int xs, int threads, bool winograd) {
  INFO(k << "x" << k << " " << in << "->" << out << " batch " << batch << " board " << xs << "x"
         << ys << " threads " << threads);
  std::mt19937 rng(k * 1000 + in * 10 + out + ys);
  nn::ConvDesc c = randomConv(k, in, out, rng);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> input(size_t(batch) * ys * xs * in);
  for (float& v : input) v = u(rng);
  nn::ConvOp op(c, winograd);
  if (k == 3 && winograd) REQUIRE(op.method() == nn::ConvOp::Method::kWinograd);
  // The op must not need the desc's weights once made (the evaluator drops
  // them): F(3x3) filters are made later, from the F(4x4) ones.
  nn::ConvDesc kept = c;
  std::fill(c.weights.begin(), c.weights.end(), std::nanf(""));
  nn::ThreadPool pool(threads);
  std::vector<float> scratch(op.scratchFloats(batch, ys, xs));
  std::vector<float> got(size_t(batch) * ys * xs * out, 0.5f);
  op.apply(input.data(), got.data(), batch, ys, xs, scratch.data(), pool, false);
  std::vector<double> want = directConv(kept, input, batch, ys, xs);
  for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(1e-4));
  // Accumulating adds onto what is there.
  op.apply(input.data(), got.data(), batch, ys, xs, scratch.data(), pool, true);
  for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == Approx(2 * want[i]).margin(2e-4));
}

}  // namespace

TEST_CASE("Winograd 3x3 convolution equals a direct convolution", "[nn][winograd]") {
  check(3, 96, 96, 1, 19, 19, 1, true);
  check(3, 96, 64, 2, 19, 19, 2, true);
  check(3, 130, 7, 1, 9, 9, 1, true);  // channels past one 64-wide chunk
  check(3, 5, 9, 3, 7, 13, 2, true);   // rectangular, partial tiles
  check(3, 4, 4, 1, 2, 2, 1, true);    // smaller than one tile
  check(3, 16, 16, 1, 4, 8, 3, true);  // exact tiles
  check(3, 96, 96, 2, 9, 9, 2, true);  // F(3x3): 9x9 in exact 3x3 tiles
  check(3, 8, 8, 1, 5, 5, 1, true);    // F(3x3) with partial tiles
}

namespace {

// Runs the transforms of one output tile side by hand (a plain product per
// point), so each size is checked on every board, not only where ConvOp
// picks it.
std::vector<float> winogradByHand(const nn::ConvDesc& c, const std::vector<float>& in, int batch,
                                  int ys, int xs, int outTile) {
  nn::winograd::Geometry g{batch, ys, xs, outTile};
  const int tiles = g.tiles(), points = g.points(), ic = c.inChannels, oc = c.outChannels;
  std::vector<float> u = nn::winograd::transformFilters(c.weights.data(), ic, oc, outTile);
  std::vector<float> v(size_t(points) * tiles * ic), m(size_t(points) * tiles * oc, 0.0f);
  nn::winograd::transformInput(in.data(), ic, g, v.data(), 0, tiles);
  for (int p = 0; p < points; ++p)
    for (int t = 0; t < tiles; ++t)
      for (int o = 0; o < oc; ++o) {
        double s = 0;
        for (int i = 0; i < ic; ++i)
          s += double(v[(size_t(p) * tiles + t) * ic + i]) * u[(size_t(p) * ic + i) * oc + o];
        m[(size_t(p) * tiles + t) * oc + o] = float(s);
      }
  std::vector<float> out(size_t(batch) * ys * xs * oc, 0.0f);
  nn::winograd::transformOutput(m.data(), oc, g, out.data(), false, 0, tiles);
  return out;
}

}  // namespace

TEST_CASE("Both Winograd tile sizes equal a direct convolution on any board", "[nn][winograd]") {
  std::mt19937 rng(7);
  for (int outTile : {3, 4})
    for (auto [ys, xs] : {std::pair{9, 9}, {19, 19}, {13, 7}, {2, 2}, {6, 12}}) {
      INFO("F(" << outTile << "x" << outTile << ") board " << xs << "x" << ys);
      nn::ConvDesc c = randomConv(3, 70, 9, rng);
      std::uniform_real_distribution<float> d(-1.0f, 1.0f);
      std::vector<float> input(size_t(2) * ys * xs * 70);
      for (float& x : input) x = d(rng);
      std::vector<float> got = winogradByHand(c, input, 2, ys, xs, outTile);
      std::vector<double> want = directConv(c, input, 2, ys, xs);
      for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(1e-4));
    }
}

TEST_CASE("3x3 filters come back from their F(4x4) transform", "[nn][winograd]") {
  std::mt19937 rng(3);
  nn::ConvDesc c = randomConv(3, 20, 11, rng);
  std::vector<float> u = nn::winograd::transformFilters(c.weights.data(), 20, 11, 4);
  std::vector<float> back = nn::winograd::filtersFromF4(u.data(), 20, 11);
  REQUIRE(back.size() == c.weights.size());
  for (size_t i = 0; i < back.size(); ++i) REQUIRE(back[i] == Approx(c.weights[i]).margin(1e-6));
}

TEST_CASE("Each board takes the Winograd tile with the fewest multiplies", "[nn][winograd]") {
  CHECK(nn::winograd::bestOutputTile(9, 9) == 3);  // 9 tiles of 25 points, not 9 of 36
  CHECK(nn::winograd::bestOutputTile(19, 19) == 4);
  CHECK(nn::winograd::bestOutputTile(13, 13) == 4);
  CHECK(nn::winograd::bestOutputTile(6, 6) == 3);
  CHECK(nn::winograd::bestOutputTile(18, 18) == 4);  // a tie: 900 points each
}

TEST_CASE("im2col and 1x1 convolutions equal a direct convolution", "[nn][winograd]") {
  check(5, 22, 96, 1, 19, 19, 2, true);
  check(3, 12, 10, 2, 9, 9, 1, false);
  check(1, 96, 32, 2, 19, 19, 2, true);
  check(7, 3, 5, 1, 6, 5, 1, true);
}

TEST_CASE("Winograd counts 36 multiplies per 4x4 output tile", "[nn][winograd]") {
  std::mt19937 rng(1);
  nn::ConvOp op(randomConv(3, 96, 96, rng));
  // 19x19 needs 5x5 tiles of 4x4 outputs.
  CHECK(op.multiplies(1, 19, 19) == int64_t(36) * 25 * 96 * 96);
  CHECK(op.directMultiplies(1, 19, 19) == int64_t(9) * 361 * 96 * 96);
  // 9x9 takes F(3x3): 3x3 tiles of 25 points.
  CHECK(op.multiplies(1, 9, 9) == int64_t(25) * 9 * 96 * 96);
}

TEST_CASE("F(3x3) filters are prepared only once a board needs them", "[nn][winograd]") {
  std::mt19937 rng(5);
  nn::ConvDesc c = randomConv(3, 96, 96, rng);
  nn::ConvOp op(c);
  const int64_t f4 = op.weightBytes();
  CHECK(f4 == int64_t(36) * 96 * 96 * 4);  // 96 outputs are whole column blocks
  nn::ThreadPool pool(1);
  std::vector<float> in(19 * 19 * 96, 0.25f), out(19 * 19 * 96);
  std::vector<float> scratch(op.scratchFloats(1, 19, 19));
  op.apply(in.data(), out.data(), 1, 19, 19, scratch.data(), pool, false);
  CHECK(op.weightBytes() == f4);
  scratch.resize(op.scratchFloats(1, 9, 9));
  op.apply(in.data(), out.data(), 1, 9, 9, scratch.data(), pool, false);
  CHECK(op.weightBytes() == f4 + int64_t(25) * 96 * 96 * 4);
}
