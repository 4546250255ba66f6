#include "quant/compare.h"

#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/model_loader.h"
#include "nn/quant.h"
#include "quant/golden.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#include "quant/progress.h"
#ifdef HOSHI_WITH_XNNPACK
#include "quant/xnnpack/calibrate.h"
#endif

namespace hoshi::quant {

namespace {

std::unique_ptr<nn::Evaluator> open(const std::string& path, const std::string& backend,
                                    const std::string& precision, int threads) {
  nn::EvaluatorOptions o;
  o.backend = backend;
  o.precision = precision;
  o.threads = threads;
  o.maxBatch = 8;
  return nn::Evaluator::load(path, o);
}

#ifdef HOSHI_WITH_XNNPACK
// The convolution that writes a traced tensor ("b3.mid" -> "b3.conv1"); empty
// for the norms' outputs ("b3.in", "tip").
std::string producerConv(const std::string& tensor) {
  const size_t dot = tensor.find('.');
  if (dot == std::string::npos) return "";
  const std::string block = tensor.substr(0, dot), what = tensor.substr(dot + 1);
  if (what == "mid" || what == "c1") return block + ".conv1";
  if (what == "gpool") return block + ".gpoolConv";
  if (what == "out") return block + ".conv2";
  return "";
}

const char* producerLabel(const nn::QuantTable& quant, const std::string& tensor) {
  const std::string conv = producerConv(tensor);
  if (conv.empty() || !quant.quantizedConv(conv)) return "fp32";
  return quant.floatActivations(conv) ? "f-act" : "int8";
}
#endif

// Per-layer error of an INT8 file against the same file run in FP32 (its
// weights dequantized, any equalization included, so tensors compare like
// for like): what the INT8 activations cost, layer by layer.
void printTrace(const CompareOptions& a, const nn::LoadedModel& test, const nn::Evaluator& testEval,
                const std::vector<GameState>& states) {
#ifdef HOSHI_WITH_XNNPACK
  if (!test.quant || a.trace <= 0) return;
  std::vector<nn::EncodedPosition> inputs;
  for (size_t i = 0; i < states.size() && int(i) < a.trace; ++i)
    inputs.push_back(testEval.encode(states[i], 0));
  auto trace = traceLayers(nn::floatModel(test), test.model, test.quant, inputs);
  std::printf(
      "per-layer error of the INT8 activations (%zu positions; relative RMS against the\n"
      "same file in FP32, max |diff|; the label says how the convolution writing the\n"
      "tensor runs: int8, f-act = INT8 weights with float activations, fp32):\n",
      inputs.size());
  for (const auto& l : trace)
    std::printf("  %-10s %-5s %.5f  %.4f\n", l.tensor.c_str(), producerLabel(*test.quant, l.tensor),
                l.relativeRms, l.maxAbs);
#else
  (void)a, (void)test, (void)testEval, (void)states;
#endif
}

}  // namespace

void compareModels(const CompareOptions& a) {
  nn::LoadedModel probe = nn::loadAnyModel(a.test);
  const bool int8 = probe.quant != nullptr;
  const std::string testBackend = !a.testBackend.empty() ? a.testBackend
                                  : int8                 ? "xnnpack"
                                                         : "eigen";
  auto ref = open(a.ref, a.refBackend, "fp32", a.threads);
  auto test =
      open(a.test, testBackend, int8 && testBackend == "xnnpack" ? "int8" : "fp32", a.threads);
  std::vector<GameState> states;
  std::vector<int> symmetries;
  std::string from;
  if (!a.golden.empty()) {
    GoldenPositions g = loadGoldenPositions(a.golden);
    states = std::move(g.states);
    symmetries = std::move(g.symmetries);
    from = a.golden;
  } else {
    std::vector<std::string> files = listGameFiles(a.positions);
    ProgressBar bar("positions");
    states = samplePositions(files, a.n, a.seed, [&](int d, int n) { bar.update(d, n); }).positions;
    std::mt19937 rng(unsigned(a.seed));
    for (size_t i = 0; i < states.size(); ++i) symmetries.push_back(int(rng() % 8));
    from = std::to_string(files.size()) + " game files";
  }
  std::printf("ref  %s (%s)\ntest %s (%s%s)\n%zu positions from %s\n", a.ref.c_str(),
              a.refBackend.c_str(), a.test.c_str(), testBackend.c_str(), int8 ? ", int8" : "",
              states.size(), from.c_str());
  AgreementStats stats;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> dump(nullptr, &std::fclose);
  if (!a.dump.empty()) {
    dump.reset(std::fopen(a.dump.c_str(), "w"));
    if (!dump) throw std::runtime_error("cannot write " + a.dump);
    std::fputs("index\tsize\tref_top1\ttest_top1\tref_p_ref_top1\tref_p_test_top1\tkl\n",
               dump.get());
  }
  {
    ProgressBar bar("evaluating");
    for (size_t i = 0; i < states.size(); ++i) {
      const nn::NetOutput r = ref->evaluate(states[i], symmetries[i]);
      const nn::NetOutput t = test->evaluate(states[i], symmetries[i]);
      stats.add(r, t);
      if (dump)
        std::fprintf(dump.get(), "%zu\t%d\t%s\n", i, states[i].board().xSize(),
                     describeAgreement(r, t).c_str());
      bar.update(int(i + 1), int(states.size()));
    }
  }
  std::fputs(formatMetrics(stats.result()).c_str(), stdout);
  printTrace(a, probe, *test, states);
}

}  // namespace hoshi::quant
