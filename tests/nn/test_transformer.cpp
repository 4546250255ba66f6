// The version 17 Eigen kernels (attention with both rotary encodings and
// grouped key/value heads, SwiGLU feed-forward, RMS-norm trunk tip) against
// plain loops written straight from KataGo's layer definitions, on random
// weights, a non-square board, two positions and one or three threads.

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "nn/eigen/thread_pool.h"
#include "nn/eigen/transformer.h"

using namespace hoshi::nn;

namespace {

constexpr int kXSize = 7, kYSize = 5, kArea = kXSize * kYSize, kBatch = 2;

std::vector<float> randomVector(size_t n, std::mt19937& rng, float scale) {
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

MatMulDesc randomDense(int in, int out, std::mt19937& rng) {
  MatMulDesc m;
  m.inChannels = in;
  m.outChannels = out;
  m.weights = randomVector(size_t(in) * out, rng, 1.0f / std::sqrt(float(in)));
  return m;
}

RmsNormDesc randomNorm(int channels, std::mt19937& rng) {
  RmsNormDesc n;
  n.channels = channels;
  n.epsilon = 1e-6f;
  n.weight = randomVector(channels, rng, 0.5f);
  for (float& w : n.weight) w += 1.0f;
  return n;
}

using Rows = std::vector<std::vector<double>>;  // [row][channel]

Rows toRows(const std::vector<float>& v, int rows, int ch) {
  Rows r(rows, std::vector<double>(ch));
  for (int i = 0; i < rows; ++i)
    for (int c = 0; c < ch; ++c) r[i][c] = v[size_t(i) * ch + c];
  return r;
}

Rows normRows(const RmsNormDesc& n, const Rows& x) {
  Rows out = x;
  for (auto& row : out) {
    double ss = 0;
    for (double v : row) ss += v * v;
    const double inv = 1.0 / std::sqrt(ss / double(row.size()) + n.epsilon);
    for (size_t c = 0; c < row.size(); ++c) row[c] *= inv * n.weight[c];
  }
  return out;
}

Rows denseRows(const MatMulDesc& m, const Rows& x) {
  Rows out(x.size(), std::vector<double>(m.outChannels, 0.0));
  for (size_t r = 0; r < x.size(); ++r)
    for (int o = 0; o < m.outChannels; ++o)
      for (int i = 0; i < m.inChannels; ++i)
        out[r][o] += x[r][i] * m.weights[size_t(i) * m.outChannels + o];
  return out;
}

// Angle of pair p of (key/value-group) head g at board point (x, y).
double ropeAngle(const AttentionDesc& a, int g, int p, int x, int y) {
  const int pairs = a.qkHeadDim / 2;
  if (a.rope == RopeKind::kLearned)
    return x * double(a.ropeFreqs[(size_t(g) * pairs + p) * 2]) +
           y * double(a.ropeFreqs[(size_t(g) * pairs + p) * 2 + 1]);
  const int half = pairs / 2;
  const int k = p < half ? p : p - half;
  return (p < half ? y : x) * std::pow(double(a.ropeTheta), -2.0 * k / pairs);
}

void rotate(const AttentionDesc& a, Rows& v, int heads, int groupSize) {
  for (size_t r = 0; r < v.size(); ++r) {
    const int point = int(r) % kArea;
    const int x = point % kXSize, y = point / kXSize;
    for (int h = 0; h < heads; ++h)
      for (int p = 0; p < a.qkHeadDim / 2; ++p) {
        const double t = ropeAngle(a, h / groupSize, p, x, y);
        double& u = v[r][size_t(h) * a.qkHeadDim + 2 * p];
        double& w = v[r][size_t(h) * a.qkHeadDim + 2 * p + 1];
        const double u0 = u, w0 = w;
        u = u0 * std::cos(t) - w0 * std::sin(t);
        w = u0 * std::sin(t) + w0 * std::cos(t);
      }
  }
}

Rows naiveAttention(const AttentionDesc& a, const Rows& x) {
  Rows t = normRows(a.preNorm, x);
  Rows q = denseRows(a.query, t), k = denseRows(a.key, t), v = denseRows(a.value, t);
  const int group = a.heads / a.kvHeads;
  if (a.rope != RopeKind::kNone) {
    rotate(a, q, a.heads, group);
    rotate(a, k, a.kvHeads, 1);
  }
  Rows heads(x.size(), std::vector<double>(size_t(a.heads) * a.vHeadDim, 0.0));
  for (int b = 0; b < kBatch; ++b)
    for (int h = 0; h < a.heads; ++h) {
      const int g = h / group;
      for (int i = 0; i < kArea; ++i) {
        std::vector<double> w(kArea);
        double mx = -1e300, sum = 0;
        for (int j = 0; j < kArea; ++j) {
          double d = 0;
          for (int c = 0; c < a.qkHeadDim; ++c)
            d += q[b * kArea + i][h * a.qkHeadDim + c] * k[b * kArea + j][g * a.qkHeadDim + c];
          w[j] = d / std::sqrt(double(a.qkHeadDim));
          mx = std::max(mx, w[j]);
        }
        for (double& e : w) sum += (e = std::exp(e - mx));
        for (int j = 0; j < kArea; ++j)
          for (int c = 0; c < a.vHeadDim; ++c)
            heads[b * kArea + i][h * a.vHeadDim + c] +=
                w[j] / sum * v[b * kArea + j][g * a.vHeadDim + c];
      }
    }
  Rows out = denseRows(a.output, heads);
  for (size_t r = 0; r < out.size(); ++r)
    for (size_t c = 0; c < out[r].size(); ++c) out[r][c] += x[r][c];
  return out;
}

void requireClose(const std::vector<float>& got, const Rows& want, double tol) {
  double worst = 0;
  for (size_t r = 0; r < want.size(); ++r)
    for (size_t c = 0; c < want[r].size(); ++c)
      worst = std::max(worst, std::fabs(got[r * want[r].size() + c] - want[r][c]) /
                                  std::max(1.0, std::fabs(want[r][c])));
  INFO("worst relative error " << worst);
  REQUIRE(worst < tol);
}

AttentionDesc randomAttention(int channels, int heads, int kvHeads, int qk, int v, RopeKind rope,
                              std::mt19937& rng) {
  AttentionDesc a;
  a.heads = heads;
  a.kvHeads = kvHeads;
  a.qkHeadDim = qk;
  a.vHeadDim = v;
  a.rope = rope;
  a.ropeTheta = 100.0f;
  if (rope == RopeKind::kLearned) a.ropeFreqs = randomVector(size_t(kvHeads) * qk, rng, 0.7f);
  a.preNorm = randomNorm(channels, rng);
  a.query = randomDense(channels, heads * qk, rng);
  a.key = randomDense(channels, kvHeads * qk, rng);
  a.value = randomDense(channels, kvHeads * v, rng);
  a.output = randomDense(heads * v, channels, rng);
  return a;
}

void checkAttention(const AttentionDesc& a, int channels, int threads, std::mt19937& rng) {
  std::vector<float> trunk = randomVector(size_t(kBatch) * kArea * channels, rng, 1.0f);
  Rows want = naiveAttention(a, toRows(trunk, kBatch * kArea, channels));
  RopeTable rope = makeRopeTable(a, kYSize, kXSize);
  std::vector<float> scratch(attentionScratchFloats(a, channels, kBatch, kArea));
  ThreadPool pool(threads);
  runAttention(a, rope, trunk.data(), channels, kBatch, kArea, scratch.data(), pool);
  requireClose(trunk, want, 2e-5);
}

}  // namespace

TEST_CASE("attention matches the naive definition", "[nn][transformer]") {
  std::mt19937 rng(17);
  const int threads = GENERATE(1, 3);
  SECTION("fixed-theta rotary encoding, one key/value head per head") {
    checkAttention(randomAttention(24, 3, 3, 8, 8, RopeKind::kFixed, rng), 24, threads, rng);
  }
  SECTION("learned rotary encoding, grouped key/value heads, smaller value heads") {
    checkAttention(randomAttention(24, 6, 3, 8, 4, RopeKind::kLearned, rng), 24, threads, rng);
  }
  SECTION("no rotary encoding, odd head size, a single key/value head") {
    checkAttention(randomAttention(20, 4, 1, 5, 6, RopeKind::kNone, rng), 20, threads, rng);
  }
}

TEST_CASE("SwiGLU feed-forward matches the naive definition", "[nn][transformer]") {
  std::mt19937 rng(5);
  const int channels = 16, hidden = 40;
  FeedForwardDesc f;
  f.hiddenChannels = hidden;
  f.preNorm = randomNorm(channels, rng);
  f.linear1 = randomDense(channels, hidden, rng);
  f.gate = randomDense(channels, hidden, rng);
  f.linear2 = randomDense(hidden, channels, rng);
  std::vector<float> trunk = randomVector(size_t(kBatch) * kArea * channels, rng, 1.0f);

  const Rows x = toRows(trunk, kBatch * kArea, channels);
  const Rows t = normRows(f.preNorm, x);
  Rows up = denseRows(f.linear1, t);
  const Rows gate = denseRows(f.gate, t);
  for (size_t r = 0; r < up.size(); ++r)
    for (int c = 0; c < hidden; ++c) up[r][c] = up[r][c] / (1.0 + std::exp(-up[r][c])) * gate[r][c];
  Rows want = denseRows(f.linear2, up);
  for (size_t r = 0; r < want.size(); ++r)
    for (int c = 0; c < channels; ++c) want[r][c] += x[r][c];

  std::vector<float> scratch(feedForwardScratchFloats(f, channels, kBatch, kArea));
  ThreadPool pool(GENERATE(1, 3));
  runFeedForward(f, trunk.data(), channels, kBatch, kArea, scratch.data(), pool);
  requireClose(trunk, want, 2e-5);
}

TEST_CASE("RMS-norm trunk tip, per point and over the board", "[nn][transformer]") {
  std::mt19937 rng(9);
  const int channels = 12;
  TipRmsNormDesc n;
  n.channels = channels;
  n.epsilon = 1e-6f;
  n.gamma = randomVector(channels, rng, 1.0f);
  n.beta = randomVector(channels, rng, 0.3f);
  n.activation = Activation::kSilu;
  n.spatial = GENERATE(false, true);
  std::vector<float> in = randomVector(size_t(kBatch) * kArea * channels, rng, 2.0f);
  const Rows x = toRows(in, kBatch * kArea, channels);

  Rows want = x;
  for (int b = 0; b < kBatch; ++b) {
    double boardSq = 0;
    for (int p = 0; p < kArea; ++p)
      for (double v : x[b * kArea + p]) boardSq += v * v;
    for (int p = 0; p < kArea; ++p) {
      auto& row = want[b * kArea + p];
      double ss = 0;
      for (double v : row) ss += v * v;
      const double meanSq = n.spatial ? boardSq / (kArea * channels) : ss / channels;
      const double inv = 1.0 / std::sqrt(meanSq + n.epsilon);
      for (int c = 0; c < channels; ++c) {
        const double v = row[c] * inv * n.gamma[c] + n.beta[c];
        row[c] = v / (1.0 + std::exp(-v));
      }
    }
  }
  std::vector<float> out(in.size());
  ThreadPool pool(2);
  applyTipRmsNorm(n, in.data(), out.data(), kBatch, kArea, pool);
  requireClose(out, want, 1e-5);
}
