#include "nn/model.h"

#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "nn/model_reader.h"
#include "nn/model_v17.h"

namespace hoshi::nn {

namespace {

constexpr int kMinVersion = 8;
constexpr int kMaxVersion = 17;
constexpr int kMaxChannels = 4096;
constexpr int kMaxKernel = 9;
constexpr int kMaxBlocks = 1024;
constexpr int kMaxNesting = 4;
// Largest model (file or decompressed) we accept; the biggest KataGo nets
// are a few hundred MB of floats. Guards against zip bombs and stray files.
constexpr size_t kMaxModelBytes = size_t(1) << 30;

std::string layerName(ModelReader& r, const char* what) {
  return r.token(what);
}

void requireEq(ModelReader& r, const std::string& ctx, const char* a, int va, const char* b,
               int vb) {
  if (va != vb)
    r.fail(ctx + ": " + a + " (" + std::to_string(va) + ") != " + b + " (" + std::to_string(vb) +
           ")");
}

class Parser {
 public:
  Parser(ModelReader& r, int version) : r_(r), version_(version) {}

  int64_t params = 0;

  ConvDesc conv() {
    ConvDesc c;
    c.name = layerName(r_, "conv layer name");
    c.kernelY = r_.intIn("conv kernel height", 1, kMaxKernel);
    c.kernelX = r_.intIn("conv kernel width", 1, kMaxKernel);
    c.inChannels = r_.intIn("conv in channels", 1, kMaxChannels);
    c.outChannels = r_.intIn("conv out channels", 1, kMaxChannels);
    int dy = r_.intIn("conv dilation", 1, 64);
    int dx = r_.intIn("conv dilation", 1, 64);
    if (c.kernelY % 2 == 0 || c.kernelX % 2 == 0) r_.fail(c.name + ": even convolution size");
    if (dy != 1 || dx != 1) r_.fail(c.name + ": dilated convolutions are not supported");
    size_t n = size_t(c.kernelY) * c.kernelX * c.inChannels * c.outChannels;
    std::vector<float> raw = r_.floats(n, c.name);
    // File order is [y][x][in][out]; we keep [out][in][y][x].
    c.weights.resize(n);
    size_t idx = 0;
    for (int y = 0; y < c.kernelY; ++y)
      for (int x = 0; x < c.kernelX; ++x)
        for (int ic = 0; ic < c.inChannels; ++ic)
          for (int oc = 0; oc < c.outChannels; ++oc)
            c.weights[((size_t(oc) * c.inChannels + ic) * c.kernelY + y) * c.kernelX + x] =
                raw[idx++];
    params += int64_t(n);
    return c;
  }

  NormActDesc normAct() {
    NormActDesc d;
    d.name = layerName(r_, "batch norm name");
    d.channels = r_.intIn("batch norm channels", 1, kMaxChannels);
    double eps = r_.number("batch norm epsilon");
    if (!(eps > 0)) r_.fail(d.name + ": epsilon must be positive");
    int hasScale = r_.intIn("batch norm hasScale", 0, 1);
    int hasBias = r_.intIn("batch norm hasBias", 0, 1);
    std::vector<float> mean = r_.floats(d.channels, d.name);
    std::vector<float> var = r_.floats(d.channels, d.name);
    std::vector<float> gamma =
        hasScale ? r_.floats(d.channels, d.name) : std::vector<float>(d.channels, 1.0f);
    std::vector<float> beta =
        hasBias ? r_.floats(d.channels, d.name) : std::vector<float>(d.channels, 0.0f);
    params += int64_t(hasScale + hasBias) * d.channels;
    d.scale.resize(d.channels);
    d.bias.resize(d.channels);
    for (int c = 0; c < d.channels; ++c) {
      double denom = double(var[c]) + eps;
      if (!(denom > 0)) r_.fail(d.name + ": negative variance");
      d.scale[c] = float(gamma[c] / std::sqrt(denom));
      d.bias[c] = beta[c] - d.scale[c] * mean[c];
    }
    d.activation = activation();
    return d;
  }

  Activation activation() {
    layerName(r_, "activation name");
    if (version_ < 11) return Activation::kRelu;
    std::string kind = r_.token("activation kind");
    if (kind == "ACTIVATION_IDENTITY") return Activation::kIdentity;
    if (kind == "ACTIVATION_RELU") return Activation::kRelu;
    if (kind == "ACTIVATION_MISH") return Activation::kMish;
    if (kind == "ACTIVATION_SILU") return Activation::kSilu;
    r_.fail("unknown activation '" + kind + "'");
  }

  MatMulDesc matMul() {
    MatMulDesc m;
    m.name = layerName(r_, "matmul name");
    m.inChannels = r_.intIn("matmul in channels", 1, 3 * kMaxChannels);
    m.outChannels = r_.intIn("matmul out channels", 1, kMaxChannels);
    m.weights = r_.floats(size_t(m.inChannels) * m.outChannels, m.name);
    params += int64_t(m.weights.size());
    return m;
  }

  BiasDesc bias() {
    BiasDesc b;
    b.name = layerName(r_, "bias name");
    b.channels = r_.intIn("bias channels", 1, kMaxChannels);
    b.weights = r_.floats(b.channels, b.name);
    params += b.channels;
    return b;
  }

  BlockDesc block(int trunkChannels, int depth);
  void blockStack(int count, int trunkChannels, int depth, std::vector<BlockDesc>& out) {
    for (int i = 0; i < count; ++i) out.push_back(block(trunkChannels, depth));
  }
  TrunkDesc trunk();
  PolicyHeadDesc policyHead();
  ValueHeadDesc valueHead();

  ModelReader& r_;
  int version_;
};

BlockDesc Parser::block(int trunkChannels, int depth) {
  BlockDesc b;
  std::string kind = r_.token("block kind");
  b.name = layerName(r_, "block name");
  if (kind == "ordinary_block") {
    b.kind = BlockKind::kOrdinary;
    b.preNorm = normAct();
    b.conv1 = conv();
    b.midNorm = normAct();
    b.conv2 = conv();
  } else if (kind == "gpool_block") {
    b.kind = BlockKind::kGlobalPooling;
    b.preNorm = normAct();
    b.conv1 = conv();
    b.gpoolConv = conv();
    b.gpoolNorm = normAct();
    b.gpoolToBias = matMul();
    b.midNorm = normAct();
    b.conv2 = conv();
    requireEq(r_, b.name, "gpoolConv.in", b.gpoolConv.inChannels, "trunk", trunkChannels);
    requireEq(r_, b.name, "gpoolNorm", b.gpoolNorm.channels, "gpoolConv.out",
              b.gpoolConv.outChannels);
    requireEq(r_, b.name, "gpoolToBias.in", b.gpoolToBias.inChannels, "3 * gpool channels",
              3 * b.gpoolConv.outChannels);
    requireEq(r_, b.name, "gpoolToBias.out", b.gpoolToBias.outChannels, "conv1.out",
              b.conv1.outChannels);
  } else if (kind == "nested_bottleneck_block") {
    if (depth >= kMaxNesting) r_.fail(b.name + ": nested blocks too deep");
    b.kind = BlockKind::kNestedBottleneck;
    int count = r_.intIn("nested block count", 1, kMaxBlocks);
    b.preNorm = normAct();
    b.conv1 = conv();
    blockStack(count, b.conv1.outChannels, depth + 1, b.inner);
    b.midNorm = normAct();
    b.conv2 = conv();
  } else if (kind == "transformer_attention_block" && version_ >= 17) {
    b.kind = BlockKind::kAttention;
    b.attention = readAttentionBlock(r_, b.name, trunkChannels, params);
    return b;
  } else if (kind == "transformer_ffn_block" && version_ >= 17) {
    b.kind = BlockKind::kFeedForward;
    b.feedForward = readFeedForwardBlock(r_, b.name, trunkChannels, params);
    return b;
  } else {
    r_.fail("unknown block kind '" + kind + "'");
  }
  requireEq(r_, b.name, "preNorm", b.preNorm.channels, "trunk channels", trunkChannels);
  requireEq(r_, b.name, "conv1.in", b.conv1.inChannels, "trunk channels", trunkChannels);
  requireEq(r_, b.name, "midNorm", b.midNorm.channels, "conv1.out", b.conv1.outChannels);
  requireEq(r_, b.name, "conv2.in", b.conv2.inChannels, "conv1.out", b.conv1.outChannels);
  requireEq(r_, b.name, "conv2.out", b.conv2.outChannels, "trunk channels", trunkChannels);
  return b;
}

TrunkDesc Parser::trunk() {
  TrunkDesc t;
  t.name = layerName(r_, "trunk name");
  t.numBlocks = r_.intIn("trunk block count", 1, kMaxBlocks);
  t.trunkChannels = r_.intIn("trunk channels", 1, kMaxChannels);
  t.midChannels = r_.intIn("mid channels", 1, kMaxChannels);
  t.regularChannels = r_.intIn("regular channels", 1, kMaxChannels);
  r_.intIn("dilated channels", 0, kMaxChannels);
  t.gpoolChannels = r_.intIn("gpool channels", 1, kMaxChannels);
  bool rmsTip = false;
  if (version_ >= 15) {
    rmsTip = r_.intIn("trunk norm kind", 0, 1) == 1;
    for (int i = 0; i < 5; ++i) r_.intIn("reserved trunk option", 0, 0);
  }
  t.initialConv = conv();
  t.initialMatMul = matMul();
  requireEq(r_, t.name, "initialConv.out", t.initialConv.outChannels, "trunk", t.trunkChannels);
  requireEq(r_, t.name, "initialMatMul.out", t.initialMatMul.outChannels, "trunk", t.trunkChannels);
  blockStack(t.numBlocks, t.trunkChannels, 0, t.blocks);
  if (rmsTip) {
    std::shared_ptr<TipRmsNormDesc> tip = readTipRmsNorm(r_, t.trunkChannels, params);
    tip->activation = activation();
    t.tipRmsNorm = std::move(tip);
    return t;
  }
  t.tipNorm = normAct();
  requireEq(r_, t.name, "tip norm", t.tipNorm.channels, "trunk", t.trunkChannels);
  return t;
}

PolicyHeadDesc Parser::policyHead() {
  PolicyHeadDesc p;
  p.name = layerName(r_, "policy head name");
  p.policyChannels = version_ >= 17   ? readPolicyHeadOptions(r_)
                     : version_ >= 16 ? 4
                     : version_ >= 12 ? 2
                                      : 1;
  p.p1Conv = conv();
  p.g1Conv = conv();
  p.g1Norm = normAct();
  p.gpoolToBias = matMul();
  p.p1Norm = normAct();
  p.p2Conv = conv();
  p.gpoolToPass = matMul();
  if (version_ >= 15) {
    p.hasPassMlp = true;
    p.passBias = bias();
    p.passActivation = activation();
    p.gpoolToPass2 = matMul();
    requireEq(r_, p.name, "passBias", p.passBias.channels, "gpoolToPass.out",
              p.gpoolToPass.outChannels);
    requireEq(r_, p.name, "gpoolToPass2.in", p.gpoolToPass2.inChannels, "gpoolToPass.out",
              p.gpoolToPass.outChannels);
    requireEq(r_, p.name, "gpoolToPass2.out", p.gpoolToPass2.outChannels, "policy channels",
              p.policyChannels);
  } else {
    requireEq(r_, p.name, "gpoolToPass.out", p.gpoolToPass.outChannels, "policy channels",
              p.policyChannels);
  }
  requireEq(r_, p.name, "g1Norm", p.g1Norm.channels, "g1Conv.out", p.g1Conv.outChannels);
  requireEq(r_, p.name, "p1Norm", p.p1Norm.channels, "p1Conv.out", p.p1Conv.outChannels);
  requireEq(r_, p.name, "gpoolToBias.in", p.gpoolToBias.inChannels, "3 * g1 channels",
            3 * p.g1Conv.outChannels);
  requireEq(r_, p.name, "gpoolToBias.out", p.gpoolToBias.outChannels, "p1 channels",
            p.p1Conv.outChannels);
  requireEq(r_, p.name, "gpoolToPass.in", p.gpoolToPass.inChannels, "3 * g1 channels",
            3 * p.g1Conv.outChannels);
  requireEq(r_, p.name, "p2Conv.in", p.p2Conv.inChannels, "p1 channels", p.p1Conv.outChannels);
  requireEq(r_, p.name, "p2Conv.out", p.p2Conv.outChannels, "policy channels", p.policyChannels);
  return p;
}

ValueHeadDesc Parser::valueHead() {
  ValueHeadDesc v;
  v.name = layerName(r_, "value head name");
  if (version_ >= 17) readValueHeadOptions(r_);
  v.v1Conv = conv();
  v.v1Norm = normAct();
  v.v2Mul = matMul();
  v.v2Bias = bias();
  v.v2Activation = activation();
  v.v3Mul = matMul();
  v.v3Bias = bias();
  v.sv3Mul = matMul();
  v.sv3Bias = bias();
  v.ownershipConv = conv();
  int scoreChannels = version_ >= 9 ? 6 : 4;
  requireEq(r_, v.name, "v1Norm", v.v1Norm.channels, "v1Conv.out", v.v1Conv.outChannels);
  requireEq(r_, v.name, "v2Mul.in", v.v2Mul.inChannels, "3 * v1 channels",
            3 * v.v1Conv.outChannels);
  requireEq(r_, v.name, "v2Bias", v.v2Bias.channels, "v2Mul.out", v.v2Mul.outChannels);
  requireEq(r_, v.name, "v3Mul.in", v.v3Mul.inChannels, "v2Mul.out", v.v2Mul.outChannels);
  requireEq(r_, v.name, "v3Mul.out", v.v3Mul.outChannels, "value channels", 3);
  requireEq(r_, v.name, "v3Bias", v.v3Bias.channels, "value channels", 3);
  requireEq(r_, v.name, "sv3Mul.in", v.sv3Mul.inChannels, "v2Mul.out", v.v2Mul.outChannels);
  requireEq(r_, v.name, "sv3Mul.out", v.sv3Mul.outChannels, "score channels", scoreChannels);
  requireEq(r_, v.name, "sv3Bias", v.sv3Bias.channels, "score channels", scoreChannels);
  requireEq(r_, v.name, "ownershipConv.in", v.ownershipConv.inChannels, "v1 channels",
            v.v1Conv.outChannels);
  requireEq(r_, v.name, "ownershipConv.out", v.ownershipConv.outChannels, "1", 1);
  return v;
}

void readHeaderOptions(ModelReader& r, ModelDesc& m) {
  if (m.modelVersion >= 13) {
    PostProcessParams& p = m.postProcess;
    double* fields[] = {&p.tdScoreMultiplier,
                        &p.scoreMeanMultiplier,
                        &p.scoreStdevMultiplier,
                        &p.leadMultiplier,
                        &p.varianceTimeMultiplier,
                        &p.shorttermValueErrorMultiplier,
                        &p.shorttermScoreErrorMultiplier};
    for (double* f : fields) {
      *f = r.number("post-process multiplier");
      if (!(*f > 0)) r.fail("post-process multipliers must be positive");
    }
  }
  if (m.modelVersion >= 15) {
    m.metaEncoderVersion = r.intIn("metadata encoder version", 0, 1000);
    if (m.metaEncoderVersion != 0)
      r.fail("models with an SGF metadata encoder (version " +
             std::to_string(m.metaEncoderVersion) + ") are not supported");
    m.preferPassAliveUnderSuicideRules = r.intIn("preferPassAliveUnderSuicideRules", 0, 1) == 1;
    for (int i = 0; i < 6; ++i) r.intIn("reserved model option", 0, 0);
  }
}

}  // namespace

const char* activationName(Activation a) {
  switch (a) {
    case Activation::kIdentity:
      return "identity";
    case Activation::kRelu:
      return "relu";
    case Activation::kMish:
      return "mish";
    case Activation::kSilu:
      return "silu";
  }
  return "?";
}

ModelDesc parseModel(const std::string& bytes, bool binaryFloats) {
  ModelReader r(bytes, binaryFloats);
  ModelDesc m;
  m.name = r.token("model name");
  for (char c : m.name)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      r.fail("model name has non-printable characters: not a KataGo model");
  std::string versionToken = r.token("model version");
  char* end = nullptr;
  long version = std::strtol(versionToken.c_str(), &end, 10);
  if (end != versionToken.c_str() + versionToken.size())
    r.fail("model version '" + versionToken + "' is not a number: not a KataGo model");
  if (version < kMinVersion || version > kMaxVersion)
    throw std::runtime_error("unsupported model version " + versionToken +
                             " (this build supports versions 8 to 17)");
  m.modelVersion = int(version);
  m.numInputChannels = r.intIn("spatial input channels", 22, 22);
  m.numInputGlobalChannels = r.intIn("global input channels", 19, 19);
  readHeaderOptions(r, m);

  Parser p(r, m.modelVersion);
  m.trunk = p.trunk();
  m.policyHead = p.policyHead();
  m.valueHead = p.valueHead();
  m.parameterCount = p.params;
  requireEq(r, "model", "initialConv.in", m.trunk.initialConv.inChannels, "spatial inputs",
            m.numInputChannels);
  requireEq(r, "model", "initialMatMul.in", m.trunk.initialMatMul.inChannels, "global inputs",
            m.numInputGlobalChannels);
  int tc = m.trunk.trunkChannels;
  requireEq(r, "model", "p1Conv.in", m.policyHead.p1Conv.inChannels, "trunk", tc);
  requireEq(r, "model", "g1Conv.in", m.policyHead.g1Conv.inChannels, "trunk", tc);
  requireEq(r, "model", "v1Conv.in", m.valueHead.v1Conv.inChannels, "trunk", tc);
  m.numPolicyChannels = m.policyHead.policyChannels;
  m.numValueChannels = 3;
  m.numScoreValueChannels = m.valueHead.sv3Mul.outChannels;
  m.numOwnershipChannels = 1;
  return m;
}

std::string gunzip(const std::string& data, size_t maxBytes) {
  z_stream zs{};
  // 15 + 32: zlib or gzip header, detected automatically.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw std::runtime_error("zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw std::runtime_error(std::string("corrupt gzip data: ") +
                               (zs.msg ? zs.msg : "truncated or damaged stream"));
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > maxBytes) {
      inflateEnd(&zs);
      throw std::runtime_error("decompressed model is larger than the limit");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw std::runtime_error("corrupt gzip data: truncated stream");
    }
  }
  inflateEnd(&zs);
  return out;
}

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::shared_ptr<const ModelDesc> loadModelFile(const std::string& path) {
  try {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw std::runtime_error("is a directory");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw std::runtime_error("cannot open file");
    const std::streamoff size = in.tellg();
    if (size < 0) throw std::runtime_error("cannot read file");
    if (size_t(size) > kMaxModelBytes) throw std::runtime_error("file is too large for a model");
    std::string raw(size_t(size), '\0');
    in.seekg(0);
    if (size > 0 && !in.read(&raw[0], size)) throw std::runtime_error("cannot read file");
    if (raw.empty()) throw std::runtime_error("file is empty");
    bool gz = raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
              static_cast<unsigned char>(raw[1]) == 0x8b;
    if (endsWith(path, ".gz") && !gz) throw std::runtime_error("not a gzip file");
    std::string bytes = gz ? gunzip(raw, kMaxModelBytes) : std::move(raw);
    bool text = endsWith(path, ".txt.gz") || endsWith(path, ".txt");
    return std::make_shared<const ModelDesc>(parseModel(bytes, !text));
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot load model " + path + ": " + e.what());
  }
}

}  // namespace hoshi::nn
