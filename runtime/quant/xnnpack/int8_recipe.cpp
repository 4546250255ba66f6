// The INT8 recipe of `hoshi quantize`: activation ranges calibrated on real
// positions, the range method, equalization strength, layers kept in
// floating point, GPTQ, bias correction and float activations each chosen by
// measured agreement with FP32 on held-out positions.

#include "quant/xnnpack/int8_recipe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/evaluator.h"
#include "nn/quant.h"
#include "nn/xnnpack/xnn_backend.h"
#include "quant/calibration.h"
#include "quant/equalization.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#include "quant/progress.h"
#include "quant/selfplay.h"
#include "quant/table.h"
#include "quant/xnnpack/calibrate.h"
#include "quant/xnnpack/gptq_model.h"

namespace hoshi::quant {

namespace {

std::vector<nn::EncodedPosition> encodeAll(const std::vector<GameState>& states,
                                           std::shared_ptr<const nn::ModelDesc> model,
                                           uint64_t seed) {
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
                                       const std::vector<nn::EncodedPosition>& inputs,
                                       int threads) {
  nn::BackendOptions o;
  o.threads = threads;
  o.maxBatch = 8;
  o.precision = quant ? "int8" : "fp32";
  o.quant = quant;
  nn::Evaluator ev(nn::xnn::createXnnpack(model, o), model, nn::EvaluatorOptions());
  return ev.computeBatch(inputs);
}

AgreementMetrics agreement(const std::vector<nn::NetOutput>& ref,
                           const std::vector<nn::NetOutput>& test) {
  AgreementStats s;
  for (size_t i = 0; i < ref.size(); ++i) s.add(ref[i], test[i]);
  return s.result();
}

// Lower is better. Policy KL first: INT8 misses the policy bar (top-1
// agreement) long before the value ones (winrate and lead errors stay well
// inside theirs), so value errors only break near-ties.
double badness(const AgreementMetrics& m) {
  return m.policyKL + 0.1 * m.winrateMAE + 0.002 * m.leadMAE;
}

// The calibration positions and a held-out part of them (never the test
// positions: those are for `hoshi compare`).
struct QuantizeContext {
  const QuantizeOptions* args = nullptr;
  std::vector<nn::EncodedPosition> calib, check;
  std::vector<nn::NetOutput> ref;  // FP32 outputs on check
};

AgreementMetrics measure(const QuantizeContext& c, std::shared_ptr<const nn::ModelDesc> model,
                         const nn::QuantTable& table) {
  auto t = std::make_shared<nn::QuantTable>(table);
  return agreement(c.ref, evaluateAll(std::move(model), t, c.check, c.args->threads));
}

void printMetrics(const char* label, const AgreementMetrics& r) {
  std::printf("%-18s top-1 %.4f  KL %.5f  winrate MAE %.5f  lead MAE %.4f\n", label, r.policyTop1,
              r.policyKL, r.winrateMAE, r.leadMAE);
}

RangeCalibrator calibrateWithBar(const QuantizeContext& c,
                                 std::shared_ptr<const nn::ModelDesc> model) {
  ProgressBar bar("calibrating");
  return calibrate(std::move(model), c.calib, c.args->threads,
                   [&](int d, int n) { bar.update(d, n); });
}

using Method = RangeCalibrator::Method;

Method chooseMethod(const QuantizeContext& c, std::shared_ptr<const nn::ModelDesc> model,
                    const RangeCalibrator& ranges) {
  const std::string& name = c.args->method;
  std::vector<Method> methods;
  if (name == "auto")
    methods = {Method::kPercentile, Method::kLeastError, Method::kMax, Method::kLeastErrorMaxOut};
  else if (name == "percentile")
    methods = {Method::kPercentile};
  else if (name == "mse")
    methods = {Method::kLeastError};
  else if (name == "mse-maxout")
    methods = {Method::kLeastErrorMaxOut};
  else
    methods = {Method::kMax};
  Method best = methods.front();
  double bestScore = 1e300;
  for (Method m : methods) {
    if (methods.size() == 1) break;
    AgreementMetrics r = measure(c, model, buildQuantTable(*model, ranges, m, c.args->keepFloat));
    printMetrics((std::string("method ") + methodName(m)).c_str(), r);
    if (badness(r) < bestScore) bestScore = badness(r), best = m;
  }
  std::printf("range method: %s\n", methodName(best));
  return best;
}

// The model to measure a choice with: its GPTQ weights unless -gptq off
// (GPTQ makes weight rounding cheap, so stronger equalization pays more).
std::shared_ptr<const nn::ModelDesc> withGptq(const QuantizeContext& c,
                                              std::shared_ptr<const nn::ModelDesc> model,
                                              const nn::QuantTable& table) {
  if (c.args->gptq == "off") return model;
  return gptqModel(std::move(model), table.int8Convs, c.calib, 200).model;
}

// Cross-layer equalization strength, by measurement (0: none). Replaces
// model and ranges by the equalized ones.
double chooseEqualization(const QuantizeContext& c, std::shared_ptr<const nn::ModelDesc>& model,
                          RangeCalibrator& ranges, Method method) {
  std::vector<double> alphas = c.args->equalize;
  if (alphas.size() == 1 && alphas[0] <= 0) return 0;
  const std::shared_ptr<const nn::ModelDesc> plain = model;
  const RangeCalibrator plainRanges = ranges;
  double best = 0, bestScore = 1e300;
  for (double alpha : alphas) {
    auto eq = alpha > 0
                  ? std::make_shared<nn::ModelDesc>(equalizeChannels(*plain, plainRanges, alpha))
                  : std::make_shared<nn::ModelDesc>(*plain);
    RangeCalibrator r = alpha > 0 ? calibrateWithBar(c, eq) : plainRanges;
    const nn::QuantTable t = buildQuantTable(*eq, r, method, c.args->keepFloat);
    AgreementMetrics m = measure(c, withGptq(c, eq, t), t);
    char label[32];
    std::snprintf(label, sizeof label, "equalize %.2f", alpha);
    printMetrics(label, m);
    if (alphas.size() == 1 || badness(m) < bestScore) {
      bestScore = badness(m), best = alpha;
      model = eq;
      ranges = std::move(r);
    }
  }
  std::printf("equalization: %.2f\n", best);
  return best;
}

// Sensitivity: each convolution alone in INT8, the rest FP32; the worst
// (at most -max-float, each over twice the median) stay in floating point.
std::set<std::string> chooseKeptLayers(const QuantizeContext& c,
                                       std::shared_ptr<const nn::ModelDesc> model,
                                       const RangeCalibrator& ranges, Method method) {
  std::set<std::string> keep = c.args->keepFloat;
  if (c.args->maxFloat <= 0) return keep;
  std::vector<std::pair<double, std::string>> sens;
  const auto convs = quantizableConvs(*model);
  ProgressBar bar("sensitivity");
  for (size_t i = 0; i < convs.size(); ++i) {
    std::set<std::string> others;
    for (const auto& conv : convs)
      if (conv != convs[i]) others.insert(conv);
    sens.push_back(
        {badness(measure(c, model, buildQuantTable(*model, ranges, method, others))), convs[i]});
    bar.update(int(i + 1), int(convs.size()));
  }
  std::sort(sens.rbegin(), sens.rend());
  double median = sens[sens.size() / 2].first;
  for (int k = 0; k < c.args->maxFloat && k < int(sens.size()); ++k)
    if (sens[k].first > 2.0 * median) keep.insert(sens[k].second);
  for (const auto& s : sens) std::printf("  sensitivity %-12s %.5f\n", s.second.c_str(), s.first);
  return keep;
}

// Better for the greedy pass below: higher top-1, then lower policy KL
// (byKL: the other way round).
bool betterStep(const AgreementMetrics& x, const AgreementMetrics& y, bool byKL) {
  if (byKL)
    return x.policyKL < y.policyKL || (x.policyKL == y.policyKL && x.policyTop1 > y.policyTop1);
  return x.policyTop1 > y.policyTop1 || (x.policyTop1 == y.policyTop1 && x.policyKL < y.policyKL);
}

// The INT8 convolution (not yet float-activation) whose float activations
// score best on the held-out positions; fills m with its metrics.
std::string bestFloatActivation(const QuantizeContext& c,
                                std::shared_ptr<const nn::ModelDesc> model,
                                const nn::QuantTable& table, AgreementMetrics& m) {
  std::vector<std::string> candidates;
  for (const std::string& conv : table.int8Convs)
    if (!table.floatActivations(conv)) candidates.push_back(conv);
  std::string best;
  ProgressBar bar("float act. ");
  for (size_t i = 0; i < candidates.size(); ++i) {
    nn::QuantTable t = table;
    t.floatActConvs.insert(candidates[i]);
    AgreementMetrics r = measure(c, model, t);
    if (best.empty() || betterStep(r, m, c.args->floatActByKL)) best = candidates[i], m = r;
    bar.update(int(i + 1), int(candidates.size()));
  }
  return best;
}

// Mixed precision at no file size: after every other choice, while the
// held-out top-1 agreement is under -target-top1, the INT8 convolution
// whose float activations raise it most (ties: lower KL; -float-act-by kl:
// lowest KL, ties: higher top-1) keeps its INT8 weights but runs with float
// activations. At most -max-float-act of them: each holds FP32 weights once
// loaded. fin: the table's held-out metrics.
void chooseFloatActivations(const QuantizeContext& c, std::shared_ptr<const nn::ModelDesc> model,
                            nn::QuantTable& table, AgreementMetrics& fin) {
  const QuantizeOptions& a = *c.args;
  for (const std::string& conv : a.floatAct) {
    if (!table.quantizedConv(conv))
      throw std::runtime_error("-float-act: '" + conv + "' is not an INT8 convolution");
    table.floatActConvs.insert(conv);
  }
  if (!a.floatAct.empty()) {
    fin = measure(c, model, table);
    printMetrics("float act. given", fin);
  }
  const int cap = a.maxFloatAct >= 0 ? a.maxFloatAct : int(quantizableConvs(*model).size());
  std::printf("float activations: target top-1 %.4f, at most %d convolutions\n", a.targetTop1, cap);
  while (fin.policyTop1 < a.targetTop1 && int(table.floatActConvs.size()) < cap) {
    AgreementMetrics m;
    const std::string best = bestFloatActivation(c, model, table, m);
    if (best.empty()) break;
    // Taken even when it does not beat the last step on these positions
    // (one position is 0.25% of 400): the target and the cap decide.
    const bool better = betterStep(m, fin, a.floatActByKL);
    table.floatActConvs.insert(best);
    fin = m;
    std::printf("  float act. %-12s top-1 %.4f  KL %.5f  winrate MAE %.5f  lead MAE %.4f%s\n",
                best.c_str(), m.policyTop1, m.policyKL, m.winrateMAE, m.leadMAE,
                better ? "" : "  (no better than the step before)");
  }
}

// GPTQ rounding of the INT8 weights (-gptq on, or auto: where the held-out
// check measures better). Replaces model and fin when kept.
bool chooseGptq(const QuantizeContext& c, std::shared_ptr<const nn::ModelDesc>& model,
                const nn::QuantTable& table, AgreementMetrics& fin) {
  if (c.args->gptq == "off") return false;
  const auto start = std::chrono::steady_clock::now();
  GptqResult g;
  {
    ProgressBar bar("gptq       ");
    g = gptqModel(model, table.int8Convs, c.calib, 200, {},
                  [&](int d, int n) { bar.update(d, n); });
  }
  for (const auto& l : g.layers)
    std::printf("  gptq %-12s output error x %.3f\n", l.conv.c_str(),
                l.rtnError > 0 ? l.gptqError / l.rtnError : 1.0);
  const AgreementMetrics m = measure(c, g.model, table);
  std::printf("gptq (%.1f s): KL %.5f -> %.5f, top-1 %.4f -> %.4f\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              fin.policyKL, m.policyKL, fin.policyTop1, m.policyTop1);
  if (c.args->gptq != "on" && badness(m) >= badness(fin)) return false;
  model = g.model;
  fin = m;
  return true;
}

QuantizeContext prepare(const QuantizeOptions& a, std::shared_ptr<const nn::ModelDesc> folded) {
  std::vector<std::string> files = listGameFiles(a.calib);
  const int held = a.holdout > 0 ? a.holdout : std::max(50, std::min(400, a.positions / 4));
  const int fromGames = std::max(0, a.positions + held - a.selfplay);
  PositionSample sample;
  {
    ProgressBar bar("positions  ");
    sample = samplePositions(files, fromGames, a.seed, [&](int d, int n) { bar.update(d, n); });
  }
  if (int(sample.positions.size()) < fromGames)
    std::fprintf(stderr, "note: only %zu positions from %zu files\n", sample.positions.size(),
                 files.size());
  std::vector<GameState> states = std::move(sample.positions);
  if (a.selfplay > 0) {
    nn::Evaluator net(nn::createBackend("eigen", folded, nn::BackendOptions()), folded,
                      nn::EvaluatorOptions());
    ProgressBar bar("self-play  ");
    for (GameState& s :
         selfPlayPositions(net, a.selfplay, a.seed, [&](int d, int n) { bar.update(d, n); }))
      states.push_back(std::move(s));
    // Both kinds in the calibration and in the held-out part.
    std::shuffle(states.begin(), states.end(), std::mt19937_64(a.seed));
  }
  auto inputs = encodeAll(states, folded, a.seed);
  const size_t split = std::min(inputs.size(), size_t(a.positions));
  QuantizeContext c;
  c.args = &a;
  c.calib.assign(inputs.begin(), inputs.begin() + long(split));
  c.check.assign(inputs.begin() + long(split), inputs.end());
  c.ref = evaluateAll(folded, nullptr, c.check, a.threads);
  return c;
}

}  // namespace

void quantizeInt8(const QuantizeOptions& a, std::shared_ptr<const nn::ModelDesc> source,
                  nn::HoshiWriteOptions& w) {
  std::shared_ptr<const nn::ModelDesc> model =
      std::make_shared<nn::ModelDesc>(nn::foldNorms(*source));
  source.reset();
  const QuantizeContext c = prepare(a, model);
  RangeCalibrator ranges = calibrateWithBar(c, model);
  const Method method = chooseMethod(c, model, ranges);
  const double alpha = chooseEqualization(c, model, ranges, method);
  const std::set<std::string> keep = chooseKeptLayers(c, model, ranges, method);
  nn::QuantTable table = buildQuantTable(*model, ranges, method, keep);
  AgreementMetrics fin = measure(c, model, table);
  w.meta["gptq"] = chooseGptq(c, model, table, fin) ? "yes" : "no";
  // Bias correction, kept only where it measures better.
  auto corrected = std::make_shared<nn::ModelDesc>(*model);
  correctQuantizationBias(*corrected, table.int8Convs, ranges);
  AgreementMetrics withCorrection = measure(c, corrected, table);
  std::printf("bias correction: KL %.5f -> %.5f, top-1 %.4f -> %.4f\n", fin.policyKL,
              withCorrection.policyKL, fin.policyTop1, withCorrection.policyTop1);
  const bool useCorrection = a.biasCorrection != "no" &&
                             (a.biasCorrection == "yes" || badness(withCorrection) < badness(fin));
  if (useCorrection) fin = withCorrection, model = corrected;
  w.meta["biasCorrection"] = useCorrection ? "yes" : "no";
  chooseFloatActivations(c, model, table, fin);
  std::string kept, floatAct;
  for (const auto& k : keep) kept += (kept.empty() ? "" : ",") + k;
  for (const auto& k : table.floatActConvs) floatAct += (floatAct.empty() ? "" : ",") + k;
  std::printf(
      "mixed precision: %zu convolutions INT8 (float activations: %s), FP16 kept: %s "
      "(+ initial conv and heads)\n",
      table.int8Convs.size(), floatAct.empty() ? "none" : floatAct.c_str(),
      kept.empty() ? "none" : kept.c_str());
  std::printf("held-out check (%d positions):\n%s", fin.positions, formatMetrics(fin).c_str());
  char eq[16];
  std::snprintf(eq, sizeof eq, "%.2f", alpha);
  w.meta["calibration"] = std::string(methodName(method)) + ", " + std::to_string(c.calib.size()) +
                          " positions, equalization " + eq;
  w.meta["keepFloat"] = kept;
  w.meta["floatActivations"] = floatAct;
  // What nnPrecision = auto reads (nn/auto_select.h): the held-out calibration
  // positions' agreement, not a test set's.
  auto number = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.5f", v);
    return std::string(buf);
  };
  w.meta["check.positions"] = std::to_string(fin.positions);
  w.meta["check.top1"] = number(fin.policyTop1);
  w.meta["check.policyKL"] = number(fin.policyKL);
  w.meta["check.winrateMAE"] = number(fin.winrateMAE);
  w.meta["check.leadMAE"] = number(fin.leadMAE);
  nn::writeHoshiModel(a.out, *model, &table, w);
}

}  // namespace hoshi::quant
