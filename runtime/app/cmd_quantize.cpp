// `hoshi quantize`: a KataGo net to a Hoshi model file. INT8: activation
// ranges calibrated on real positions (SGF records), the range method chosen
// by measured agreement with FP32 on held-out positions, and the block
// convolutions most sensitive to INT8 left in floating point.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "nn/quant_metrics.h"
#include "nn/quant_positions.h"
#ifdef HOSHI_WITH_XNNPACK
#include "nn/xnnpack/xnn_backend.h"
#include "nn/xnnpack/xnn_quantize.h"
#endif

namespace hoshi::app {

namespace {

constexpr const char* kQuantizeUsage =
    "usage: hoshi quantize -model IN -calib PATH [PATH...] -out OUT [options]\n"
    "  -model IN          KataGo network (.bin.gz, .bin)\n"
    "  -calib PATH...     SGF files or folders (searched for .sgf / .mgt)\n"
    "  -out OUT           Hoshi model file to write\n"
    "  -precision P       int8 (default), fp16 or fp32 (weights only)\n"
    "  -positions N       calibration positions (default 1000)\n"
    "  -method M          auto (default: measure all), percentile, mse, max\n"
    "  -keep-float LIST   block convolutions to keep in FP32, e.g. b0.conv1,b5.conv2\n"
    "  -max-float K       most convolutions auto-kept in FP32 (default 2)\n"
    "  -threads N         threads (default 1)\n"
    "  -seed S            position sampling seed (default 1)\n";

struct QuantizeArgs {
  std::string model, out, precision = "int8", method = "auto";
  std::vector<std::string> calib;
  std::set<std::string> keepFloat;
  int positions = 1000, maxFloat = 2, threads = 1;
  uint64_t seed = 1;
};

bool parseQuantizeArgs(int argc, char** argv, QuantizeArgs& a) {
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    if (k.size() > 2 && k[0] == '-' && k[1] == '-') k = k.substr(1);
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (k == "-calib") {
      while (i + 1 < argc && argv[i + 1][0] != '-') a.calib.push_back(argv[++i]);
      continue;
    }
    if (!(v = value())) {
      std::fprintf(stderr, "hoshi quantize: '%s' needs a value\n%s", k.c_str(), kQuantizeUsage);
      return false;
    }
    if (k == "-model") a.model = v;
    else if (k == "-out") a.out = v;
    else if (k == "-precision") a.precision = v;
    else if (k == "-method") a.method = v;
    else if (k == "-positions") a.positions = std::atoi(v);
    else if (k == "-max-float") a.maxFloat = std::atoi(v);
    else if (k == "-threads") a.threads = std::max(1, std::atoi(v));
    else if (k == "-seed") a.seed = std::strtoull(v, nullptr, 10);
    else if (k == "-keep-float") {
      std::stringstream ss(v);
      for (std::string c; std::getline(ss, c, ',');) if (!c.empty()) a.keepFloat.insert(c);
    } else {
      std::fprintf(stderr, "hoshi quantize: unknown option '%s'\n%s", k.c_str(), kQuantizeUsage);
      return false;
    }
  }
  if (a.model.empty() || a.out.empty() || (a.precision == "int8" && a.calib.empty()) ||
      (a.precision != "int8" && a.precision != "fp16" && a.precision != "fp32") || a.positions < 1) {
    std::fputs(kQuantizeUsage, stderr);
    return false;
  }
  return true;
}

#ifdef HOSHI_WITH_XNNPACK
std::vector<nn::EncodedPosition> encodeAll(const std::vector<GameState>& states,
                                           std::shared_ptr<const nn::ModelDesc> model, uint64_t seed) {
  nn::Evaluator encoder(nn::createBackend("fake", nullptr, nn::BackendOptions()), model,
                        nn::EvaluatorOptions());
  std::mt19937_64 rng(seed);
  std::vector<nn::EncodedPosition> out;
  for (const GameState& s : states) out.push_back(encoder.encode(s, int(rng() % 8)));
  return out;
}

// Post-processed outputs of the XNNPACK net (quant null: FP32).
std::vector<nn::NetOutput> evaluateAll(std::shared_ptr<const nn::ModelDesc> model,
                                       std::shared_ptr<const nn::QuantTable> quant,
                                       const std::vector<nn::EncodedPosition>& inputs, int threads) {
  nn::BackendOptions o;
  o.threads = threads;
  o.maxBatch = 8;
  o.precision = quant ? "int8" : "fp32";
  o.quant = quant;
  nn::Evaluator ev(nn::xnn::createXnnpack(model, o), model, nn::EvaluatorOptions());
  return ev.computeBatch(inputs);
}

nn::AgreementMetrics agreement(const std::vector<nn::NetOutput>& ref,
                               const std::vector<nn::NetOutput>& test) {
  nn::AgreementStats s;
  for (size_t i = 0; i < ref.size(); ++i) s.add(ref[i], test[i]);
  return s.result();
}

// Lower is better: policy KL plus value errors on comparable scales.
double badness(const nn::AgreementMetrics& m) {
  return m.policyKL + m.winrateMAE + 0.02 * m.leadMAE;
}

int quantizeInt8(const QuantizeArgs& a, std::shared_ptr<const nn::ModelDesc> source,
                 nn::HoshiWriteOptions& w) {
  std::vector<std::string> files = nn::listGameFiles(a.calib);
  const int held = std::max(50, std::min(400, a.positions / 4));
  nn::PositionSample sample;
  {
    nn::ProgressBar bar("positions  ");
    sample = nn::samplePositions(files, a.positions + held, a.seed,
                                 [&](int d, int n) { bar.update(d, n); });
  }
  if (int(sample.positions.size()) < a.positions + held)
    std::fprintf(stderr, "note: only %zu positions from %zu files\n", sample.positions.size(),
                 files.size());
  auto folded = std::make_shared<nn::ModelDesc>(nn::foldNorms(*source));
  auto inputs = encodeAll(sample.positions, folded, a.seed);
  const size_t split = std::min(inputs.size(), size_t(a.positions));
  std::vector<nn::EncodedPosition> calib(inputs.begin(), inputs.begin() + long(split));
  std::vector<nn::EncodedPosition> check(inputs.begin() + long(split), inputs.end());
  nn::RangeCalibrator ranges;
  {
    nn::ProgressBar bar("calibrating");
    ranges = nn::xnn::calibrate(folded, calib, a.threads, [&](int d, int n) { bar.update(d, n); });
  }
  std::vector<nn::NetOutput> ref = evaluateAll(folded, nullptr, check, a.threads);
  using M = nn::RangeCalibrator::Method;
  std::vector<M> methods;
  if (a.method == "auto") methods = {M::kPercentile, M::kLeastError, M::kMax};
  else if (a.method == "percentile") methods = {M::kPercentile};
  else if (a.method == "mse") methods = {M::kLeastError};
  else methods = {M::kMax};
  M best = methods.front();
  double bestScore = 1e300;
  for (M m : methods) {
    auto table = std::make_shared<nn::QuantTable>(nn::xnn::buildQuantTable(*folded, ranges, m, a.keepFloat));
    nn::AgreementMetrics r = agreement(ref, evaluateAll(folded, table, check, a.threads));
    std::printf("method %-10s top-1 %.4f  KL %.5f  winrate MAE %.5f  lead MAE %.4f\n",
                nn::methodName(m), r.policyTop1, r.policyKL, r.winrateMAE, r.leadMAE);
    if (badness(r) < bestScore) bestScore = badness(r), best = m;
  }
  std::printf("range method: %s\n", nn::methodName(best));
  // Sensitivity: each convolution alone in INT8, the rest FP32.
  std::set<std::string> keep = a.keepFloat;
  if (a.maxFloat > 0) {
    std::vector<std::pair<double, std::string>> sens;
    const auto convs = nn::xnn::quantizableConvs(*folded);
    nn::ProgressBar bar("sensitivity");
    for (size_t i = 0; i < convs.size(); ++i) {
      std::set<std::string> others;
      for (const auto& c : convs) if (c != convs[i]) others.insert(c);
      auto t = std::make_shared<nn::QuantTable>(nn::xnn::buildQuantTable(*folded, ranges, best, others));
      sens.push_back({badness(agreement(ref, evaluateAll(folded, t, check, a.threads))), convs[i]});
      bar.update(int(i + 1), int(convs.size()));
    }
    std::sort(sens.rbegin(), sens.rend());
    double median = sens[sens.size() / 2].first;
    for (int k = 0; k < a.maxFloat && k < int(sens.size()); ++k)
      if (sens[k].first > 2.0 * median) keep.insert(sens[k].second);
    for (const auto& s : sens) std::printf("  sensitivity %-12s %.5f\n", s.second.c_str(), s.first);
  }
  auto table = std::make_shared<nn::QuantTable>(nn::xnn::buildQuantTable(*folded, ranges, best, keep));
  nn::AgreementMetrics fin = agreement(ref, evaluateAll(folded, table, check, a.threads));
  // Bias correction, kept only where it measures better.
  auto corrected = std::make_shared<nn::ModelDesc>(*folded);
  nn::correctQuantizationBias(*corrected, table->int8Convs, ranges);
  nn::AgreementMetrics withCorrection = agreement(ref, evaluateAll(corrected, table, check, a.threads));
  std::printf("bias correction: KL %.5f -> %.5f, top-1 %.4f -> %.4f\n", fin.policyKL,
              withCorrection.policyKL, fin.policyTop1, withCorrection.policyTop1);
  const bool useCorrection = badness(withCorrection) < badness(fin);
  if (useCorrection) fin = withCorrection;
  w.meta["biasCorrection"] = useCorrection ? "yes" : "no";
  std::string kept;
  for (const auto& c : keep) kept += (kept.empty() ? "" : ",") + c;
  std::printf("mixed precision: %zu convolutions INT8, FP32 kept: %s (+ initial conv and heads)\n",
              table->int8Convs.size(), kept.empty() ? "none" : kept.c_str());
  std::printf("held-out check (%d positions):\n%s", fin.positions, nn::formatMetrics(fin).c_str());
  w.meta["calibration"] = std::string(nn::methodName(best)) + ", " + std::to_string(calib.size()) +
                          " positions";
  w.meta["keepFloat"] = kept;
  nn::writeHoshiModel(a.out, useCorrection ? *corrected : *folded, table.get(), w);
  return 0;
}
#endif

}  // namespace

int runQuantize(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kQuantizeUsage, stdout);
      return 0;
    }
  QuantizeArgs a;
  if (!parseQuantizeArgs(argc, argv, a)) return 2;
  try {
    std::shared_ptr<const nn::ModelDesc> source = nn::loadModelFile(a.model);
    nn::HoshiWriteOptions w;
    w.precision = a.precision;
    w.meta["source"] = source->name;
    w.meta["sourceFile"] = a.model.substr(a.model.find_last_of('/') + 1);
    w.meta["sourceHash"] = nn::fileFingerprint(a.model);
    if (a.precision == "int8") {
#ifdef HOSHI_WITH_XNNPACK
      quantizeInt8(a, source, w);
#else
      std::fputs("hoshi quantize: INT8 needs the XNNPACK backend (built without it)\n", stderr);
      return 1;
#endif
    } else {
      nn::writeHoshiModel(a.out, *source, nullptr, w);
    }
    nn::LoadedModel check = nn::loadHoshiModel(a.out);
    std::printf("wrote %s: %s, %.2f MB\n", a.out.c_str(), a.precision.c_str(),
                double(check.info.fileBytes) / 1e6);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi quantize: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
