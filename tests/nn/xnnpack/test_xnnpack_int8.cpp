// The XNNPACK backend against the Eigen FP32 reference (FP32 within float
// tolerance; INT8 within the accuracy budget of issue 5), and the Hoshi model
// file (round trips, damaged files), on real positions from real games.

#include <catch2/catch.hpp>

#include "int8_fixture.h"

#include <sys/stat.h>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "nn/symmetry.h"
#include "nn/xnnpack/xnn_backend.h"
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
  return nn::test::tempPath("int8-test-", name);
}

// Encoded positions from game records, each under a seeded random symmetry.
std::vector<EncodedPosition> encodedPositions(const std::string& dir, int n, uint64_t seed) {
  PositionSample s = samplePositions(listGameFiles({dir}), n, seed);
  BackendOptions fakeOpts;
  Evaluator encoder(createBackend("fake", nullptr, fakeOpts), model(), EvaluatorOptions());
  std::mt19937 rng{static_cast<unsigned>(seed)};
  std::vector<EncodedPosition> out;
  for (const GameState& st : s.positions) out.push_back(encoder.encode(st, int(rng() % 8)));
  return out;
}

struct Raw {
  std::vector<float> policy, pass, value, score, own;
};

Raw runOne(Backend& b, const EncodedPosition& e) {
  const int w = symmetricWidth(e.symmetry, e.xSize, e.ySize);
  const int h = symmetricHeight(e.symmetry, e.xSize, e.ySize);
  auto c = b.newComputation(w, h);
  c->addInput(e.spatial.data(), e.global.data());
  c->compute();
  const auto& a = b.attributes();
  Raw r;
  r.policy.assign(c->policy(0), c->policy(0) + a.numPolicyChannels * w * h);
  r.pass.assign(c->policyPass(0), c->policyPass(0) + a.numPolicyChannels);
  r.value.assign(c->value(0), c->value(0) + 3);
  r.score.assign(c->scoreValue(0), c->scoreValue(0) + a.numScoreValueChannels);
  r.own.assign(c->ownership(0), c->ownership(0) + w * h);
  return r;
}

double maxScaledDiff(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / (1.0 + std::fabs(double(a[i]))));
  return worst;
}

}  // namespace

TEST_CASE("xnnpack fp32 matches the eigen reference on golden-game positions", "[xnnpack]") {
  if (!exists(modelPath())) {
    WARN("skipped: no model at " << modelPath());
    return;
  }
  auto inputs = encodedPositions(sharedDir() + "/sgf/golden-games", 40, 7);
  REQUIRE(inputs.size() == 40);
  BackendOptions o;
  auto eigen = createBackend("eigen", model(), o);
  auto xnn = createBackend("xnnpack", model(), o);
  CHECK(xnn->attributes().precision == "fp32");
  double worst = 0;
  for (const auto& e : inputs) {
    Raw r = runOne(*eigen, e), t = runOne(*xnn, e);
    for (auto pair : {std::make_pair(&r.policy, &t.policy), std::make_pair(&r.pass, &t.pass),
                      std::make_pair(&r.value, &t.value), std::make_pair(&r.score, &t.score),
                      std::make_pair(&r.own, &t.own)})
      worst = std::max(worst, maxScaledDiff(*pair.first, *pair.second));
  }
  INFO("worst |diff| / (1 + |ref|) = " << worst);
  // Winograd (eigen) against direct convolution (XNNPACK), both FP32.
  CHECK(worst < 2e-3);
}

TEST_CASE("xnnpack refuses int8 without a quantization table", "[xnnpack]") {
  if (!exists(modelPath())) return;
  BackendOptions o;
  o.precision = "int8";
  REQUIRE_THROWS_WITH(createBackend("xnnpack", model(), o), Catch::Contains("hoshi quantize"));
  o.precision = "fp16";
  REQUIRE_THROWS_WITH(createBackend("xnnpack", model(), o), Catch::Contains("not supported"));
}

TEST_CASE("hoshi model file: fp32 round trip is exact, fp16 within half precision",
          "[hoshi_model]") {
  if (!exists(modelPath())) return;
  const ModelDesc& m = *model();
  HoshiWriteOptions w;
  w.precision = "fp32";
  w.meta["source"] = "b6c96";
  const std::string p32 = tempPath("fp32.hoshi"), p16 = tempPath("fp16.hoshi");
  writeHoshiModel(p32, m, nullptr, w);
  w.precision = "fp16";
  writeHoshiModel(p16, m, nullptr, w);
  LoadedModel a = loadAnyModel(p32), b = loadAnyModel(p16);
  REQUIRE(a.hoshiFile);
  CHECK(a.info.meta.at("precision") == "fp32");
  CHECK(a.info.meta.at("source") == "b6c96");
  CHECK(a.model->trunk.blocks.size() == m.trunk.blocks.size());
  CHECK(a.model->trunk.blocks[3].conv1.weights == m.trunk.blocks[3].conv1.weights);
  CHECK(a.model->valueHead.sv3Bias.weights == m.valueHead.sv3Bias.weights);
  CHECK(a.model->parameterCount == m.parameterCount);
  const auto& w16 = b.model->trunk.blocks[2].conv2.weights;
  const auto& w32 = m.trunk.blocks[2].conv2.weights;
  double worst = 0;
  for (size_t i = 0; i < w32.size(); ++i)
    worst = std::max(worst, std::fabs(double(w16[i]) - w32[i]) / (1e-4 + std::fabs(w32[i])));
  CHECK(worst < 1e-3);
  CHECK(b.info.fileBytes < a.info.fileBytes * 6 / 10);
  CHECK(halfToFloat(floatToHalf(1.0f)) == 1.0f);
  CHECK(halfToFloat(floatToHalf(-65504.0f)) == -65504.0f);
  CHECK(halfToFloat(floatToHalf(1e-4f)) == Approx(1e-4f).epsilon(1e-3));
  CHECK(halfToFloat(floatToHalf(std::ldexp(1.0f, -24))) == std::ldexp(1.0f, -24));
}

TEST_CASE("hoshi model file: damaged files are refused with a clear error", "[hoshi_model]") {
  if (!exists(modelPath())) return;
  const std::string path = tempPath("good.hoshi");
  HoshiWriteOptions w;
  w.precision = "fp16";
  writeHoshiModel(path, *model(), nullptr, w);
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto writeVariant = [&](const std::string& name, const std::string& data) {
    std::string p = tempPath(name);
    std::ofstream(p, std::ios::binary).write(data.data(), std::streamsize(data.size()));
    return p;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  CHECK_THROWS_WITH(loadAnyModel(writeVariant("flip.hoshi", flipped)),
                    Catch::Contains("checksum mismatch in section NETW"));
  CHECK_THROWS_WITH(loadAnyModel(writeVariant("short.hoshi", bytes.substr(0, bytes.size() - 100))),
                    Catch::Contains("truncated"));
  std::string version = bytes;
  version[8] = 9;
  CHECK_THROWS_WITH(loadAnyModel(writeVariant("version.hoshi", version)),
                    Catch::Contains("format version 9 is not supported"));
  CHECK_THROWS_WITH(loadHoshiModel(writeVariant("magic.hoshi", "XOSHI" + bytes.substr(5))),
                    Catch::Contains("bad magic"));
}

TEST_CASE("int8: calibrated b6c96 agrees with fp32 on professional positions", "[int8]") {
  if (!exists(modelPath()) || !exists("/usr/share/goban")) {
    WARN("skipped: model or /usr/share/goban missing");
    return;
  }
  auto calib = encodedPositions("/usr/share/goban", 48, 1);
  auto folded = std::make_shared<ModelDesc>(foldNorms(*model()));
  RangeCalibrator ranges = calibrate(folded, calib, 1);
  QuantTable table = buildQuantTable(*folded, ranges, RangeCalibrator::Method::kLeastError);
  CHECK(table.int8Convs.size() == 14);  // 6 blocks x 2 + 2 gpool convs
  const std::string path = tempPath("b6c96-int8.hoshi");
  HoshiWriteOptions w;
  w.precision = "int8";
  writeHoshiModel(path, *folded, &table, w);
  LoadedModel q = loadAnyModel(path);
  REQUIRE(q.quant);
  CHECK(q.info.int8Convs == 14);
  CHECK(q.quant->tensors.size() == table.tensors.size());

  EvaluatorOptions refOpts;
  Evaluator ref(createBackend("eigen", model(), BackendOptions()), model(), refOpts);
  BackendOptions io;
  io.precision = "int8";
  io.quant = q.quant;
  Evaluator test(createBackend("xnnpack", q.model, io), q.model, refOpts);
  REQUIRE(test.options().backend == "eigen");  // options are descriptive only here
  PositionSample s = samplePositions(listGameFiles({"/usr/share/goban"}), 120, 99);
  AgreementStats stats;
  for (const GameState& st : s.positions) stats.add(ref.evaluate(st, 0), test.evaluate(st, 0));
  AgreementMetrics m = stats.result();
  INFO(formatMetrics(m));
  CHECK(m.positions == 120);
  // A guard against regressions with a small calibration (48 positions), not
  // the targets: `hoshi compare` on 2,000 positions measures those.
  CHECK(m.policyTop1 >= 0.9);
  CHECK(m.winrateMAE <= 0.015);
  CHECK(m.leadMAE <= 0.4);
  CHECK(m.policyKL <= 0.01);

  auto trace = traceLayers(folded, q.model, q.quant,
                           std::vector<EncodedPosition>(calib.begin(), calib.begin() + 4));
  REQUIRE(!trace.empty());
  CHECK(trace.front().tensor == "b0.in");
  for (const auto& l : trace) CHECK(l.relativeRms < 0.2);
}
