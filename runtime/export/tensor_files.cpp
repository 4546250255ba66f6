#include "export/tensor_files.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "export/atomic_file.h"
#include "nn/model.h"
#include "nn/symmetry.h"

namespace hoshi::exporter {

namespace {

constexpr char kFeaturesMagic[] = "HSFEAT01";
constexpr char kRawMagic[] = "HSRAW001";

void putU32(std::ostream& out, uint32_t v) {
  unsigned char b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  out.write(reinterpret_cast<const char*>(b), 4);
}

void putFloats(std::ostream& out, const float* data, size_t n) {
  out.write(reinterpret_cast<const char*>(data), std::streamsize(n * sizeof(float)));
}

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot read '" + path + "'");
  }
  uint32_t u32() {
    unsigned char b[4];
    bytes(b, 4);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
  }
  void floats(std::vector<float>& v, size_t n) {
    v.resize(n);
    bytes(v.data(), n * sizeof(float));
  }
  void bytes(void* p, size_t n) {
    if (!in_.read(static_cast<char*>(p), std::streamsize(n)))
      throw std::runtime_error("'" + path_ + "' is truncated");
  }
  [[noreturn]] void fail(const std::string& why) {
    throw std::runtime_error("'" + path_ + "': " + why);
  }

 private:
  std::string path_;
  std::ifstream in_;
};

}  // namespace

void writeFeatures(const std::string& path, const nn::ModelDesc& model,
                   const std::vector<nn::EncodedPosition>& positions) {
  AtomicFile file(path);
  std::ostream& out = file.stream();
  out.write(kFeaturesMagic, 8);
  putU32(out, uint32_t(positions.size()));
  putU32(out, uint32_t(model.numInputChannels));
  putU32(out, uint32_t(model.numInputGlobalChannels));
  for (const nn::EncodedPosition& e : positions) {
    putU32(out, uint32_t(nn::symmetricWidth(e.symmetry, e.xSize, e.ySize)));
    putU32(out, uint32_t(nn::symmetricHeight(e.symmetry, e.xSize, e.ySize)));
    putFloats(out, e.spatial.data(), e.spatial.size());
    putFloats(out, e.global.data(), e.global.size());
  }
  file.commit();
}

void writeRaw(const std::string& path, const nn::ModelDesc& model,
              const std::vector<RawOutputs>& outputs) {
  AtomicFile file(path);
  std::ostream& out = file.stream();
  out.write(kRawMagic, 8);
  putU32(out, uint32_t(outputs.size()));
  putU32(out, uint32_t(model.numPolicyChannels));
  putU32(out, uint32_t(model.numScoreValueChannels));
  for (const RawOutputs& r : outputs) {
    putU32(out, uint32_t(r.width));
    putU32(out, uint32_t(r.height));
    for (const std::vector<float>* v : {&r.policy, &r.policyPass, &r.value, &r.misc, &r.ownership})
      putFloats(out, v->data(), v->size());
  }
  file.commit();
}

std::vector<RawOutputs> readRaw(const std::string& path, const nn::ModelDesc& model) {
  Reader in(path);
  char magic[8];
  in.bytes(magic, 8);
  if (std::memcmp(magic, kRawMagic, 8) != 0) in.fail("not a raw-outputs file");
  const uint32_t count = in.u32();
  const uint32_t p = in.u32(), s = in.u32();
  if (int(p) != model.numPolicyChannels || int(s) != model.numScoreValueChannels)
    in.fail("its " + std::to_string(p) + " policy / " + std::to_string(s) +
            " misc-value channels do not fit the model's " +
            std::to_string(model.numPolicyChannels) + " / " +
            std::to_string(model.numScoreValueChannels));
  if (count > 1000000) in.fail("implausible record count");
  std::vector<RawOutputs> out(count);
  for (RawOutputs& r : out) {
    r.width = int(in.u32());
    r.height = int(in.u32());
    if (r.width < 2 || r.width > 19 || r.height < 2 || r.height > 19)
      in.fail("board size outside 2..19");
    const size_t area = size_t(r.width) * r.height;
    in.floats(r.policy, p * area);
    in.floats(r.policyPass, p);
    in.floats(r.value, 3);
    in.floats(r.misc, s);
    in.floats(r.ownership, area);
  }
  return out;
}

namespace {

void appendNumber(std::string& s, double v) {
  char buf[32];
  if (!std::isfinite(v)) {
    s += "null";
    return;
  }
  std::snprintf(buf, sizeof(buf), "%.7g", v);
  s += buf;
}

void appendField(std::string& s, const char* key, double v) {
  s += ",\"";
  s += key;
  s += "\":";
  appendNumber(s, v);
}

void appendArray(std::string& s, const char* key, const std::vector<float>& v) {
  s += ",\"";
  s += key;
  s += "\":[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    appendNumber(s, v[i]);
  }
  s += ']';
}

}  // namespace

std::string netOutputJson(const std::string& id, const nn::NetOutput& o) {
  std::string s = "{\"id\":\"";
  for (char c : id)
    if (c != '"' && c != '\\') s += c;
  s += '"';
  appendField(s, "board_size", o.xSize);
  appendField(s, "whiteWin", o.whiteWin);
  appendField(s, "whiteLoss", o.whiteLoss);
  appendField(s, "noResult", o.noResult);
  appendField(s, "whiteLead", o.whiteLead);
  appendField(s, "whiteScoreSelfplay", o.whiteScoreSelfplay);
  appendField(s, "whiteScoreSelfplaySq", o.whiteScoreSelfplaySq);
  appendField(s, "varTimeLeft", o.varTimeLeft);
  appendField(s, "shorttermWinlossError", o.shorttermWinlossError);
  appendField(s, "shorttermScoreError", o.shorttermScoreError);
  appendArray(s, "policy", o.policy);
  appendField(s, "policyPass", o.policyPass);
  appendArray(s, "whiteOwnership", o.whiteOwnership);
  s += "}";
  return s;
}

}  // namespace hoshi::exporter
