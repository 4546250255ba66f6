#include "nn/eigen/transformer.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/activation.h"
#include "nn/eigen/thread_pool.h"

namespace hoshi::nn {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstView = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;
using View = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;

// Query rows handled by one attention task: small enough to spread one
// position over the cores and to keep the task's scores on the stack (a heap
// buffer of this size is handed back to the kernel and faulted in again on
// every call), large enough for a GEMM to be efficient.
constexpr int kQueryRowsPerTask = 32;
constexpr int kMaxArea = 19 * 19;

ConstView constView(const float* p, int rows, int cols, int stride) {
  return ConstView(p, rows, cols, Eigen::OuterStride<>(stride));
}

View view(float* p, int rows, int cols, int stride) {
  return View(p, rows, cols, Eigen::OuterStride<>(stride));
}

// out[r] = in[r] * W for `rows` rows of in (stride in.cols), out stride out.cols.
void dense(const MatMulDesc& m, const float* in, float* out, int rows) {
  ConstView w = constView(m.weights.data(), m.inChannels, m.outChannels, m.outChannels);
  view(out, rows, m.outChannels, m.outChannels).noalias() =
      constView(in, rows, m.inChannels, m.inChannels) * w;
}

// Per-point RMS norm over `channels`, scaled by weight.
void rmsNormRows(const RmsNormDesc& n, const float* in, float* out, int rows, int channels) {
  for (int r = 0; r < rows; ++r) {
    const float* src = in + size_t(r) * channels;
    float* dst = out + size_t(r) * channels;
    float sumSq = 0.0f;
    for (int c = 0; c < channels; ++c) sumSq += src[c] * src[c];
    const float inv = 1.0f / std::sqrt(sumSq / float(channels) + n.epsilon);
    for (int c = 0; c < channels; ++c) dst[c] = src[c] * inv * n.weight[c];
  }
}

// Rotates the channel pairs of `heads` heads of one point (head h uses table
// tableOf(h)).
void rotatePoint(float* v, int heads, int headDim, const RopeTable& rope, int point,
                 int headsPerTable) {
  for (int h = 0; h < heads; ++h) {
    const int t = rope.tables == 1 ? 0 : h / headsPerTable;
    const size_t base = size_t(t) * rope.pairs * rope.area + point;
    float* pair = v + size_t(h) * headDim;
    for (int p = 0; p < rope.pairs; ++p) {
      const float c = rope.cos[base + size_t(p) * rope.area];
      const float s = rope.sin[base + size_t(p) * rope.area];
      const float x0 = pair[2 * p], x1 = pair[2 * p + 1];
      pair[2 * p] = x0 * c - x1 * s;
      pair[2 * p + 1] = x0 * s + x1 * c;
    }
  }
}

// Softmax of each row of scale * s, a [rows][cols] block, in place (scale >
// 0). Eigen's array exp is vectorised: the exponentials are a large share of
// attention's time.
void softmaxRows(float* s, int rows, int cols, float scale) {
  for (int r = 0; r < rows; ++r) {
    Eigen::Map<Eigen::ArrayXf> row(s + size_t(r) * cols, cols);
    row = ((row - row.maxCoeff()) * scale).exp();
    row *= 1.0f / row.sum();
  }
}

struct AttentionBuffers {
  float *normed, *q, *k, *v, *heads;
};

AttentionBuffers splitScratch(const AttentionDesc& a, int channels, size_t rows, float* scratch) {
  AttentionBuffers b;
  b.normed = scratch;
  b.q = b.normed + rows * channels;
  b.k = b.q + rows * a.query.outChannels;
  b.v = b.k + rows * a.key.outChannels;
  b.heads = b.v + rows * a.value.outChannels;
  return b;
}

// One (position, head, block of query rows) of scaled dot-product attention.
void attendTask(const AttentionDesc& a, const AttentionBuffers& b, int area, int task) {
  const int blocks = (area + kQueryRowsPerTask - 1) / kQueryRowsPerTask;
  const int rowBlock = task % blocks;
  const int h = (task / blocks) % a.heads;
  const int n = task / blocks / a.heads;
  const int kvh = h / (a.heads / a.kvHeads);
  const int r0 = rowBlock * kQueryRowsPerTask;
  const int rows = std::min(kQueryRowsPerTask, area - r0);
  const int qStride = a.query.outChannels, kStride = a.key.outChannels;
  const int vStride = a.value.outChannels, oStride = a.output.inChannels;
  const size_t pos = size_t(n) * area;

  ConstView q =
      constView(b.q + (pos + r0) * qStride + size_t(h) * a.qkHeadDim, rows, a.qkHeadDim, qStride);
  ConstView k =
      constView(b.k + pos * kStride + size_t(kvh) * a.qkHeadDim, area, a.qkHeadDim, kStride);
  ConstView v =
      constView(b.v + pos * vStride + size_t(kvh) * a.vHeadDim, area, a.vHeadDim, vStride);
  float scores[kQueryRowsPerTask * kMaxArea];
  View s = view(scores, rows, area, area);
  s.noalias() = q * k.transpose();
  softmaxRows(scores, rows, area, 1.0f / std::sqrt(float(a.qkHeadDim)));
  view(b.heads + (pos + r0) * oStride + size_t(h) * a.vHeadDim, rows, a.vHeadDim, oStride)
      .noalias() = s * v;
}

}  // namespace

RopeTable makeRopeTable(const AttentionDesc& a, int ySize, int xSize) {
  RopeTable t;
  if (a.rope == RopeKind::kNone) return t;
  t.pairs = a.qkHeadDim / 2;
  t.area = ySize * xSize;
  t.tables = a.rope == RopeKind::kLearned ? a.kvHeads : 1;
  t.cos.resize(size_t(t.tables) * t.pairs * t.area);
  t.sin.resize(t.cos.size());
  const int half = t.pairs / 2;  // fixed theta: first half rotates with y, second with x
  for (int tb = 0; tb < t.tables; ++tb)
    for (int p = 0; p < t.pairs; ++p)
      for (int y = 0; y < ySize; ++y)
        for (int x = 0; x < xSize; ++x) {
          float angle;
          if (a.rope == RopeKind::kLearned) {
            const float* f = &a.ropeFreqs[(size_t(tb) * t.pairs + p) * 2];
            angle = float(x) * f[0] + float(y) * f[1];
          } else {
            const int k = p < half ? p : p - half;
            const float freq = 1.0f / std::pow(a.ropeTheta, float(2 * k) / float(t.pairs));
            angle = float(p < half ? y : x) * freq;
          }
          const size_t i = (size_t(tb) * t.pairs + p) * t.area + size_t(y) * xSize + x;
          t.cos[i] = std::cos(angle);
          t.sin[i] = std::sin(angle);
        }
  return t;
}

size_t attentionScratchFloats(const AttentionDesc& a, int channels, int batch, int area) {
  return size_t(batch) * area *
         (channels + a.query.outChannels + a.key.outChannels + a.value.outChannels +
          a.output.inChannels);
}

size_t feedForwardScratchFloats(const FeedForwardDesc& f, int channels, int batch, int area) {
  return size_t(batch) * area * (channels + 2 * f.hiddenChannels);
}

void runAttention(const AttentionDesc& a, const RopeTable& rope, float* trunk, int channels,
                  int batch, int area, float* scratch, ThreadPool& pool) {
  if (area > kMaxArea) throw std::invalid_argument("attention: board larger than 19x19");
  const int rows = batch * area;
  const AttentionBuffers b = splitScratch(a, channels, size_t(rows), scratch);
  pool.run(rows, [&](int begin, int end) {
    const int n = end - begin;
    float* normed = b.normed + size_t(begin) * channels;
    rmsNormRows(a.preNorm, trunk + size_t(begin) * channels, normed, n, channels);
    float* q = b.q + size_t(begin) * a.query.outChannels;
    float* k = b.k + size_t(begin) * a.key.outChannels;
    dense(a.query, normed, q, n);
    dense(a.key, normed, k, n);
    dense(a.value, normed, b.v + size_t(begin) * a.value.outChannels, n);
    if (a.rope == RopeKind::kNone) return;
    for (int r = 0; r < n; ++r) {
      const int point = (begin + r) % area;
      rotatePoint(q + size_t(r) * a.query.outChannels, a.heads, a.qkHeadDim, rope, point,
                  a.heads / a.kvHeads);
      rotatePoint(k + size_t(r) * a.key.outChannels, a.kvHeads, a.qkHeadDim, rope, point, 1);
    }
  });
  const int tasks = batch * a.heads * ((area + kQueryRowsPerTask - 1) / kQueryRowsPerTask);
  pool.run(tasks, [&](int begin, int end) {
    for (int t = begin; t < end; ++t) attendTask(a, b, area, t);
  });
  pool.run(rows, [&](int begin, int end) {
    const int n = end - begin;
    float* out = b.normed + size_t(begin) * channels;  // normed rows are no longer needed
    dense(a.output, b.heads + size_t(begin) * a.output.inChannels, out, n);
    float* dst = trunk + size_t(begin) * channels;
    for (size_t i = 0; i < size_t(n) * channels; ++i) dst[i] += out[i];
  });
}

void runFeedForward(const FeedForwardDesc& f, float* trunk, int channels, int batch, int area,
                    float* scratch, ThreadPool& pool) {
  const int rows = batch * area;
  const int hidden = f.hiddenChannels;
  pool.run(rows, [&](int begin, int end) {
    const int n = end - begin;
    float* normed = scratch + size_t(begin) * channels;
    float* up = scratch + size_t(rows) * channels + size_t(begin) * 2 * hidden;
    float* gate = up + size_t(n) * hidden;
    float* x = trunk + size_t(begin) * channels;
    rmsNormRows(f.preNorm, x, normed, n, channels);
    dense(f.linear1, normed, up, n);
    dense(f.gate, normed, gate, n);
    Eigen::Map<Eigen::ArrayXf> a(up, Eigen::Index(n) * hidden);
    Eigen::Map<const Eigen::ArrayXf> g(gate, Eigen::Index(n) * hidden);
    a = a / (1.0f + (-a).exp()) * g;
    dense(f.linear2, up, normed, n);
    for (size_t i = 0; i < size_t(n) * channels; ++i) x[i] += normed[i];
  });
}

void applyTipRmsNorm(const TipRmsNormDesc& n, const float* in, float* out, int batch, int area,
                     ThreadPool& pool) {
  const int ch = n.channels;
  auto finish = [&](size_t row, float inv) {
    const float* src = in + row * ch;
    float* dst = out + row * ch;
    for (int c = 0; c < ch; ++c)
      dst[c] = activate(src[c] * inv * n.gamma[c] + n.beta[c], n.activation);
  };
  if (n.spatial) {
    for (int b = 0; b < batch; ++b) {
      const float* src = in + size_t(b) * area * ch;
      double sumSq = 0.0;
      for (size_t i = 0; i < size_t(area) * ch; ++i) sumSq += double(src[i]) * src[i];
      const float inv = float(1.0 / std::sqrt(sumSq / (double(area) * ch) + n.epsilon));
      for (int p = 0; p < area; ++p) finish(size_t(b) * area + p, inv);
    }
    return;
  }
  pool.run(batch * area, [&](int begin, int end) {
    for (int r = begin; r < end; ++r) {
      const float* src = in + size_t(r) * ch;
      float sumSq = 0.0f;
      for (int c = 0; c < ch; ++c) sumSq += src[c] * src[c];
      finish(size_t(r), 1.0f / std::sqrt(sumSq / float(ch) + n.epsilon));
    }
  });
}

}  // namespace hoshi::nn
