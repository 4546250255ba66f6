#include "nn/hoshi_model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "nn/model_check.h"
#include "util/hash.h"

namespace hoshi::nn {

namespace {

constexpr char kMagic[8] = {'H', 'O', 'S', 'H', 'I', 'N', 'N', '\x1a'};
constexpr size_t kHeaderBytes = 16;
constexpr size_t kSectionHeaderBytes = 16;
enum StorageTag : uint8_t { kF32 = 0, kF16 = 1, kI8PerChannel = 2 };

uint32_t crcOf(const uint8_t* data, size_t n) {
  uLong c = crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length: feed large buffers in pieces.
  while (n > 0) {
    uInt part = uInt(std::min<size_t>(n, 1u << 30));
    c = crc32(c, data, part);
    data += part;
    n -= part;
  }
  return uint32_t(c);
}

// Serialises a ModelDesc; precision decides how convolutions are stored.
class Writer {
 public:
  Writer(const std::string& precision, const QuantTable* quant)
      : precision_(precision), quant_(quant) {}
  std::string out;
  int int8Convs = 0;

  void raw(const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }
  void i32(int& v) {
    int32_t x = v;
    raw(&x, 4);
  }
  void i64(int64_t& v) { raw(&v, 8); }
  void f64(double& v) { raw(&v, 8); }
  void flag(bool& v) {
    uint8_t b = v;
    raw(&b, 1);
  }
  void str(std::string& s) {
    int n = int(s.size());
    i32(n);
    raw(s.data(), s.size());
  }
  void act(Activation& a) {
    int v = int(a);
    i32(v);
  }
  // small: norms and biases, always FP32.
  void floats(std::vector<float>& v, bool small) {
    uint8_t tag = (small || precision_ == "fp32") ? kF32 : kF16;
    int64_t n = int64_t(v.size());
    raw(&tag, 1);
    i64(n);
    if (tag == kF32) {
      raw(v.data(), v.size() * 4);
    } else {
      for (float f : v) {
        uint16_t h = floatToHalf(f);
        raw(&h, 2);
      }
    }
  }
  void convWeights(ConvDesc& c, const std::string& id) {
    if (precision_ != "int8" || !quant_ || !quant_->quantizedConv(id))
      return floats(c.weights, false);
    QuantizedWeights q = quantizeConvWeights(c);
    uint8_t tag = kI8PerChannel;
    int64_t n = int64_t(c.weights.size());
    raw(&tag, 1);
    i64(n);
    raw(q.scales.data(), q.scales.size() * 4);
    raw(q.values.data(), q.values.size());
    ++int8Convs;
  }

 private:
  std::string precision_;
  const QuantTable* quant_;
};

// Reads what Writer wrote, bounds-checked; never allocates past the payload.
class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  int fp16Tensors = 0, fp32Tensors = 0, int8Convs = 0;

  void raw(void* dst, size_t n) {
    if (size_t(end_ - p_) < n) throw std::runtime_error("NETW section ends early");
    // An empty tensor's data() may be null, which memcpy must not get even for 0 bytes.
    if (n == 0) return;
    std::memcpy(dst, p_, n);
    p_ += n;
  }
  void i32(int& v) {
    int32_t x;
    raw(&x, 4);
    v = x;
  }
  void i64(int64_t& v) { raw(&v, 8); }
  void f64(double& v) { raw(&v, 8); }
  void flag(bool& v) {
    uint8_t b;
    raw(&b, 1);
    v = b != 0;
  }
  void str(std::string& s) {
    int n;
    i32(n);
    if (n < 0 || size_t(n) > size_t(end_ - p_)) throw std::runtime_error("bad string length");
    s.assign(reinterpret_cast<const char*>(p_), size_t(n));
    p_ += n;
  }
  void act(Activation& a) {
    int v;
    i32(v);
    if (v < 0 || v > int(Activation::kSilu)) throw std::runtime_error("bad activation");
    a = Activation(v);
  }
  // Where INT8 convolutions go when they are not dequantized (null: dequantize).
  std::map<std::string, QuantizedWeights>* keepInt8 = nullptr;

  void floats(std::vector<float>& v, bool) { read(v, 0, nullptr); }
  void convWeights(ConvDesc& c, const std::string& id) {
    QuantizedWeights* q = nullptr;
    if (keepInt8) {
      q = &(*keepInt8)[id];
      c.weights.clear();
    }
    read(c.weights, c.outChannels, q);
    const size_t got = q && !q->values.empty() ? q->values.size() : c.weights.size();
    if (keepInt8 && q->values.empty()) keepInt8->erase(id);
    int64_t expect = int64_t(c.outChannels) * c.inChannels * c.kernelY * c.kernelX;
    if (int64_t(got) != expect)
      throw std::runtime_error("convolution '" + c.name + "' has the wrong weight count");
  }
  bool atEnd() const { return p_ == end_; }

 private:
  // keep: an INT8 tensor is stored there as it is (v left empty).
  void read(std::vector<float>& v, int outChannels, QuantizedWeights* keep) {
    uint8_t tag;
    int64_t n;
    raw(&tag, 1);
    i64(n);
    const size_t left = size_t(end_ - p_);
    const size_t width = tag == kF32 ? 4 : tag == kF16 ? 2 : 1;
    if (tag > kI8PerChannel || n < 0 || size_t(n) > left / width)
      throw std::runtime_error("bad tensor header");
    if (tag != kI8PerChannel || !keep) v.resize(size_t(n));
    if (tag == kF32) {
      raw(v.data(), size_t(n) * 4);
      ++fp32Tensors;
    } else if (tag == kF16) {
      for (auto& f : v) {
        uint16_t h;
        raw(&h, 2);
        f = halfToFloat(h);
      }
      ++fp16Tensors;
    } else {
      if (outChannels <= 0 || n % outChannels)
        throw std::runtime_error("INT8 tensor outside a conv");
      if (size_t(outChannels) > left / 4 || size_t(n) > left - size_t(outChannels) * 4)
        throw std::runtime_error("NETW section ends early");
      QuantizedWeights local;
      QuantizedWeights& q = keep ? *keep : local;
      q.scales.resize(size_t(outChannels));
      raw(q.scales.data(), q.scales.size() * 4);
      for (float f : q.scales)
        if (!(f > 0) || !std::isfinite(f)) throw std::runtime_error("bad INT8 weight scale");
      q.values.resize(size_t(n));
      raw(q.values.data(), q.values.size());
      if (!keep) v = dequantizeConvWeights(q, outChannels);
      ++int8Convs;
    }
  }
  const uint8_t* p_;
  const uint8_t* end_;
};

template <class IO>
void walkNorm(IO& io, NormActDesc& n) {
  io.str(n.name);
  io.i32(n.channels);
  io.floats(n.scale, true);
  io.floats(n.bias, true);
  io.act(n.activation);
}
template <class IO>
void walkConv(IO& io, ConvDesc& c, const std::string& id) {
  io.str(c.name);
  io.i32(c.kernelY);
  io.i32(c.kernelX);
  io.i32(c.inChannels);
  io.i32(c.outChannels);
  // Bounded so that the weight count out * in * ky * kx fits in 64 bits.
  if (c.kernelY < 0 || c.kernelX < 0 || c.inChannels < 0 || c.outChannels < 0 || c.kernelY > 15 ||
      c.kernelX > 15 || c.inChannels > 65536 || c.outChannels > 65536)
    throw std::runtime_error("convolution '" + c.name + "' has bad dimensions");
  io.convWeights(c, id);
}
template <class IO>
void walkMatMul(IO& io, MatMulDesc& m) {
  io.str(m.name);
  io.i32(m.inChannels);
  io.i32(m.outChannels);
  io.floats(m.weights, false);
}
template <class IO>
void walkBias(IO& io, BiasDesc& b) {
  io.str(b.name);
  io.i32(b.channels);
  io.floats(b.weights, true);
}
template <class IO>
void walkBlock(IO& io, BlockDesc& b, const std::string& id, int depth = 0) {
  // Nesting deeper than any KataGo net would only serve to exhaust the stack.
  if (depth > 4) throw std::runtime_error("nested blocks too deep");
  int kind = int(b.kind);
  io.i32(kind);
  if (kind < 0 || kind > int(BlockKind::kNestedBottleneck))
    throw std::runtime_error("bad block kind");
  b.kind = BlockKind(kind);
  io.str(b.name);
  walkNorm(io, b.preNorm);
  walkConv(io, b.conv1, id + ".conv1");
  walkConv(io, b.gpoolConv, id + ".gpoolConv");
  walkNorm(io, b.gpoolNorm);
  walkMatMul(io, b.gpoolToBias);
  int inner = int(b.inner.size());
  io.i32(inner);
  if (inner < 0 || inner > 1024) throw std::runtime_error("bad inner block count");
  b.inner.resize(size_t(inner));
  for (int j = 0; j < inner; ++j)
    walkBlock(io, b.inner[j], id + ".i" + std::to_string(j), depth + 1);
  walkNorm(io, b.midNorm);
  walkConv(io, b.conv2, id + ".conv2");
}
template <class IO>
void walkModel(IO& io, ModelDesc& m) {
  io.str(m.name);
  for (int* v : {&m.modelVersion, &m.numInputChannels, &m.numInputGlobalChannels,
                 &m.numPolicyChannels, &m.numValueChannels, &m.numScoreValueChannels,
                 &m.numOwnershipChannels, &m.metaEncoderVersion})
    io.i32(*v);
  io.flag(m.preferPassAliveUnderSuicideRules);
  PostProcessParams& pp = m.postProcess;
  for (double* d : {&pp.tdScoreMultiplier, &pp.scoreMeanMultiplier, &pp.scoreStdevMultiplier,
                    &pp.leadMultiplier, &pp.varianceTimeMultiplier,
                    &pp.shorttermValueErrorMultiplier, &pp.shorttermScoreErrorMultiplier})
    io.f64(*d);
  io.i64(m.parameterCount);
  TrunkDesc& t = m.trunk;
  io.str(t.name);
  for (int* v :
       {&t.numBlocks, &t.trunkChannels, &t.midChannels, &t.regularChannels, &t.gpoolChannels})
    io.i32(*v);
  walkConv(io, t.initialConv, "init");
  walkMatMul(io, t.initialMatMul);
  int blocks = int(t.blocks.size());
  io.i32(blocks);
  if (blocks < 0 || blocks > 1024) throw std::runtime_error("bad block count");
  t.blocks.resize(size_t(blocks));
  for (int i = 0; i < blocks; ++i) walkBlock(io, t.blocks[i], "b" + std::to_string(i));
  walkNorm(io, t.tipNorm);
  PolicyHeadDesc& p = m.policyHead;
  io.str(p.name);
  io.i32(p.policyChannels);
  walkConv(io, p.p1Conv, "p1");
  walkConv(io, p.g1Conv, "g1");
  walkNorm(io, p.g1Norm);
  walkMatMul(io, p.gpoolToBias);
  walkNorm(io, p.p1Norm);
  walkConv(io, p.p2Conv, "p2");
  walkMatMul(io, p.gpoolToPass);
  io.flag(p.hasPassMlp);
  walkBias(io, p.passBias);
  io.act(p.passActivation);
  walkMatMul(io, p.gpoolToPass2);
  ValueHeadDesc& v = m.valueHead;
  io.str(v.name);
  walkConv(io, v.v1Conv, "v1");
  walkNorm(io, v.v1Norm);
  walkMatMul(io, v.v2Mul);
  walkBias(io, v.v2Bias);
  io.act(v.v2Activation);
  walkMatMul(io, v.v3Mul);
  walkBias(io, v.v3Bias);
  walkMatMul(io, v.sv3Mul);
  walkBias(io, v.sv3Bias);
  walkConv(io, v.ownershipConv, "own");
}

std::string writeQuant(const QuantTable& q) {
  std::ostringstream os;
  os.precision(9);
  for (const auto& kv : q.tensors) {
    os << "tensor " << kv.first << " " << kv.second.scale << " " << kv.second.zeroPoint << "\n";
    if (kv.second.channel.empty()) continue;
    os << "channels " << kv.first << " " << kv.second.outScale << " " << kv.second.channel.size();
    for (float f : kv.second.channel) os << " " << f;
    os << "\n";
  }
  for (const std::string& c : q.int8Convs) os << "int8conv " << c << "\n";
  for (const std::string& c : q.floatActConvs) os << "floatact " << c << "\n";
  return os.str();
}

// Format 2 only; every entry must name an INT8 convolution of the table.
void checkFloatActivations(const QuantTable& q, uint32_t version) {
  if (q.floatActConvs.empty()) return;
  if (version < 2)
    throw std::runtime_error("QUNT section: 'floatact' entries need format version 2 (file is " +
                             std::to_string(version) + ")");
  for (const std::string& c : q.floatActConvs)
    if (!q.quantizedConv(c))
      throw std::runtime_error("QUNT section: float-activation convolution '" + c +
                               "' is not an INT8 convolution");
}

QuantTable readQuant(const std::string& text, uint32_t version) {
  QuantTable q;
  std::istringstream in(text);
  std::string kind;
  while (in >> kind) {
    std::string name;
    if (kind == "tensor") {
      TensorQuant t;
      if (!(in >> name >> t.scale >> t.zeroPoint) || !(t.scale > 0) ||
          (t.zeroPoint != 0 && t.zeroPoint != -128))
        throw std::runtime_error("QUNT section: bad tensor line");
      q.tensors[name] = t;
    } else if (kind == "channels") {
      size_t n = 0;
      float outScale = 0;
      if (!(in >> name >> outScale >> n) || !q.tensors.count(name) || !(outScale > 0) || n > 65535)
        throw std::runtime_error("QUNT section: bad channels line");
      TensorQuant& t = q.tensors[name];
      t.outScale = outScale;
      t.channel.resize(n);
      for (float& f : t.channel)
        if (!(in >> f) || !(f > 0)) throw std::runtime_error("QUNT section: bad channel factor");
    } else if (kind == "int8conv" && (in >> name)) {
      q.int8Convs.insert(name);
    } else if (kind == "floatact") {
      if (!(in >> name) || !q.floatActConvs.insert(name).second)
        throw std::runtime_error("QUNT section: bad floatact line");
    } else {
      throw std::runtime_error("QUNT section: unknown entry '" + kind + "'");
    }
  }
  checkFloatActivations(q, version);
  return q;
}

void appendSection(std::string& file, const char tag[4], const std::string& payload) {
  uint32_t crc = crcOf(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  uint64_t n = payload.size();
  file.append(tag, 4);
  file.append(reinterpret_cast<const char*>(&crc), 4);
  file.append(reinterpret_cast<const char*>(&n), 8);
  file += payload;
}

// A read-only mapping of a whole file, unmapped on scope exit.
struct Mapping {
  explicit Mapping(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open: " + std::string(std::strerror(errno)));
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw std::runtime_error("not a regular file");
    }
    size = size_t(st.st_size);
    if (size > 0) {
      void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        throw std::runtime_error("mmap failed: " + std::string(std::strerror(errno)));
      }
      data = static_cast<const uint8_t*>(p);
    }
    ::close(fd);
  }
  ~Mapping() {
    if (data) ::munmap(const_cast<uint8_t*>(data), size);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const uint8_t* data = nullptr;
  size_t size = 0;
};

LoadedModel parseHoshi(const uint8_t* data, size_t size, Int8Load mode) {
  if (size < kHeaderBytes || std::memcmp(data, kMagic, 8) != 0)
    throw std::runtime_error("not a Hoshi model file (bad magic)");
  LoadedModel out;
  out.hoshiFile = true;
  HoshiFileInfo& info = out.info;
  uint32_t count;
  std::memcpy(&info.formatVersion, data + 8, 4);
  std::memcpy(&count, data + 12, 4);
  info.fileBytes = size;
  if (info.formatVersion < kHoshiModelFormatMinVersion ||
      info.formatVersion > kHoshiModelFormatVersion)
    throw std::runtime_error("format version " + std::to_string(info.formatVersion) +
                             " is not supported (this build reads versions " +
                             std::to_string(kHoshiModelFormatMinVersion) + " to " +
                             std::to_string(kHoshiModelFormatVersion) + ")");
  std::map<std::string, std::pair<const uint8_t*, size_t>> sections;
  size_t pos = kHeaderBytes;
  for (uint32_t s = 0; s < count; ++s) {
    if (size - pos < kSectionHeaderBytes)
      throw std::runtime_error("truncated: section " + std::to_string(s) + " header missing");
    std::string tag(reinterpret_cast<const char*>(data + pos), 4);
    uint32_t crc;
    uint64_t n;
    std::memcpy(&crc, data + pos + 4, 4);
    std::memcpy(&n, data + pos + 8, 8);
    pos += kSectionHeaderBytes;
    if (n > size - pos)
      throw std::runtime_error("truncated: section " + tag + " ends past the file");
    if (crcOf(data + pos, n) != crc)
      throw std::runtime_error("checksum mismatch in section " + tag + " (file damaged)");
    sections[tag] = {data + pos, size_t(n)};
    info.sections.push_back({tag, n});
    pos += n;
  }
  if (pos != size) throw std::runtime_error("trailing bytes after the last section");
  for (const char* need : {"META", "NETW"})
    if (!sections.count(need))
      throw std::runtime_error(std::string("section ") + need + " missing");
  std::istringstream meta(
      std::string(reinterpret_cast<const char*>(sections["META"].first), sections["META"].second));
  for (std::string line; std::getline(meta, line);) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) info.meta[line.substr(0, eq)] = line.substr(eq + 1);
  }
  auto model = std::make_shared<ModelDesc>();
  Reader r(sections["NETW"].first, sections["NETW"].second);
  std::map<std::string, QuantizedWeights> int8Weights;
  if (mode == Int8Load::kKeepInt8) r.keepInt8 = &int8Weights;
  walkModel(r, *model);
  if (!r.atEnd()) throw std::runtime_error("NETW section has trailing bytes");
  checkModelShapes(*model, mode == Int8Load::kKeepInt8);
  info.int8Convs = r.int8Convs;
  info.fp16Tensors = r.fp16Tensors;
  info.fp32Tensors = r.fp32Tensors;
  out.model = model;
  if (sections.count("QUNT")) {
    const auto& q = sections["QUNT"];
    auto table = std::make_shared<QuantTable>(readQuant(
        std::string(reinterpret_cast<const char*>(q.first), q.second), info.formatVersion));
    // Kept apart, every INT8 tensor must be one the table runs in INT8.
    for (const auto& kv : int8Weights)
      if (!table->quantizedConv(kv.first))
        throw std::runtime_error("convolution " + kv.first +
                                 " is INT8 but not in the QUNT section");
    if (mode == Int8Load::kKeepInt8)
      for (const std::string& c : table->int8Convs)
        if (!int8Weights.count(c))
          throw std::runtime_error("QUNT section lists " + c +
                                   " but NETW does not store it as INT8");
    table->weights = std::move(int8Weights);
    out.quant = std::move(table);
  } else if (info.meta["precision"] == "int8" || !int8Weights.empty()) {
    throw std::runtime_error("INT8 file without a QUNT section");
  }
  return out;
}

}  // namespace

bool isHoshiModelFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  return in.read(head, 8) && std::memcmp(head, kMagic, 8) == 0;
}

LoadedModel parseHoshiModel(const uint8_t* data, size_t size, Int8Load mode) {
  return parseHoshi(data, size, mode);
}

LoadedModel loadHoshiModel(const std::string& path, Int8Load mode) {
  try {
    Mapping map(path);
    return parseHoshi(map.data, map.size, mode);
  } catch (const std::exception& e) {
    throw std::runtime_error("Hoshi model '" + path + "': " + e.what());
  }
}

std::shared_ptr<const ModelDesc> floatModel(const LoadedModel& loaded) {
  if (!loaded.quant || loaded.quant->weights.empty()) return loaded.model;
  auto copy = std::make_shared<ModelDesc>(*loaded.model);
  auto fill = [&](ConvDesc& c, const std::string& id) {
    auto it = loaded.quant->weights.find(id);
    if (it != loaded.quant->weights.end() && c.weights.empty())
      c.weights = dequantizeConvWeights(it->second, c.outChannels);
  };
  // The same names walkBlock gives.
  std::function<void(BlockDesc&, const std::string&)> block = [&](BlockDesc& b,
                                                                  const std::string& id) {
    fill(b.conv1, id + ".conv1");
    fill(b.gpoolConv, id + ".gpoolConv");
    for (size_t j = 0; j < b.inner.size(); ++j) block(b.inner[j], id + ".i" + std::to_string(j));
    fill(b.conv2, id + ".conv2");
  };
  for (size_t i = 0; i < copy->trunk.blocks.size(); ++i)
    block(copy->trunk.blocks[i], "b" + std::to_string(i));
  fill(copy->trunk.initialConv, "init");
  PolicyHeadDesc& p = copy->policyHead;
  ValueHeadDesc& v = copy->valueHead;
  for (auto [conv, id] : {std::make_pair(&p.p1Conv, "p1"), std::make_pair(&p.g1Conv, "g1"),
                          std::make_pair(&p.p2Conv, "p2"), std::make_pair(&v.v1Conv, "v1"),
                          std::make_pair(&v.ownershipConv, "own")})
    fill(*conv, id);
  return copy;
}

void writeHoshiModel(const std::string& path, const ModelDesc& model, const QuantTable* quant,
                     const HoshiWriteOptions& options) {
  const std::string& prec = options.precision;
  if (prec != "int8" && prec != "fp16" && prec != "fp32")
    throw std::invalid_argument("precision must be int8, fp16 or fp32");
  if (prec == "int8" && !quant) throw std::invalid_argument("an INT8 file needs a QuantTable");
  const bool floatAct = prec == "int8" && !quant->floatActConvs.empty();
  if (floatAct) {
    try {
      checkFloatActivations(*quant, 2);
    } catch (const std::runtime_error& e) {
      throw std::invalid_argument(e.what());
    }
  }
  ModelDesc copy = model;
  Writer w(prec, quant);
  walkModel(w, copy);
  std::string meta = "precision=" + prec + "\n";
  meta += "int8Convs=" + std::to_string(w.int8Convs) + "\n";
  for (const auto& kv : options.meta) meta += kv.first + "=" + kv.second + "\n";
  std::string file(kMagic, 8);
  // Format 1 when nothing needs 2: older builds read such a file.
  uint32_t version = floatAct ? 2 : 1;
  uint32_t count = prec == "int8" ? 3 : 2;
  file.append(reinterpret_cast<const char*>(&version), 4);
  file.append(reinterpret_cast<const char*>(&count), 4);
  appendSection(file, "META", meta);
  appendSection(file, "NETW", w.out);
  if (prec == "int8") appendSection(file, "QUNT", writeQuant(*quant));
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out.write(file.data(), std::streamsize(file.size())) || !out.flush())
      throw std::runtime_error("cannot write '" + tmp + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot rename '" + tmp + "' to '" + path + "'");
}

std::string fileFingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  uint64_t h = util::kFnv1aOffset;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) h = util::fnv1a(buf, size_t(in.gcount()), h);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const int32_t exp = int32_t((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff) return uint16_t(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31) return uint16_t(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10) return uint16_t(sign);
    mant |= 0x800000u;
    const int shift = 14 - exp;
    uint32_t half = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1))) ++half;
    return uint16_t(sign | half);
  }
  uint32_t half = sign | (uint32_t(exp) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) ++half;  // may carry into the exponent
  return uint16_t(half);
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
  float f;
  if (exp == 0) {
    f = std::ldexp(float(mant), -24);
    return sign ? -f : f;
  }
  uint32_t x =
      exp == 31 ? (sign | 0x7f800000u | (mant << 13)) : (sign | ((exp + 112) << 23) | (mant << 13));
  std::memcpy(&f, &x, 4);
  return f;
}

}  // namespace hoshi::nn
