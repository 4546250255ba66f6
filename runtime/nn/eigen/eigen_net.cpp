#include "nn/eigen/eigen_net.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "nn/activation.h"
#include "nn/cpu_ops.h"
#include "nn/eigen/thread_pool.h"

namespace hoshi::nn {

namespace {

constexpr int kPlanesPerLevel = 4;  // block input, normalised input, mid, gpool

// Below this many floats a layer runs on the calling thread: waking the pool
// costs more than the work.
constexpr size_t kMinParallelFloats = 8192;

// normActRows, split over the pool when the layer is large enough.
void normAct(const NormActDesc& n, const float* in, float* out, int rows, ThreadPool& pool) {
  const size_t ch = size_t(n.channels);
  auto work = [&](int begin, int end) {
    normActRows(n, in + size_t(begin) * ch, out + size_t(begin) * ch, size_t(end - begin));
  };
  if (size_t(rows) * ch < kMinParallelFloats)
    work(0, rows);
  else
    pool.run(rows, work);
}

// out[b] = in[b] * W (+ bias), for a [batch][in] block.
void matMul(const MatMulDesc& m, const float* in, float* out, int batch) {
  using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMatrix> a(in, batch, m.inChannels);
  Eigen::Map<const RowMatrix> w(m.weights.data(), m.inChannels, m.outChannels);
  Eigen::Map<RowMatrix> o(out, batch, m.outChannels);
  o.noalias() = a * w;
}

// Largest scratch any transformer block needs (conv blocks count their own).
size_t transformerScratchFloats(const std::vector<BlockDesc>& blocks, int batch, int area) {
  size_t most = 0;
  for (const BlockDesc& b : blocks) {
    if (b.attention)
      most = std::max(
          most, attentionScratchFloats(*b.attention, b.attention->output.outChannels, batch, area));
    if (b.feedForward)
      most = std::max(most, feedForwardScratchFloats(
                                *b.feedForward, b.feedForward->linear2.outChannels, batch, area));
    most = std::max(most, transformerScratchFloats(b.inner, batch, area));
  }
  return most;
}

void blockChannels(const BlockDesc& b, int& maxCh, int& maxDepth, int depth) {
  maxDepth = std::max(maxDepth, depth);
  maxCh = std::max({maxCh, b.conv1.inChannels, b.conv1.outChannels, b.gpoolConv.outChannels});
  for (const BlockDesc& inner : b.inner) blockChannels(inner, maxCh, maxDepth, depth + 1);
}

}  // namespace

EigenNet::EigenNet(std::shared_ptr<const ModelDesc> model, bool allowWinograd)
    : model_(std::move(model)),
      allowWinograd_(allowWinograd),
      initialConv_(model_->trunk.initialConv, allowWinograd),
      p1Conv_(model_->policyHead.p1Conv, allowWinograd),
      g1Conv_(model_->policyHead.g1Conv, allowWinograd),
      p2Conv_(model_->policyHead.p2Conv, allowWinograd),
      v1Conv_(model_->valueHead.v1Conv, allowWinograd),
      ownershipConv_(model_->valueHead.ownershipConv, allowWinograd) {
  const ModelDesc& m = *model_;
  maxChannels_ = std::max({m.numInputChannels, m.trunk.trunkChannels,
                           m.policyHead.p1Conv.outChannels, m.policyHead.g1Conv.outChannels,
                           m.valueHead.v1Conv.outChannels, m.numPolicyChannels});
  for (const BlockDesc& b : m.trunk.blocks) {
    blockChannels(b, maxChannels_, maxDepth_, 0);
    blocks_.push_back(prepareBlock(b));
  }
  assignRopeSlots(blocks_);
}

void EigenNet::assignRopeSlots(std::vector<Block>& blocks) {
  for (Block& b : blocks) {
    if (b.desc->attention) {
      b.ropeSlot = int(attentions_.size());
      attentions_.push_back(b.desc->attention.get());
    }
    assignRopeSlots(b.inner);
  }
}

EigenNet::Block EigenNet::prepareBlock(const BlockDesc& d) const {
  Block b{&d, std::nullopt, std::nullopt, std::nullopt, {}};
  if (d.attention || d.feedForward) return b;
  b.conv1.emplace(d.conv1, allowWinograd_);
  b.conv2.emplace(d.conv2, allowWinograd_);
  if (d.kind == BlockKind::kGlobalPooling) b.gpoolConv.emplace(d.gpoolConv, allowWinograd_);
  for (const BlockDesc& inner : d.inner) b.inner.push_back(prepareBlock(inner));
  return b;
}

template <typename F>
void EigenNet::forEachConv(F&& f) const {
  f(initialConv_);
  std::vector<const Block*> stack;
  for (const Block& b : blocks_) stack.push_back(&b);
  while (!stack.empty()) {
    const Block* b = stack.back();
    stack.pop_back();
    if (b->conv1) f(*b->conv1);
    if (b->conv2) f(*b->conv2);
    if (b->gpoolConv) f(*b->gpoolConv);
    for (const Block& inner : b->inner) stack.push_back(&inner);
  }
  for (const ConvOp* c : {&p1Conv_, &g1Conv_, &p2Conv_, &v1Conv_, &ownershipConv_}) f(*c);
}

std::unique_ptr<EigenWorkspace> EigenNet::newWorkspace(int maxBatch, int ySize, int xSize) const {
  auto ws = std::make_unique<EigenWorkspace>(ySize, xSize);
  for (const AttentionDesc* a : attentions_) ws->rope.push_back(makeRopeTable(*a, ySize, xSize));
  reserve(*ws, maxBatch);
  return ws;
}

void EigenNet::reserve(EigenWorkspace& ws, int batch) const {
  if (batch <= ws.maxBatch) return;
  const ModelDesc& m = *model_;
  const int ySize = ws.ySize, xSize = ws.xSize;
  const size_t area = size_t(ySize) * xSize;
  size_t scratch = 0;
  forEachConv(
      [&](const ConvOp& c) { scratch = std::max(scratch, c.scratchFloats(batch, ySize, xSize)); });
  scratch = std::max(scratch, transformerScratchFloats(m.trunk.blocks, batch, int(area)));
  const size_t plane = size_t(batch) * area * maxChannels_;
  // Old contents are dead except the inputs: free before growing, so the
  // peak is the new size, not old + new.
  ws.planes.clear();
  ws.planes.shrink_to_fit();
  ws.scratch = std::vector<float>();
  ws.planes.assign(size_t(kPlanesPerLevel) * (maxDepth_ + 1), std::vector<float>(plane));
  ws.scratch.resize(scratch);
  ws.input.resize(batch * area * m.numInputChannels);
  ws.global.resize(size_t(batch) * m.numInputGlobalChannels);
  ws.policy.resize(batch * area * m.numPolicyChannels);
  ws.policyPass.resize(size_t(batch) * m.numPolicyChannels);
  ws.value.resize(size_t(batch) * m.numValueChannels);
  ws.scoreValue.resize(size_t(batch) * m.numScoreValueChannels);
  ws.ownership.resize(batch * area);
  ws.pooled.resize(size_t(batch) * 3 * maxChannels_);
  // Dense head outputs: the value head's v2 and the pass MLP's hidden layer.
  ws.small.resize(size_t(batch) * std::max({maxChannels_, m.valueHead.v2Mul.outChannels,
                                            m.policyHead.gpoolToPass.outChannels}));
  ws.maxBatch = batch;
}

int64_t EigenNet::multiplies(int ySize, int xSize) const {
  // Dense layers cost the same either way: take them from the direct count.
  int64_t total = model_->directMacs(xSize, ySize);
  forEachConv([&](const ConvOp& c) {
    total += c.multiplies(1, ySize, xSize) - c.directMultiplies(1, ySize, xSize);
  });
  return total;
}

int64_t EigenNet::preparedWeightBytes() const {
  int64_t convBytes = 0, directBytes = 0;
  forEachConv([&](const ConvOp& c) {
    convBytes += c.weightBytes();
    directBytes += c.directMultiplies(1, 1, 1) * int64_t(sizeof(float));
  });
  return model_->weightBytes() - directBytes + convBytes;
}

void EigenNet::runBlock(const Block& b, EigenWorkspace& ws, int depth, int batch,
                        ThreadPool& pool) const {
  const BlockDesc& d = *b.desc;
  const int y = ws.ySize, x = ws.xSize, area = y * x, rows = batch * area;
  float* in = ws.planes[kPlanesPerLevel * depth].data();
  float* mid = ws.planes[kPlanesPerLevel * depth + 2].data();
  float* g = ws.planes[kPlanesPerLevel * depth + 3].data();
  float* scratch = ws.scratch.data();
  if (d.attention) {
    runAttention(*d.attention, ws.rope[size_t(b.ropeSlot)], in, d.attention->output.outChannels,
                 batch, area, scratch, pool);
    return;
  }
  if (d.feedForward) {
    runFeedForward(*d.feedForward, in, d.feedForward->linear2.outChannels, batch, area, scratch,
                   pool);
    return;
  }

  // Every batch norm + activation feeding a convolution is applied inside
  // that convolution's input gather (ConvOp's inputNorm).
  if (d.kind == BlockKind::kNestedBottleneck) {
    float* inner = ws.planes[kPlanesPerLevel * (depth + 1)].data();
    b.conv1->apply(in, inner, batch, y, x, scratch, pool, false, &d.preNorm);
    for (const Block& ib : b.inner) runBlock(ib, ws, depth + 1, batch, pool);
    b.conv2->apply(inner, in, batch, y, x, scratch, pool, true, &d.midNorm);
    return;
  }
  b.conv1->apply(in, mid, batch, y, x, scratch, pool, false, &d.preNorm);
  if (d.kind == BlockKind::kGlobalPooling) {
    b.gpoolConv->apply(in, g, batch, y, x, scratch, pool, false, &d.preNorm);
    normAct(d.gpoolNorm, g, g, rows, pool);
    const int gc = d.gpoolNorm.channels;
    poolBatch(g, batch, area, gc, false, ws.pooled.data());
    matMul(d.gpoolToBias, ws.pooled.data(), ws.small.data(), batch);
    addPerPosition(mid, ws.small.data(), batch, area, d.gpoolToBias.outChannels);
  }
  b.conv2->apply(mid, in, batch, y, x, scratch, pool, true, &d.midNorm);
}

void EigenNet::runPolicyHead(EigenWorkspace& ws, const float* trunk, int batch,
                             ThreadPool& pool) const {
  const PolicyHeadDesc& h = model_->policyHead;
  const int y = ws.ySize, x = ws.xSize, area = y * x, rows = batch * area;
  float* p1 = ws.planes[2].data();
  float* g1 = ws.planes[3].data();
  float* scratch = ws.scratch.data();
  p1Conv_.apply(trunk, p1, batch, y, x, scratch, pool, false);
  g1Conv_.apply(trunk, g1, batch, y, x, scratch, pool, false);
  normAct(h.g1Norm, g1, g1, rows, pool);
  const int gc = h.g1Norm.channels;
  poolBatch(g1, batch, area, gc, false, ws.pooled.data());
  matMul(h.gpoolToBias, ws.pooled.data(), ws.small.data(), batch);
  addPerPosition(p1, ws.small.data(), batch, area, h.gpoolToBias.outChannels);
  p2Conv_.apply(p1, ws.policy.data(), batch, y, x, scratch, pool, false, &h.p1Norm);
  if (h.hasPassMlp) {
    matMul(h.gpoolToPass, ws.pooled.data(), ws.small.data(), batch);
    addBias(h.passBias, ws.small.data(), batch, h.passActivation);
    matMul(h.gpoolToPass2, ws.small.data(), ws.policyPass.data(), batch);
  } else {
    matMul(h.gpoolToPass, ws.pooled.data(), ws.policyPass.data(), batch);
  }
}

void EigenNet::runValueHead(EigenWorkspace& ws, const float* trunk, int batch,
                            ThreadPool& pool) const {
  const ValueHeadDesc& h = model_->valueHead;
  const int y = ws.ySize, x = ws.xSize, area = y * x, rows = batch * area;
  float* v1 = ws.planes[2].data();
  float* scratch = ws.scratch.data();
  v1Conv_.apply(trunk, v1, batch, y, x, scratch, pool, false);
  normAct(h.v1Norm, v1, v1, rows, pool);
  const int vc = h.v1Norm.channels;
  poolBatch(v1, batch, area, vc, true, ws.pooled.data());
  matMul(h.v2Mul, ws.pooled.data(), ws.small.data(), batch);
  addBias(h.v2Bias, ws.small.data(), batch, h.v2Activation);
  matMul(h.v3Mul, ws.small.data(), ws.value.data(), batch);
  addBias(h.v3Bias, ws.value.data(), batch, Activation::kIdentity);
  matMul(h.sv3Mul, ws.small.data(), ws.scoreValue.data(), batch);
  addBias(h.sv3Bias, ws.scoreValue.data(), batch, Activation::kIdentity);
  ownershipConv_.apply(v1, ws.ownership.data(), batch, y, x, scratch, pool, false);
}

void EigenNet::forward(EigenWorkspace& ws, int batch, ThreadPool& pool) const {
  const ModelDesc& m = *model_;
  const int y = ws.ySize, x = ws.xSize, area = y * x;
  float* trunk = ws.planes[0].data();
  initialConv_.apply(ws.input.data(), trunk, batch, y, x, ws.scratch.data(), pool, false);
  matMul(m.trunk.initialMatMul, ws.global.data(), ws.small.data(), batch);
  addPerPosition(trunk, ws.small.data(), batch, area, m.trunk.trunkChannels);
  for (const Block& b : blocks_) runBlock(b, ws, 0, batch, pool);
  float* tip = ws.planes[1].data();
  if (m.trunk.tipRmsNorm)
    applyTipRmsNorm(*m.trunk.tipRmsNorm, trunk, tip, batch, area, pool);
  else
    normAct(m.trunk.tipNorm, trunk, tip, batch * area, pool);
  runPolicyHead(ws, tip, batch, pool);
  runValueHead(ws, tip, batch, pool);
}

}  // namespace hoshi::nn
