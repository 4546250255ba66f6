#include "nn/xnnpack/xnn_net.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "nn/activation.h"
#include "nn/cpu_ops.h"

namespace hoshi::nn::xnn {

namespace {

void check(xnn_status s, const char* what) {
  if (s != xnn_status_success)
    throw std::runtime_error(std::string("xnnpack: ") + what + " failed (status " +
                             std::to_string(int(s)) + ")");
}

// Round to nearest with the 1.5 * 2^23 trick: plain arithmetic, so the loop
// vectorises (nearbyint would be a call per element).
inline float roundFast(float v) {
  constexpr float kMagic = 12582912.0f;
  return (v + kMagic) - kMagic;
}

void quantize(const float* in, int8_t* out, size_t n, const TensorQuant& q) {
  const float inv = 1.0f / q.scale, zp = float(q.zeroPoint);
  for (size_t i = 0; i < n; ++i) {
    float v = std::clamp(in[i] * inv + zp, -128.0f, 127.0f);
    out[i] = int8_t(roundFast(v));
  }
}

// rows x channels, a dequantisation step per channel.
void dequantize(const int8_t* in, float* out, size_t rows, const std::vector<float>& step, int zp) {
  const size_t ch = step.size();
  const float z = float(zp);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < ch; ++c) out[r * ch + c] = (float(in[r * ch + c]) - z) * step[c];
}

// out[b] = in[b] * W for a [batch][in] block (W stored [in][out]).
void dense(const MatMulDesc& m, const float* in, float* out, int batch) {
  for (int b = 0; b < batch; ++b) {
    float* o = out + size_t(b) * m.outChannels;
    std::fill(o, o + m.outChannels, 0.0f);
    for (int i = 0; i < m.inChannels; ++i) {
      const float a = in[size_t(b) * m.inChannels + i];
      const float* w = m.weights.data() + size_t(i) * m.outChannels;
      for (int c = 0; c < m.outChannels; ++c) o[c] += a * w[c];
    }
  }
}

bool fusable(Activation a) {
  return a == Activation::kRelu || a == Activation::kIdentity;
}

}  // namespace

ConvUnit::ConvUnit(const ConvDesc& conv, const std::vector<float>* bias, bool relu,
                   const TensorQuant* inQ, const TensorQuant* outQ, const QuantizedWeights* stored)
    : int8_(inQ && outQ), inC_(conv.inChannels), outC_(conv.outChannels) {
  const size_t count = size_t(outC_) * inC_ * conv.kernelY * conv.kernelX;
  if ((int8_ && stored ? stored->values.size() : conv.weights.size()) != count ||
      (stored && int8_ && stored->scales.size() != size_t(outC_)))
    throw std::runtime_error("xnnpack backend: convolution '" + conv.name +
                             "' has no weights of its shape (an INT8 one needs its scales)");
  if (conv.kernelY % 2 == 0 || conv.kernelX % 2 == 0)
    throw std::runtime_error("xnnpack backend: even kernel in '" + conv.name + "'");
  const uint32_t py = conv.kernelY / 2, px = conv.kernelX / 2;
  const size_t taps = size_t(conv.kernelY) * conv.kernelX;
  // OIHW (ours) to OHWI (XNNPACK).
  auto toOhwi = [&](auto& dst, const auto& src) {
    for (int o = 0; o < outC_; ++o)
      for (size_t t = 0; t < taps; ++t)
        for (int i = 0; i < inC_; ++i)
          dst[(size_t(o) * taps + t) * inC_ + i] = src[(size_t(o) * inC_ + i) * taps + t];
  };
  if (int8_) {
    inQ_ = *inQ;
    outQ_ = *outQ;
    // Per-channel output: channel o computed 1 / factor[o] times smaller,
    // which only changes its weight scale (per-channel weights).
    std::vector<float> scaledBias = bias ? *bias : std::vector<float>(outC_, 0.0f);
    QuantizedWeights computed;
    if (!stored) computed = quantizeConvWeights(conv);
    const QuantizedWeights& q = stored ? *stored : computed;
    std::vector<float> weightScales = q.scales;
    outStep_.assign(outC_, outQ_.producerScale());
    if (!outQ_.channel.empty() && int(outQ_.channel.size()) != outC_)
      throw std::runtime_error("xnnpack backend: channel factors do not match '" + conv.name + "'");
    for (int o = 0; o < outC_ && !outQ_.channel.empty(); ++o) {
      const float f = outQ_.channel[o];
      weightScales[o] /= f;
      scaledBias[o] /= f;
      outStep_[o] *= f;
    }
    std::vector<int8_t> kernel(count);
    toOhwi(kernel, q.values);
    std::vector<int32_t> bias32(outC_, 0);
    for (int o = 0; o < outC_; ++o)
      bias32[o] = int32_t(std::lrint(scaledBias[o] / (inQ_.scale * weightScales[o])));
    const int8_t outMin = int8_t(relu ? std::max(-128, outQ_.zeroPoint) : -128);
    check(xnn_create_convolution2d_nhwc_qc8(
              py, px, py, px, conv.kernelY, conv.kernelX, 1, 1, 1, 1, 1, inC_, outC_, inC_, outC_,
              int8_t(inQ_.zeroPoint), inQ_.scale, weightScales.data(), kernel.data(), bias32.data(),
              int8_t(outQ_.zeroPoint), outQ_.producerScale(), outMin, 127, 0, &op_),
          "create qc8 convolution");
  } else {
    std::vector<float> kernel(conv.weights.size());
    toOhwi(kernel, conv.weights);
    check(xnn_create_convolution2d_nhwc_f32(py, px, py, px, conv.kernelY, conv.kernelX, 1, 1, 1, 1,
                                            1, inC_, outC_, inC_, outC_, kernel.data(),
                                            bias ? bias->data() : nullptr,
                                            relu ? 0.0f : -std::numeric_limits<float>::infinity(),
                                            std::numeric_limits<float>::infinity(), 0, &op_),
          "create f32 convolution");
  }
}

ConvUnit::~ConvUnit() {
  if (op_) xnn_delete_operator(op_);
}

void ConvUnit::setup(const void* in, void* out, int batch, int y, int x, pthreadpool_t pool) {
  if (in == lastIn_ && out == lastOut_ && batch == lastBatch_ && y == lastY_ && x == lastX_) return;
  if (int8_)
    check(xnn_setup_convolution2d_nhwc_qc8(op_, batch, y, x, static_cast<const int8_t*>(in),
                                           static_cast<int8_t*>(out), pool),
          "setup qc8 convolution");
  else
    check(xnn_setup_convolution2d_nhwc_f32(op_, batch, y, x, static_cast<const float*>(in),
                                           static_cast<float*>(out), pool),
          "setup f32 convolution");
  lastIn_ = in, lastOut_ = out, lastBatch_ = batch, lastY_ = y, lastX_ = x;
}

void ConvUnit::run(const float* in, float* out, int batch, int y, int x, pthreadpool_t pool) {
  const size_t rows = size_t(batch) * y * x;
  if (!int8_) {
    setup(in, out, batch, y, x, pool);
    check(xnn_run_operator(op_, pool), "run f32 convolution");
    return;
  }
  if (qIn_.size() < rows * inC_) {
    qIn_.resize(rows * inC_);
    qOut_.resize(rows * outC_);
    lastIn_ = nullptr;  // set up again with the new buffers
  }
  quantize(in, qIn_.data(), rows * inC_, inQ_);
  setup(qIn_.data(), qOut_.data(), batch, y, x, pool);
  check(xnn_run_operator(op_, pool), "run qc8 convolution");
  dequantize(qOut_.data(), out, rows, outStep_, outQ_.zeroPoint);
}

namespace {

void dropConvWeights(ModelDesc& m) {
  auto drop = [](ConvDesc& c) { std::vector<float>().swap(c.weights); };
  for (BlockDesc& b : m.trunk.blocks) {
    drop(b.conv1);
    drop(b.gpoolConv);
    drop(b.conv2);
  }
  drop(m.trunk.initialConv);
  for (ConvDesc* c : {&m.policyHead.p1Conv, &m.policyHead.g1Conv, &m.policyHead.p2Conv,
                      &m.valueHead.v1Conv, &m.valueHead.ownershipConv})
    drop(*c);
}

}  // namespace

Net::Net(std::shared_ptr<const ModelDesc> model, std::shared_ptr<const QuantTable> quant)
    : source_(std::move(model)) {
  // A Hoshi INT8 file is folded already (and may hold no FP32 copies of its
  // INT8 weights): use it as it is.
  std::shared_ptr<ModelDesc> own;
  if (isFolded(*source_)) {
    folded_ = source_;
  } else {
    own = std::make_shared<ModelDesc>(foldNorms(*source_));
    folded_ = own;
  }
  const ModelDesc& m = *folded_;
  maxChannels_ = std::max({m.numInputChannels, m.trunk.trunkChannels, m.numPolicyChannels,
                           m.policyHead.p1Conv.outChannels, m.policyHead.g1Conv.outChannels,
                           m.valueHead.v1Conv.outChannels});
  for (const BlockDesc& b : m.trunk.blocks) {
    if (b.kind == BlockKind::kNestedBottleneck)
      throw std::runtime_error("xnnpack backend: nested bottleneck blocks are not supported");
    if (!fusable(b.midNorm.activation) || !fusable(b.gpoolNorm.activation))
      throw std::runtime_error(std::string("xnnpack backend: activation ") +
                               activationName(b.midNorm.activation) + " is not supported");
    maxChannels_ =
        std::max({maxChannels_, b.conv1.outChannels, b.gpoolConv.outChannels, b.conv2.outChannels});
  }
  buildUnits(quant.get());
  if (quant) {
    // The scales only: the INT8 weights live in the packed operators now.
    auto scales = std::make_shared<QuantTable>();
    scales->tensors = quant->tensors;
    scales->int8Convs = quant->int8Convs;
    scales->floatActConvs = quant->floatActConvs;
    quant_ = std::move(scales);
  }
  if (own) dropConvWeights(*own);
}

std::unique_ptr<ConvUnit> Net::unit(const QuantTable* quant, const ConvDesc& c,
                                    const std::string& id, const std::vector<float>* bias,
                                    bool relu, const std::string& inTensor,
                                    const std::string& outTensor) const {
  if (!quant || !quant->quantizedConv(id))
    return std::make_unique<ConvUnit>(c, bias, relu, nullptr, nullptr, nullptr);
  auto w = quant->weights.find(id);
  const QuantizedWeights* stored = w == quant->weights.end() ? nullptr : &w->second;
  if (quant->floatActivations(id)) {
    // INT8 weights, float activations: an f32 operator on the dequantized
    // weights (the stored ones, or those a file would store), so only this
    // layer holds FP32 weights. The copy lives until the operator is packed.
    ConvDesc deq = c;
    deq.weights = dequantizeConvWeights(stored ? *stored : quantizeConvWeights(c), c.outChannels);
    return std::make_unique<ConvUnit>(deq, bias, relu, nullptr, nullptr, nullptr);
  }
  return std::make_unique<ConvUnit>(c, bias, relu, &quant->at(inTensor), &quant->at(outTensor),
                                    stored);
}

void Net::buildUnits(const QuantTable* quant) {
  const ModelDesc& m = *folded_;
  Units& u = units_;
  u.initial = unit(quant, m.trunk.initialConv, "init", nullptr, false, "", "");
  for (size_t i = 0; i < m.trunk.blocks.size(); ++i) {
    const BlockDesc& b = m.trunk.blocks[i];
    const int bi = int(i);
    Units::Block bu;
    const bool ordinary = b.kind == BlockKind::kOrdinary;
    const bool midRelu = b.midNorm.activation == Activation::kRelu;
    bu.conv1 =
        unit(quant, b.conv1, blockTensor(bi, "conv1"), ordinary ? &b.midNorm.bias : nullptr,
             ordinary && midRelu, blockTensor(bi, "in"), blockTensor(bi, ordinary ? "mid" : "c1"));
    if (!ordinary)
      bu.gpoolConv = unit(quant, b.gpoolConv, blockTensor(bi, "gpoolConv"), &b.gpoolNorm.bias,
                          b.gpoolNorm.activation == Activation::kRelu, blockTensor(bi, "in"),
                          blockTensor(bi, "gpool"));
    bu.conv2 = unit(quant, b.conv2, blockTensor(bi, "conv2"), nullptr, false,
                    blockTensor(bi, "mid"), blockTensor(bi, "out"));
    u.blocks.push_back(std::move(bu));
  }
  const PolicyHeadDesc& p = m.policyHead;
  const ValueHeadDesc& v = m.valueHead;
  u.p1 = unit(quant, p.p1Conv, "p1", nullptr, false, "", "");
  u.g1 = unit(quant, p.g1Conv, "g1", nullptr, false, "", "");
  u.p2 = unit(quant, p.p2Conv, "p2", nullptr, false, "", "");
  u.v1 = unit(quant, v.v1Conv, "v1", nullptr, false, "", "");
  u.own = unit(quant, v.ownershipConv, "own", nullptr, false, "", "");
}

std::unique_ptr<Workspace> Net::newWorkspace(int maxBatch, int ySize, int xSize) const {
  const ModelDesc& m = *folded_;
  auto ws = std::make_unique<Workspace>();
  ws->maxBatch = maxBatch, ws->ySize = ySize, ws->xSize = xSize;
  const size_t rows = size_t(maxBatch) * ySize * xSize, plane = rows * maxChannels_;
  ws->input.resize(rows * m.numInputChannels);
  ws->global.resize(size_t(maxBatch) * m.numInputGlobalChannels);
  for (auto* v : {&ws->trunk, &ws->tip, &ws->in, &ws->c1, &ws->mid, &ws->g, &ws->out})
    v->resize(plane);
  const size_t vec = size_t(maxBatch) * std::max(3 * maxChannels_, m.valueHead.v2Mul.outChannels);
  for (auto* v : {&ws->pooled, &ws->small, &ws->small2}) v->resize(vec);
  ws->policy.resize(rows * m.numPolicyChannels);
  ws->policyPass.resize(size_t(maxBatch) * m.numPolicyChannels);
  ws->value.resize(size_t(maxBatch) * m.numValueChannels);
  ws->scoreValue.resize(size_t(maxBatch) * m.numScoreValueChannels);
  ws->ownership.resize(rows);
  return ws;
}

void Net::runBlock(int i, Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap) {
  const BlockDesc& d = folded_->trunk.blocks[size_t(i)];
  Units::Block& u = units_.blocks[size_t(i)];
  const int y = ws.ySize, x = ws.xSize, area = y * x;
  const size_t rows = size_t(batch) * area;
  auto show = [&](const char* name, const float* data, int ch) {
    if (tap) (*tap)(blockTensor(i, name), data, rows * ch);
  };
  normActRows(d.preNorm, ws.trunk.data(), ws.in.data(), rows);
  show("in", ws.in.data(), d.preNorm.channels);
  const int midC = d.conv1.outChannels;
  if (d.kind == BlockKind::kOrdinary) {
    u.conv1->run(ws.in.data(), ws.mid.data(), batch, y, x, pool);
  } else {
    u.conv1->run(ws.in.data(), ws.c1.data(), batch, y, x, pool);
    show("c1", ws.c1.data(), midC);
    u.gpoolConv->run(ws.in.data(), ws.g.data(), batch, y, x, pool);
    const int gc = d.gpoolConv.outChannels;
    show("gpool", ws.g.data(), gc);
    poolBatch(ws.g.data(), batch, area, gc, false, ws.pooled.data());
    dense(d.gpoolToBias, ws.pooled.data(), ws.small.data(), batch);
    // midNorm's scale is folded (1): only its bias and activation remain.
    for (int b = 0; b < batch; ++b)
      for (int p = 0; p < area; ++p) {
        const size_t row = size_t(b) * area + p;
        const float* src = ws.c1.data() + row * midC;
        float* dst = ws.mid.data() + row * midC;
        const float* gb = ws.small.data() + size_t(b) * midC;
        for (int c = 0; c < midC; ++c)
          dst[c] = activate(src[c] + gb[c] + d.midNorm.bias[c], d.midNorm.activation);
      }
  }
  show("mid", ws.mid.data(), midC);
  u.conv2->run(ws.mid.data(), ws.out.data(), batch, y, x, pool);
  const int tc = d.conv2.outChannels;
  show("out", ws.out.data(), tc);
  float* trunk = ws.trunk.data();
  const float* out = ws.out.data();
  for (size_t k = 0; k < rows * tc; ++k) trunk[k] += out[k];
}

void Net::runPolicyHead(Workspace& ws, int batch, pthreadpool_t pool) {
  const PolicyHeadDesc& h = folded_->policyHead;
  const int y = ws.ySize, x = ws.xSize, area = y * x;
  const size_t rows = size_t(batch) * area;
  float* p1 = ws.mid.data();
  float* g1 = ws.g.data();
  units_.p1->run(ws.tip.data(), p1, batch, y, x, pool);
  units_.g1->run(ws.tip.data(), g1, batch, y, x, pool);
  normActRows(h.g1Norm, g1, g1, rows);
  poolBatch(g1, batch, area, h.g1Norm.channels, false, ws.pooled.data());
  dense(h.gpoolToBias, ws.pooled.data(), ws.small.data(), batch);
  addPerPosition(p1, ws.small.data(), batch, area, h.gpoolToBias.outChannels);
  normActRows(h.p1Norm, p1, p1, rows);
  units_.p2->run(p1, ws.policy.data(), batch, y, x, pool);
  if (h.hasPassMlp) {
    dense(h.gpoolToPass, ws.pooled.data(), ws.small.data(), batch);
    addBias(h.passBias, ws.small.data(), batch, h.passActivation);
    dense(h.gpoolToPass2, ws.small.data(), ws.policyPass.data(), batch);
  } else {
    dense(h.gpoolToPass, ws.pooled.data(), ws.policyPass.data(), batch);
  }
}

void Net::runValueHead(Workspace& ws, int batch, pthreadpool_t pool) {
  const ValueHeadDesc& h = folded_->valueHead;
  const int y = ws.ySize, x = ws.xSize, area = y * x;
  float* v1 = ws.c1.data();
  units_.v1->run(ws.tip.data(), v1, batch, y, x, pool);
  normActRows(h.v1Norm, v1, v1, size_t(batch) * area);
  poolBatch(v1, batch, area, h.v1Norm.channels, true, ws.pooled.data());
  dense(h.v2Mul, ws.pooled.data(), ws.small.data(), batch);
  addBias(h.v2Bias, ws.small.data(), batch, h.v2Activation);
  dense(h.v3Mul, ws.small.data(), ws.value.data(), batch);
  addBias(h.v3Bias, ws.value.data(), batch, Activation::kIdentity);
  dense(h.sv3Mul, ws.small.data(), ws.scoreValue.data(), batch);
  addBias(h.sv3Bias, ws.scoreValue.data(), batch, Activation::kIdentity);
  units_.own->run(v1, ws.ownership.data(), batch, y, x, pool);
}

void Net::forward(Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap) {
  const ModelDesc& m = *folded_;
  const int y = ws.ySize, x = ws.xSize, area = y * x;
  units_.initial->run(ws.input.data(), ws.trunk.data(), batch, y, x, pool);
  dense(m.trunk.initialMatMul, ws.global.data(), ws.small.data(), batch);
  addPerPosition(ws.trunk.data(), ws.small.data(), batch, area, m.trunk.trunkChannels);
  for (size_t i = 0; i < m.trunk.blocks.size(); ++i) runBlock(int(i), ws, batch, pool, tap);
  normActRows(m.trunk.tipNorm, ws.trunk.data(), ws.tip.data(), size_t(batch) * area);
  if (tap) (*tap)("tip", ws.tip.data(), size_t(batch) * area * m.trunk.trunkChannels);
  runPolicyHead(ws, batch, pool);
  runValueHead(ws, batch, pool);
}

}  // namespace hoshi::nn::xnn
