// INT8-weight convolutions with float activations (QuantTable::floatActConvs):
// the Hoshi file round trip (format 2, format 1 still read), damaged marks,
// `hoshi info`, and the XNNPACK backend running them in FP32 on real positions.

#include <zlib.h>
#include <catch2/catch.hpp>

#include "int8_fixture.h"

#include <sys/stat.h>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "quant/calibration.h"
#include "quant/equalization.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#include "quant/table.h"
#include "quant/xnnpack/calibrate.h"

using namespace hoshi;
using namespace hoshi::nn;
using namespace hoshi::quant;
using namespace hoshi::nn::test;

namespace {

std::string tempPath(const std::string& name) {
  return nn::test::tempPath("floatact-test-", name);
}

std::vector<EncodedPosition> gameInputs(int n, uint64_t seed) {
  return encode(
      samplePositions(listGameFiles({sharedDir() + "/sgf/golden-games"}), n, seed).positions);
}

// b6c96's table from a few positions: 14 INT8 block convolutions, none kept FP16.
const QuantTable& baseTable() {
  static const QuantTable t = buildQuantTable(*folded(), calibrate(folded(), gameInputs(16, 3), 1),
                                              RangeCalibrator::Method::kLeastError);
  return t;
}

std::string write(const std::string& name, const std::set<std::string>& floatAct) {
  QuantTable t = baseTable();
  t.floatActConvs = floatAct;
  const std::string path = tempPath(name);
  writeHoshiModel(path, *folded(), &t, HoshiWriteOptions());
  return path;
}

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The file with its QUNT section's text replaced (valid checksum), so only
// the reader's checks can refuse it; version 0 keeps the file's own.
std::string rewriteQunt(const std::string& path, const std::string& name,
                        const std::function<std::string(std::string)>& edit, uint32_t version = 0) {
  std::string bytes = readBytes(path);
  size_t pos = 16, qunt = 0;
  while (pos < bytes.size()) {
    uint64_t n;
    std::memcpy(&n, bytes.data() + pos + 8, 8);
    if (bytes.compare(pos, 4, "QUNT") == 0) qunt = pos;
    pos += 16 + size_t(n);
  }
  REQUIRE(qunt > 0);  // the last section
  const std::string text = edit(bytes.substr(qunt + 16));
  bytes = bytes.substr(0, qunt + 16) + text;
  const uint64_t n = text.size();
  const uint32_t crc =
      uint32_t(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()), uInt(n)));
  std::memcpy(&bytes[qunt + 4], &crc, 4);
  std::memcpy(&bytes[qunt + 8], &n, 8);
  if (version) std::memcpy(&bytes[8], &version, 4);
  const std::string out = tempPath(name);
  std::ofstream(out, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  return out;
}

AgreementMetrics agreement(const std::vector<NetOutput>& ref, const std::vector<NetOutput>& test) {
  AgreementStats s;
  for (size_t i = 0; i < ref.size(); ++i) s.add(ref[i], test[i]);
  return s.result();
}

const std::set<std::string> kMarked = {"b1.conv1", "b3.conv2", "b5.conv2"};

}  // namespace

TEST_CASE("float activations: the Hoshi file round trip, format 2 only when needed",
          "[int8][hoshi_model]") {
  if (!exists(modelPath())) return;
  const std::string plain = write("plain.hoshi", {});
  const std::string marked = write("marked.hoshi", kMarked);
  LoadedModel p = loadHoshiModel(plain);
  LoadedModel m = loadHoshiModel(marked);
  LoadedModel d = loadHoshiModel(marked, Int8Load::kDequantize);
  CHECK(p.info.formatVersion == 1);  // older builds read it
  CHECK(m.info.formatVersion == 2);
  CHECK(p.quant->floatActConvs.empty());
  CHECK(m.quant->floatActConvs == kMarked);
  CHECK(d.quant->floatActConvs == kMarked);
  // The weights stay INT8 in the file: same counts, only the QUNT lines added.
  CHECK(m.info.int8Convs == 14);
  CHECK(m.quant->int8Convs.size() == 14);
  CHECK(m.quant->weights.size() == 14);
  CHECK(m.quant->weights.at("b3.conv2").values.size() == 96u * 96 * 9);
  CHECK(m.info.fileBytes - p.info.fileBytes == 3 * std::string("floatact b1.conv1\n").size());
  CHECK(m.quant->int8Activations("b0.conv1"));
  CHECK_FALSE(m.quant->int8Activations("b3.conv2"));
  CHECK(m.quant->quantizedConv("b3.conv2"));
  // An old file (committed fuzz seed, written before format 2) still loads.
  const std::string old =
      std::string(HOSHI_SOURCE_DIR) + "/tests/fuzz/corpus/hoshi_model/v8-int8.hoshi";
  REQUIRE(exists(old));
  LoadedModel o = loadHoshiModel(old);
  CHECK(o.info.formatVersion == 1);
  REQUIRE(o.quant);
  CHECK(o.quant->floatActConvs.empty());
  CHECK_FALSE(o.quant->int8Convs.empty());
}

TEST_CASE("float activations: damaged or misplaced marks are refused clearly",
          "[int8][hoshi_model]") {
  if (!exists(modelPath())) return;
  const std::string marked = write("marked2.hoshi", kMarked);
  auto add = [](const std::string& line) { return [line](std::string t) { return t + line; }; };
  CHECK_THROWS_WITH(
      loadHoshiModel(rewriteQunt(marked, "unknown.hoshi", add("floatact b9.conv1\n"))),
      Catch::Contains("float-activation convolution 'b9.conv1' is not an INT8"));
  CHECK_THROWS_WITH(loadHoshiModel(rewriteQunt(marked, "noname.hoshi", add("floatact\n"))),
                    Catch::Contains("QUNT section: bad floatact line"));
  CHECK_THROWS_WITH(loadHoshiModel(rewriteQunt(marked, "twice.hoshi", add("floatact b1.conv1\n"))),
                    Catch::Contains("QUNT section: bad floatact line"));
  // A format 1 file may not hold marks (a build that reads only format 1
  // refuses the entry; this one refuses the mismatch).
  CHECK_THROWS_WITH(loadHoshiModel(rewriteQunt(
                        marked, "v1.hoshi", [](std::string t) { return t; }, 1)),
                    Catch::Contains("'floatact' entries need format version 2 (file is 1)"));
  // A mark on a convolution kept FP16 (not INT8).
  QuantTable kept = buildQuantTable(*folded(), calibrate(folded(), gameInputs(4, 9), 1),
                                    RangeCalibrator::Method::kMax, {"b2.conv1"});
  const std::string fp16 = tempPath("kept.hoshi");
  writeHoshiModel(fp16, *folded(), &kept, HoshiWriteOptions());
  CHECK_THROWS_WITH(
      loadHoshiModel(rewriteQunt(fp16, "fp16mark.hoshi", add("floatact b2.conv1\n"), 2)),
      Catch::Contains("'b2.conv1' is not an INT8 convolution"));
  // The writer refuses such a table too.
  kept.floatActConvs = {"b2.conv1"};
  CHECK_THROWS_AS(writeHoshiModel(tempPath("bad.hoshi"), *folded(), &kept, HoshiWriteOptions()),
                  std::invalid_argument);
  // The intact file still loads, and a format 3 one is refused.
  CHECK_NOTHROW(loadHoshiModel(marked));
  CHECK_THROWS_WITH(
      loadHoshiModel(rewriteQunt(
          marked, "v3.hoshi", [](std::string t) { return t; }, 3)),
      Catch::Contains("format version 3 is not supported (this build reads versions 1 to 2)"));
}

TEST_CASE("float activations: xnnpack runs marked convolutions closer to FP32", "[int8]") {
  if (!exists(modelPath())) return;
  auto inputs = gameInputs(64, 21);
  auto ref = run(folded(), nullptr, "eigen", inputs);
  std::set<std::string> all(baseTable().int8Convs.begin(), baseTable().int8Convs.end());
  LoadedModel none = loadHoshiModel(write("none.hoshi", {}));
  LoadedModel some = loadHoshiModel(write("some.hoshi", kMarked));
  LoadedModel every = loadHoshiModel(write("every.hoshi", all));
  AgreementMetrics a = agreement(ref, run(none.model, none.quant, "xnnpack", inputs));
  AgreementMetrics b = agreement(ref, run(some.model, some.quant, "xnnpack", inputs));
  AgreementMetrics c = agreement(ref, run(every.model, every.quant, "xnnpack", inputs));
  INFO("all INT8:    " << formatMetrics(a));
  INFO("3 float act: " << formatMetrics(b));
  INFO("all float:   " << formatMetrics(c));
  CHECK(a.positions == 64);
  // Measured (this calibration, 64 positions): KL 0.0133 all INT8, 0.0109
  // with 3 marks, 0.0007 all marked; winrate MAE 0.0050, 0.0041, 0.0015.
  CHECK(b.policyKL < 0.9 * a.policyKL);
  CHECK(b.winrateMAE < 0.9 * a.winrateMAE);
  CHECK(b.leadMAE < a.leadMAE);
  // Every convolution float: only the INT8 weight rounding remains, which
  // is what Eigen computes on the dequantized file.
  CHECK(c.policyKL < 0.1 * a.policyKL);
  CHECK(c.policyTop1 > a.policyTop1);
  CHECK(c.winrateMAE < 0.5 * a.winrateMAE);
  LoadedModel deq = loadHoshiModel(tempPath("every.hoshi"), Int8Load::kDequantize);
  AgreementMetrics e = agreement(run(deq.model, nullptr, "eigen", inputs),
                                 run(every.model, every.quant, "xnnpack", inputs));
  CHECK(e.policyTop1 == 1.0);
  CHECK(e.policyKL < 1e-6);
  CHECK(e.winrateMAE < 1e-4);
  // Loaded with or without FP32 copies: the same outputs.
  LoadedModel full = loadHoshiModel(tempPath("some.hoshi"), Int8Load::kDequantize);
  AgreementMetrics f = agreement(run(some.model, some.quant, "xnnpack", inputs),
                                 run(full.model, full.quant, "xnnpack", inputs));
  CHECK(f.policyKL < 1e-7);
  CHECK(f.winrateMAE < 1e-5);
}

namespace {

}  // namespace

TEST_CASE("float activations: hoshi info lists them", "[int8][hoshi_model]") {
  if (!exists(modelPath())) return;
  const std::string path = write("info.hoshi", kMarked);
  int status = -1;
  const std::string out = runHoshi("info " + path, &status);
  if (out.empty()) return;
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("format 2"));
  CHECK_THAT(out, Catch::Contains("float act.:     3 convolutions (INT8 weights, float "
                                  "activations): b1.conv1, b3.conv2, b5.conv2\n"));
  CHECK_THAT(out, Catch::Contains("int8 act.:      11 convolutions (INT8 weights, INT8 "
                                  "activations): b0.conv1, b0.conv2, b1.conv2, "));
}

TEST_CASE("float activations: hoshi compare traces and dumps by layer and position", "[int8]") {
  if (!exists(modelPath())) return;
  const std::string path = write("compare.hoshi", kMarked);
  const std::string dump = tempPath("compare-dump.tsv");
  int status = -1;
  const std::string out =
      runHoshi("compare -ref " + modelPath() + " -test " + path + " -positions " + sharedDir() +
                   "/sgf/golden-games -n 12 -trace 4 -dump " + dump,
               &status);
  if (out.empty()) return;
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("positions        12\n"));
  // The trace compares the file with itself in FP32: block 0 reads the FP32
  // initial conv's output, exactly; marked convolutions say f-act.
  CHECK_THAT(out, Catch::Contains("  b0.in      fp32  0.00000  0.0000\n"));
  CHECK_THAT(out, Catch::Contains("  b1.mid     f-act "));
  CHECK_THAT(out, Catch::Contains("  b3.out     f-act "));
  CHECK_THAT(out, Catch::Contains("  b0.out     int8  "));
  CHECK_THAT(out, !Catch::Contains("  b0.out     int8  0.00000"));
  std::ifstream in(dump);
  std::string line;
  int lines = 0, sizes = 0;
  std::getline(in, line);
  CHECK(line == "index\tsize\tref_top1\ttest_top1\tref_p_ref_top1\tref_p_test_top1\tkl");
  while (std::getline(in, line)) {
    std::istringstream f(line);
    int index = -1, size = 0;
    std::string refTop, testTop;
    f >> index >> size >> refTop >> testTop;
    CHECK(index == lines++);
    sizes += size >= 7 && size <= 19;
    // GTP coordinates (column letters skip I) or pass.
    for (const std::string& m : {refTop, testTop}) {
      INFO(line);
      CHECK((m == "pass" || (m.size() >= 2 && m[0] >= 'A' && m[0] <= 'T' && m[0] != 'I' &&
                             std::isdigit(static_cast<unsigned char>(m[1])))));
    }
  }
  CHECK(lines == 12);
  CHECK(sizes == 12);
}

TEST_CASE("float activations: hoshi quantize picks them, GPTQ on, and says what it did", "[int8]") {
  if (!exists(modelPath()) || !exists("/usr/share/goban/Hon-41-1.mgt")) return;
  const std::string out = tempPath("quantize-cli.hoshi");
  std::remove(out.c_str());
  const std::string calib =
      " -calib /usr/share/goban/Hon-41-1.mgt /usr/share/goban/Hon-41-2.mgt "
      "/usr/share/goban/Hon-41-3.mgt /usr/share/goban/Hon-41-4.mgt";
  int status = -1;
  const std::string log =
      runHoshi("quantize -model " + modelPath() + calib +
                   " -positions 24 -holdout 8 -selfplay 0 -method mse -equalize 0 -gptq on -max-float 0"
                   " -float-act-by kl -target-top1 2 -max-float-act 2 -threads 1 -out " +
                   out,
               &status);
  if (log.empty()) return;
  INFO(log);
  CHECK(status == 0);
  CHECK_THAT(log, Catch::Contains("range method: mse"));
  CHECK_THAT(log, Catch::Contains("gptq ("));
  size_t steps = 0;
  for (size_t at = 0; (at = log.find("  float act. b", at)) != std::string::npos; ++at) ++steps;
  CHECK(steps == 2);
  CHECK_THAT(log, Catch::Contains("wrote " + out + ": int8"));
  const std::string info = runHoshi("info " + out, &status);
  CHECK(status == 0);
  CHECK_THAT(info, Catch::Contains("float act.:     2 convolutions"));
  CHECK_THAT(info, Catch::Contains("int8 act.:      12 convolutions"));
  // Bad input: a clear error, exit status not 0, no file written.
  const std::string bad = tempPath("quantize-bad.hoshi");
  std::remove(bad.c_str());
  const std::string noCalib = runHoshi(
      "quantize -model " + modelPath() + " -calib /nonexistent/games -out " + bad, &status);
  CHECK(status != 0);
  CHECK_THAT(noCalib, Catch::Contains("/nonexistent/games"));
  CHECK_FALSE(exists(bad));
  for (const char* opt : {" -gptq sometimes", " -target-top1 much", " -target-top1 -1"}) {
    INFO(opt);
    const std::string refused =
        runHoshi("quantize -model " + modelPath() + calib + opt + " -out " + bad, &status);
    CHECK(status != 0);
    CHECK_THAT(refused, Catch::Contains("usage: hoshi quantize"));
    CHECK_FALSE(exists(bad));
  }
}
