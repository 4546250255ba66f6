#pragma once

// A deliberately plain forward pass of a KataGo net, written from the model
// description alone: planar [channel][y][x] doubles, direct convolutions, no
// Winograd, no threads. Tests compare the real backends against it.

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/model.h"

namespace hoshi::test {

struct NaiveOutput {
  std::vector<double> policy;  // [channels][y][x]
  std::vector<double> pass, value, score;
  std::vector<double> ownership;  // [y][x]
};

class NaiveNet {
 public:
  NaiveNet(const nn::ModelDesc& m, int xSize, int ySize) : m_(m), xs_(xSize), ys_(ySize) {}

  using Plane = std::vector<double>;  // [c][y][x]

  NaiveOutput run(const float* spatial, const float* global) const {
    const int area = xs_ * ys_;
    Plane in(spatial, spatial + size_t(m_.numInputChannels) * area);
    Plane x = conv(m_.trunk.initialConv, in);
    std::vector<double> g(global, global + m_.numInputGlobalChannels);
    std::vector<double> gb = dense(m_.trunk.initialMatMul, g);
    addChannelBias(x, gb);
    for (const nn::BlockDesc& b : m_.trunk.blocks) block(b, x);
    Plane t = normAct(m_.trunk.tipNorm, x);
    NaiveOutput o;
    policyHead(t, o);
    valueHead(t, o);
    return o;
  }

 private:
  static double act(double v, nn::Activation a) {
    switch (a) {
      case nn::Activation::kIdentity:
        return v;
      case nn::Activation::kRelu:
        return std::max(v, 0.0);
      case nn::Activation::kMish:
        return v * std::tanh(std::log1p(std::exp(v)));
      case nn::Activation::kSilu:
        return v / (1.0 + std::exp(-v));
    }
    return v;
  }

  Plane conv(const nn::ConvDesc& c, const Plane& in) const {
    const int area = xs_ * ys_;
    Plane out(size_t(c.outChannels) * area, 0.0);
    const int py = c.kernelY / 2, px = c.kernelX / 2;
    for (int oc = 0; oc < c.outChannels; ++oc)
      for (int y = 0; y < ys_; ++y)
        for (int x = 0; x < xs_; ++x) {
          double s = 0;
          for (int ic = 0; ic < c.inChannels; ++ic)
            for (int ky = 0; ky < c.kernelY; ++ky)
              for (int kx = 0; kx < c.kernelX; ++kx) {
                int sy = y + ky - py, sx = x + kx - px;
                if (sy < 0 || sy >= ys_ || sx < 0 || sx >= xs_) continue;
                s += double(
                         c.weights[((size_t(oc) * c.inChannels + ic) * c.kernelY + ky) * c.kernelX +
                                   kx]) *
                     in[(size_t(ic) * ys_ + sy) * xs_ + sx];
              }
          out[(size_t(oc) * ys_ + y) * xs_ + x] = s;
        }
    return out;
  }

  Plane normAct(const nn::NormActDesc& n, const Plane& in) const {
    const int area = xs_ * ys_;
    Plane out(in.size());
    for (int c = 0; c < n.channels; ++c)
      for (int p = 0; p < area; ++p)
        out[size_t(c) * area + p] =
            act(in[size_t(c) * area + p] * n.scale[c] + n.bias[c], n.activation);
    return out;
  }

  static std::vector<double> dense(const nn::MatMulDesc& m, const std::vector<double>& in) {
    std::vector<double> out(m.outChannels, 0.0);
    for (int i = 0; i < m.inChannels; ++i)
      for (int o = 0; o < m.outChannels; ++o)
        out[o] += in[i] * m.weights[size_t(i) * m.outChannels + o];
    return out;
  }

  void addChannelBias(Plane& p, const std::vector<double>& b) const {
    const int area = xs_ * ys_;
    for (size_t c = 0; c < b.size(); ++c)
      for (int i = 0; i < area; ++i) p[c * area + i] += b[c];
  }

  std::vector<double> pool(const Plane& p, int channels, bool valueHead) const {
    const int area = xs_ * ys_;
    const double w = std::sqrt(double(area));
    std::vector<double> out(3 * channels);
    for (int c = 0; c < channels; ++c) {
      double sum = 0, mx = -1e300;
      for (int i = 0; i < area; ++i) {
        sum += p[size_t(c) * area + i];
        mx = std::max(mx, p[size_t(c) * area + i]);
      }
      double mean = sum / area;
      out[c] = mean;
      out[channels + c] = mean * (w - 14.0) / 10.0;
      out[2 * channels + c] = valueHead ? mean * ((w - 14.0) * (w - 14.0) / 100.0 - 0.1) : mx;
    }
    return out;
  }

  void block(const nn::BlockDesc& b, Plane& x) const {
    Plane t = normAct(b.preNorm, x);
    Plane mid;
    if (b.kind == nn::BlockKind::kNestedBottleneck) {
      Plane inner = conv(b.conv1, t);
      for (const nn::BlockDesc& ib : b.inner) block(ib, inner);
      mid = normAct(b.midNorm, inner);
    } else {
      Plane r = conv(b.conv1, t);
      if (b.kind == nn::BlockKind::kGlobalPooling) {
        Plane g = normAct(b.gpoolNorm, conv(b.gpoolConv, t));
        addChannelBias(r, dense(b.gpoolToBias, pool(g, b.gpoolNorm.channels, false)));
      }
      mid = normAct(b.midNorm, r);
    }
    Plane d = conv(b.conv2, mid);
    for (size_t i = 0; i < x.size(); ++i) x[i] += d[i];
  }

  void policyHead(const Plane& t, NaiveOutput& o) const {
    const nn::PolicyHeadDesc& h = m_.policyHead;
    Plane p1 = conv(h.p1Conv, t);
    Plane g1 = normAct(h.g1Norm, conv(h.g1Conv, t));
    std::vector<double> pooled = pool(g1, h.g1Norm.channels, false);
    addChannelBias(p1, dense(h.gpoolToBias, pooled));
    o.policy = conv(h.p2Conv, normAct(h.p1Norm, p1));
    if (h.hasPassMlp) {
      std::vector<double> hidden = dense(h.gpoolToPass, pooled);
      for (int c = 0; c < h.passBias.channels; ++c)
        hidden[c] = act(hidden[c] + h.passBias.weights[c], h.passActivation);
      o.pass = dense(h.gpoolToPass2, hidden);
    } else {
      o.pass = dense(h.gpoolToPass, pooled);
    }
  }

  void valueHead(const Plane& t, NaiveOutput& o) const {
    const nn::ValueHeadDesc& h = m_.valueHead;
    Plane v1 = normAct(h.v1Norm, conv(h.v1Conv, t));
    std::vector<double> v2 = dense(h.v2Mul, pool(v1, h.v1Norm.channels, true));
    for (int c = 0; c < h.v2Bias.channels; ++c)
      v2[c] = act(v2[c] + h.v2Bias.weights[c], h.v2Activation);
    o.value = dense(h.v3Mul, v2);
    for (int c = 0; c < 3; ++c) o.value[c] += h.v3Bias.weights[c];
    o.score = dense(h.sv3Mul, v2);
    for (int c = 0; c < h.sv3Bias.channels; ++c) o.score[c] += h.sv3Bias.weights[c];
    o.ownership = conv(h.ownershipConv, v1);
  }

  const nn::ModelDesc& m_;
  int xs_, ys_;
};

}  // namespace hoshi::test
