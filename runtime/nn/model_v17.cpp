#include "nn/model_v17.h"

#include <cmath>

namespace hoshi::nn {

namespace {

constexpr int kMaxChannels = 4096;
constexpr int kMaxHeads = 256;

std::string str(int v) {
  return std::to_string(v);
}

void expectEq(ModelReader& r, const std::string& ctx, const char* a, int va, const char* b,
              int vb) {
  if (va != vb) r.fail(ctx + ": " + a + " (" + str(va) + ") != " + b + " (" + str(vb) + ")");
}

MatMulDesc readDense(ModelReader& r, int64_t& params) {
  MatMulDesc m;
  m.name = r.token("matmul name");
  m.inChannels = r.intIn("matmul in channels", 1, kMaxChannels);
  m.outChannels = r.intIn("matmul out channels", 1, kMaxChannels);
  m.weights = r.floats(size_t(m.inChannels) * m.outChannels, m.name);
  params += int64_t(m.weights.size());
  return m;
}

float readEpsilon(ModelReader& r, const std::string& name) {
  double eps = r.number("rms norm epsilon");
  if (!(eps > 0.0) || eps > 1.0) r.fail(name + ": rms norm epsilon must be in (0, 1]");
  return float(eps);
}

RmsNormDesc readRmsNorm(ModelReader& r, int trunkChannels, int64_t& params) {
  RmsNormDesc n;
  n.name = r.token("rms norm name");
  n.channels = r.intIn("rms norm channels", 1, kMaxChannels);
  n.epsilon = readEpsilon(r, n.name);
  n.weight = r.floats(size_t(n.channels), n.name);
  params += n.channels;
  expectEq(r, n.name, "channels", n.channels, "trunk channels", trunkChannels);
  return n;
}

void readRope(ModelReader& r, const std::string& name, AttentionDesc& a) {
  if (a.rope == RopeKind::kFixed) {
    r.token("rope theta name");
    double theta = r.number("rope theta");
    if (!(theta > 0.0) || !std::isfinite(theta)) r.fail(name + ": rope theta must be positive");
    a.ropeTheta = float(theta);
    return;
  }
  std::string what = r.token("rope frequencies name");
  expectEq(r, name, "rope kv heads", r.intIn("rope kv heads", 1, kMaxHeads), "kv heads", a.kvHeads);
  expectEq(r, name, "rope pairs", r.intIn("rope pairs", 1, kMaxChannels), "head dim / 2",
           a.qkHeadDim / 2);
  expectEq(r, name, "rope last dimension", r.intIn("rope last dimension", 1, 16), "2", 2);
  a.ropeFreqs = r.floats(size_t(a.kvHeads) * (a.qkHeadDim / 2) * 2, what);
}

}  // namespace

std::shared_ptr<const AttentionDesc> readAttentionBlock(ModelReader& r, const std::string& name,
                                                        int trunkChannels, int64_t& params) {
  auto a = std::make_shared<AttentionDesc>();
  a->heads = r.intIn("attention heads", 1, kMaxHeads);
  a->kvHeads = r.intIn("attention kv heads", 1, kMaxHeads);
  a->qkHeadDim = r.intIn("attention query/key head size", 1, kMaxChannels);
  a->vHeadDim = r.intIn("attention value head size", 1, kMaxChannels);
  const bool rope = r.intIn("attention uses rope", 0, 1) == 1;
  const bool learned = r.intIn("attention learned rope", 0, 1) == 1;
  a->rope = !rope ? RopeKind::kNone : learned ? RopeKind::kLearned : RopeKind::kFixed;
  if (a->heads % a->kvHeads != 0)
    r.fail(name + ": attention heads (" + str(a->heads) + ") not a multiple of kv heads (" +
           str(a->kvHeads) + ")");
  if (rope && a->qkHeadDim % 2 != 0)
    r.fail(name + ": rotary encoding needs an even query/key head size, got " + str(a->qkHeadDim));
  a->preNorm = readRmsNorm(r, trunkChannels, params);
  a->query = readDense(r, params);
  a->key = readDense(r, params);
  a->value = readDense(r, params);
  a->output = readDense(r, params);
  expectEq(r, name, "query in", a->query.inChannels, "trunk channels", trunkChannels);
  expectEq(r, name, "key in", a->key.inChannels, "trunk channels", trunkChannels);
  expectEq(r, name, "value in", a->value.inChannels, "trunk channels", trunkChannels);
  expectEq(r, name, "query out", a->query.outChannels, "heads * head size",
           a->heads * a->qkHeadDim);
  expectEq(r, name, "key out", a->key.outChannels, "kv heads * head size",
           a->kvHeads * a->qkHeadDim);
  expectEq(r, name, "value out", a->value.outChannels, "kv heads * value head size",
           a->kvHeads * a->vHeadDim);
  expectEq(r, name, "output in", a->output.inChannels, "heads * value head size",
           a->heads * a->vHeadDim);
  expectEq(r, name, "output out", a->output.outChannels, "trunk channels", trunkChannels);
  if (rope) readRope(r, name, *a);
  params += int64_t(a->ropeFreqs.size());
  return a;
}

std::shared_ptr<const FeedForwardDesc> readFeedForwardBlock(ModelReader& r, const std::string& name,
                                                            int trunkChannels, int64_t& params) {
  auto f = std::make_shared<FeedForwardDesc>();
  expectEq(r, name, "channels", r.intIn("feed-forward channels", 1, kMaxChannels), "trunk channels",
           trunkChannels);
  f->hiddenChannels = r.intIn("feed-forward hidden channels", 1, 8 * kMaxChannels);
  if (r.intIn("feed-forward gated (SwiGLU)", 0, 1) != 1)
    r.fail(name + ": feed-forward blocks without a SwiGLU gate are not supported");
  f->preNorm = readRmsNorm(r, trunkChannels, params);
  f->linear1 = readDense(r, params);
  f->gate = readDense(r, params);
  f->linear2 = readDense(r, params);
  const int h = f->hiddenChannels;
  expectEq(r, name, "linear1 in", f->linear1.inChannels, "trunk channels", trunkChannels);
  expectEq(r, name, "linear1 out", f->linear1.outChannels, "hidden channels", h);
  expectEq(r, name, "gate in", f->gate.inChannels, "trunk channels", trunkChannels);
  expectEq(r, name, "gate out", f->gate.outChannels, "hidden channels", h);
  expectEq(r, name, "linear2 in", f->linear2.inChannels, "hidden channels", h);
  expectEq(r, name, "linear2 out", f->linear2.outChannels, "trunk channels", trunkChannels);
  return f;
}

std::shared_ptr<TipRmsNormDesc> readTipRmsNorm(ModelReader& r, int trunkChannels, int64_t& params) {
  auto n = std::make_shared<TipRmsNormDesc>();
  n->name = r.token("trunk tip rms norm name");
  n->channels = r.intIn("trunk tip rms norm channels", 1, kMaxChannels);
  n->epsilon = readEpsilon(r, n->name);
  n->spatial = r.intIn("trunk tip rms norm spatial", 0, 1) == 1;
  int groups = r.intIn("trunk tip rms norm channel group size", 0, kMaxChannels);
  if (groups != 0)
    r.fail(n->name + ": grouped RMS norms (channel group size " + str(groups) +
           ") are not supported");
  n->gamma = r.floats(size_t(n->channels), n->name);
  n->beta = r.floats(size_t(n->channels), n->name);
  params += 2 * int64_t(n->channels);
  expectEq(r, n->name, "channels", n->channels, "trunk channels", trunkChannels);
  return n;
}

int readPolicyHeadOptions(ModelReader& r) {
  int channels = r.intIn("policy output channels", 2, 4);
  if (channels == 3) r.fail("policy head: 3 policy output channels (expected 2 or 4)");
  for (int i = 0; i < 3; ++i) r.intIn("reserved policy head option", 0, 0);
  return channels;
}

void readValueHeadOptions(ModelReader& r) {
  for (int i = 0; i < 3; ++i) r.intIn("reserved value head option", 0, 0);
}

}  // namespace hoshi::nn
