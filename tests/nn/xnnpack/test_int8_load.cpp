// Loading an INT8 Hoshi file without FP32 copies of its INT8 weights (what
// the engine does), against the dequantizing load; cross-layer equalization
// keeps the FP32 function; golden positions read for `hoshi compare -golden`.

#include <zlib.h>
#include <catch2/catch.hpp>

#include "int8_fixture.h"

#include <sys/stat.h>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "nn/xnnpack/xnn_backend.h"
#include "quant/calibration.h"
#include "quant/equalization.h"
#include "quant/golden.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#include "quant/selfplay.h"
#include "quant/table.h"
#include "quant/xnnpack/calibrate.h"

using namespace hoshi;
using namespace hoshi::nn;
using namespace hoshi::quant;
using namespace hoshi::nn::test;

namespace {

std::vector<GameState> gamePositions(int n, uint64_t seed) {
  return samplePositions(listGameFiles({sharedDir() + "/sgf/golden-games"}), n, seed).positions;
}

// A small INT8 file of b6c96 (ranges from a few positions).
std::string writeInt8(const std::string& name, std::shared_ptr<const ModelDesc> model) {
  RangeCalibrator ranges = calibrate(model, encode(gamePositions(8, 3)), 1);
  QuantTable table =
      buildQuantTable(*model, ranges, RangeCalibrator::Method::kLeastError, {"b0.conv2"});
  const std::string path = std::string(HOSHI_BINARY_DIR) + "/int8-test-" + name;
  HoshiWriteOptions w;
  writeHoshiModel(path, *model, &table, w);
  return path;
}

double worstDiff(const std::vector<NetOutput>& a, const std::vector<NetOutput>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::fabs(double(a[i].whiteWin) - b[i].whiteWin));
    worst = std::max(worst, std::fabs(double(a[i].whiteLead) - b[i].whiteLead) / 20.0);
    for (size_t k = 0; k < a[i].policy.size(); ++k)
      worst = std::max(worst, std::fabs(double(a[i].policy[k]) - b[i].policy[k]));
  }
  return worst;
}

}  // namespace

TEST_CASE("int8 load: INT8 weights stay INT8, same outputs as the dequantizing load",
          "[int8][hoshi_model]") {
  if (!exists(modelPath())) return;
  const std::string path = writeInt8("compact.hoshi", folded());
  LoadedModel compact = loadHoshiModel(path);
  LoadedModel full = loadHoshiModel(path, Int8Load::kDequantize);
  REQUIRE(compact.quant);
  REQUIRE(full.quant);
  CHECK(compact.quant->weights.size() == 13);  // 14 block convs, b0.conv2 kept FP16
  CHECK(full.quant->weights.empty());
  CHECK(compact.model->trunk.blocks[1].conv1.weights.empty());
  CHECK(compact.model->trunk.blocks[0].conv2.weights.size() == 96u * 96 * 9);
  const QuantizedWeights& q = compact.quant->weights.at("b1.conv1");
  CHECK(q.values.size() == 96u * 96 * 9);
  CHECK(q.scales.size() == 96u);
  // The dequantizing load holds exactly values * scale.
  const auto& w = full.model->trunk.blocks[1].conv1.weights;
  REQUIRE(w.size() == q.values.size());
  for (size_t i : {size_t(0), size_t(1234), w.size() - 1})
    CHECK(w[i] == float(q.values[i]) * q.scales[i / (96 * 9)]);

  auto inputs = encode(gamePositions(12, 5));
  auto a = run(compact.model, compact.quant, "xnnpack", inputs);
  auto b = run(full.model, full.quant, "xnnpack", inputs);
  CHECK(worstDiff(a, b) < 1e-6);
  // A float backend needs floatModel(); given the compact model it refuses.
  CHECK_THROWS_WITH(createBackend("eigen", compact.model, BackendOptions()),
                    Catch::Contains("weights for its shape"));
  auto e1 = run(floatModel(compact), nullptr, "eigen", inputs);
  auto e2 = run(full.model, nullptr, "eigen", inputs);
  CHECK(worstDiff(e1, e2) < 1e-6);
}

TEST_CASE("int8 load: a QUNT section that does not match the INT8 tensors is refused",
          "[int8][hoshi_model]") {
  if (!exists(modelPath())) return;
  const ModelDesc& m = *folded();
  RangeCalibrator ranges = calibrate(folded(), encode(gamePositions(4, 9)), 1);
  QuantTable table = buildQuantTable(m, ranges, RangeCalibrator::Method::kMax, {"b2.conv1"});
  const std::string path = std::string(HOSHI_BINARY_DIR) + "/int8-test-mismatch.hoshi";
  writeHoshiModel(path, m, &table, HoshiWriteOptions());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // QUNT is the last section: name b2.conv1 (stored FP16) as INT8 there,
  // with a valid checksum, so only the reader's cross-check can catch it.
  size_t pos = 16, qunt = 0;
  while (pos < bytes.size()) {
    uint64_t n;
    std::memcpy(&n, bytes.data() + pos + 8, 8);
    if (bytes.compare(pos, 4, "QUNT") == 0) qunt = pos;
    pos += 16 + size_t(n);
  }
  REQUIRE(qunt > 0);
  bytes += "int8conv b2.conv1\n";
  const uint64_t n = bytes.size() - qunt - 16;
  const uint32_t crc = uint32_t(crc32(
      crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data() + qunt + 16), uInt(n)));
  std::memcpy(&bytes[qunt + 4], &crc, 4);
  std::memcpy(&bytes[qunt + 8], &n, 8);
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  CHECK_THROWS_WITH(
      loadHoshiModel(path),
      Catch::Contains("QUNT section lists b2.conv1 but NETW does not store it as INT8"));
  // The dequantizing load still reads it (the backend quantizes the FP16 weights).
  CHECK(loadHoshiModel(path, Int8Load::kDequantize).quant->quantizedConv("b2.conv1"));
}

TEST_CASE("int8: cross-layer equalization keeps the FP32 function", "[int8]") {
  if (!exists(modelPath())) return;
  auto inputs = encode(gamePositions(16, 11));
  RangeCalibrator ranges = calibrate(folded(), inputs, 1);
  auto eq = std::make_shared<ModelDesc>(equalizeChannels(*folded(), ranges, 0.5));
  CHECK(eq->trunk.blocks[1].conv2.weights != folded()->trunk.blocks[1].conv2.weights);
  CHECK(eq->trunk.blocks[1].preNorm.scale != folded()->trunk.blocks[1].preNorm.scale);
  auto a = run(folded(), nullptr, "eigen", inputs);
  auto b = run(eq, nullptr, "eigen", inputs);
  CHECK(worstDiff(a, b) < 2e-4);
  // alpha 0: unchanged.
  CHECK(equalizeChannels(*folded(), ranges, 0).trunk.blocks[1].conv2.weights ==
        folded()->trunk.blocks[1].conv2.weights);
  // The per-channel maxima of the equalized inputs are more even.
  RangeCalibrator after = calibrate(eq, inputs, 1);
  auto spread = [](const std::vector<float>* v) {
    REQUIRE(v);
    float lo = 1e30f, hi = 0;
    for (float x : *v)
      if (x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
    return hi / lo;
  };
  CHECK(spread(after.channelMax("b3.mid")) < spread(ranges.channelMax("b3.mid")));
}

TEST_CASE("golden positions: every line of the b6c96 golden file", "[int8]") {
  const std::string path = sharedDir() + "/golden/b6c96-raw-nn.jsonl";
  if (!exists(path)) return;
  GoldenPositions g = loadGoldenPositions(path);
  CHECK(g.states.size() == 953);
  CHECK(g.symmetries.size() == g.states.size());
  CHECK(g.ids.size() == g.states.size());
  int nonZero = 0;
  for (int s : g.symmetries) nonZero += s != 0;
  CHECK(nonZero > 100);
  CHECK_THROWS_WITH(loadGoldenPositions(path + ".missing"), Catch::Contains("cannot read"));
}

TEST_CASE("int8: b6c96 quantized like the shipped file, on golden-game positions", "[int8]") {
  const std::string golden = sharedDir() + "/golden/b6c96-raw-nn.jsonl";
  if (!exists(modelPath()) || !exists(golden) || !exists("/usr/share/goban")) {
    WARN("skipped: model, golden file or /usr/share/goban missing");
    return;
  }
  // The shipped recipe, smaller: professional games (the first 200 files,
  // never the compare test set) plus the net's own games on 7x7..19x19,
  // least-error ranges, equalization 0.5. Nothing from the golden games.
  std::vector<std::string> files = listGameFiles({"/usr/share/goban"});
  files.resize(200);
  std::vector<GameState> states = samplePositions(files, 96, 1).positions;
  Evaluator fp32(createBackend("eigen", folded(), BackendOptions()), folded(), EvaluatorOptions());
  for (GameState& s : selfPlayPositions(fp32, 96, 1)) states.push_back(std::move(s));
  auto calib = encode(states);
  RangeCalibrator plain = calibrate(folded(), calib, 1);
  auto eq = std::make_shared<ModelDesc>(equalizeChannels(*folded(), plain, 0.5));
  RangeCalibrator ranges = calibrate(eq, calib, 1);
  QuantTable table = buildQuantTable(*eq, ranges, RangeCalibrator::Method::kLeastError);
  const std::string path = std::string(HOSHI_BINARY_DIR) + "/int8-test-shipped.hoshi";
  writeHoshiModel(path, *eq, &table, HoshiWriteOptions());
  LoadedModel q = loadHoshiModel(path);
  // Issue 5: at most 30% of the FP32 weights (4,124,446 bytes uncompressed); with margin.
  CHECK(q.info.fileBytes <= 4124446 * 29 / 100);
  CHECK(q.info.int8Convs == 14);

  GoldenPositions g = loadGoldenPositions(golden);
  std::vector<EncodedPosition> inputs;
  for (size_t i = 0; i < g.states.size(); i += 4) {
    EncodedPosition e = fp32.encode(g.states[i], g.symmetries[i]);
    inputs.push_back(std::move(e));
  }
  auto ref = run(folded(), nullptr, "eigen", inputs);
  auto test = run(q.model, q.quant, "xnnpack", inputs);
  AgreementStats stats;
  for (size_t i = 0; i < ref.size(); ++i) stats.add(ref[i], test[i]);
  AgreementMetrics m = stats.result();
  INFO(formatMetrics(m));
  CHECK(m.positions == 239);
  // The value bars hold; its policy bar (top-1 >= 97%) is not met
  // yet (93.9% with the full recipe on all 953): this guards what we have.
  CHECK(m.winrateMAE <= 0.01);
  CHECK(m.leadMAE <= 0.3);
  CHECK(m.policyTop1 >= 0.9);
  CHECK(m.policyKL <= 0.006);
}
