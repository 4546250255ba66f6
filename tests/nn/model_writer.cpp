#include "nn/model_writer.h"

#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

namespace hoshi::test {

namespace {

class Writer {
 public:
  explicit Writer(const WriterSpec& spec) : spec_(spec), rng_(spec.seed) {}

  std::string out;

  void line(const std::string& s) { out += s + "\n"; }
  void floats(const std::vector<float>& v) {
    if (!spec_.binaryFloats) {
      char buf[32];
      for (float f : v) {
        std::snprintf(buf, sizeof(buf), "%.9g ", double(f));
        out += buf;
      }
      out += "\n";
      return;
    }
    out += "@BIN@";
    for (float f : v) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      for (int i = 0; i < 4; ++i) out += char((bits >> (8 * i)) & 0xff);
    }
    out += "\n";
  }
  std::vector<float> random(size_t n, float scale) {
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<float> v(n);
    for (float& f : v) f = d(rng_);
    return v;
  }
  std::vector<float> uniform(size_t n, float lo, float hi) {
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (float& f : v) f = d(rng_);
    return v;
  }

  void conv(const std::string& name, int k, int in, int outC) {
    line(name);
    line(std::to_string(k) + " " + std::to_string(k) + " " + std::to_string(in) + " " +
         std::to_string(outC) + " 1 1");
    floats(random(size_t(k) * k * in * outC, 1.0f / std::sqrt(float(k * k * in))));
  }
  void bn(const std::string& name, int c) {
    line(name);
    line(std::to_string(c) + " 1e-05 1 1");
    floats(random(c, 0.1f));
    floats(uniform(c, 0.5f, 1.5f));
    floats(uniform(c, 0.5f, 1.5f));
    floats(random(c, 0.1f));
  }
  void act(const std::string& name, const std::string& kind) {
    line(name);
    if (spec_.version >= 11) line(kind);
  }
  void normAct(const std::string& name, int c) {
    bn(name + "/norm", c);
    act(name + "/act", spec_.activation);
  }
  void matMul(const std::string& name, int in, int outC) {
    line(name);
    line(std::to_string(in) + " " + std::to_string(outC));
    floats(random(size_t(in) * outC, 1.0f / std::sqrt(float(in))));
  }
  void bias(const std::string& name, int c) {
    line(name);
    line(std::to_string(c));
    floats(random(c, 0.1f));
  }

  void block(WriterBlock kind, const std::string& name, int channels) {
    const int mid = spec_.midChannels, gp = spec_.gpoolChannels;
    if (kind == WriterBlock::kOrdinary) {
      line("ordinary_block");
      line(name);
      normAct(name + "/pre", channels);
      conv(name + "/w1", 3, channels, mid);
      normAct(name + "/mid", mid);
      conv(name + "/w2", 3, mid, channels);
    } else if (kind == WriterBlock::kGlobalPooling) {
      line("gpool_block");
      line(name);
      normAct(name + "/pre", channels);
      conv(name + "/w1a", 3, channels, mid);
      conv(name + "/w1b", 3, channels, gp);
      normAct(name + "/gpool", gp);
      matMul(name + "/gpoolToBias", 3 * gp, mid);
      normAct(name + "/mid", mid);
      conv(name + "/w2", 3, mid, channels);
    } else {
      line("nested_bottleneck_block");
      line(name);
      line("2");
      normAct(name + "/pre", channels);
      conv(name + "/preConv", 1, channels, mid);
      block(WriterBlock::kOrdinary, name + "/inner1", mid);
      block(WriterBlock::kGlobalPooling, name + "/inner2", mid);
      normAct(name + "/post", mid);
      conv(name + "/postConv", 1, mid, channels);
    }
  }

  void model() {
    const int v = spec_.version, tc = spec_.trunkChannels, hc = spec_.headChannels;
    line("random-test-net-v" + std::to_string(v));
    line(std::to_string(v));
    line("22");
    line("19");
    if (v >= 13) line("20.0 20.0 20.0 20.0 40.0 0.25 30.0");
    if (v >= 15) line("0 0 0 0 0 0 0 0");
    line("trunk");
    line(std::to_string(spec_.blocks.size()) + " " + std::to_string(tc) + " " +
         std::to_string(spec_.midChannels) + " " + std::to_string(spec_.midChannels) + " 0 " +
         std::to_string(spec_.gpoolChannels));
    if (v >= 15) line("0 0 0 0 0 0");
    conv("conv1", spec_.initialKernel, 22, tc);
    matMul("ginput", 19, tc);
    for (size_t i = 0; i < spec_.blocks.size(); ++i)
      block(spec_.blocks[i], "block" + std::to_string(i), tc);
    normAct("trunk/tip", tc);

    const int policyChannels = v >= 16 ? 4 : v >= 12 ? 2 : 1;
    line("policyhead");
    conv("p1", 1, tc, hc);
    conv("g1", 1, tc, hc);
    normAct("g1", hc);
    matMul("gpoolToBias", 3 * hc, hc);
    normAct("p1", hc);
    conv("p2", 1, hc, policyChannels);
    if (v >= 15) {
      matMul("gpoolToPass", 3 * hc, hc);
      bias("passBias", hc);
      act("passAct", spec_.activation);
      matMul("gpoolToPass2", hc, policyChannels);
    } else {
      matMul("gpoolToPass", 3 * hc, policyChannels);
    }

    const int vc = spec_.valueChannels;
    line("valuehead");
    conv("v1", 1, tc, hc);
    normAct("v1", hc);
    matMul("v2", 3 * hc, vc);
    bias("v2b", vc);
    act("v2act", spec_.activation);
    matMul("v3", vc, 3);
    bias("v3b", 3);
    matMul("sv3", vc, v >= 9 ? 6 : 4);
    bias("sv3b", v >= 9 ? 6 : 4);
    conv("vownership", 1, hc, 1);
  }

 private:
  const WriterSpec& spec_;
  std::mt19937_64 rng_;
};

}  // namespace

std::string writeModelBytes(const WriterSpec& spec) {
  Writer w(spec);
  w.model();
  return w.out;
}

std::string gzipBytes(const std::string& bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = uInt(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = uInt(out.size());
  int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(zs.total_out);
  return out;
}

void writeModelFile(const std::string& path, const WriterSpec& spec) {
  std::ofstream f(path, std::ios::binary);
  std::string gz = gzipBytes(writeModelBytes(spec));
  f.write(gz.data(), std::streamsize(gz.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace hoshi::test
