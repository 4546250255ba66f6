// `hoshi compare`: how far one model (or backend, or precision) is from a
// reference on real positions: policy top-1 agreement and KL divergence,
// winrate, lead and ownership errors, and for an INT8 Hoshi file a
// per-layer error trace (which layer's quantization hurts).

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/commands.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/quant.h"
#include "quant/golden.h"
#include "quant/metrics.h"
#include "quant/positions.h"
#ifdef HOSHI_WITH_XNNPACK
#include "quant/xnnpack/calibrate.h"
#endif

namespace hoshi::app {

namespace {

constexpr const char* kCompareUsage =
    "usage: hoshi compare -ref MODEL_A -test MODEL_B -positions PATH [PATH...] [options]\n"
    "  -ref MODEL         reference network (KataGo or Hoshi file)\n"
    "  -test MODEL        network under test\n"
    "  -positions PATH... SGF files or folders (searched for .sgf / .mgt)\n"
    "  -golden FILE       instead: every position of a golden .jsonl file\n"
    "                     (shared/golden), each under its own symmetry\n"
    "  -n N               positions drawn (default 2000)\n"
    "  -ref-backend B     default eigen (FP32)\n"
    "  -test-backend B    default: xnnpack for an INT8 Hoshi file, else eigen\n"
    "  -trace K           per-layer error trace over K positions (default 16, 0 = off)\n"
    "  -threads N         backend threads (default 1)\n"
    "  -seed S            sampling seed (default 2)\n"
    "  -dump FILE         one line a position (tab-separated): index, board size,\n"
    "                     ref and test top-1 moves, the ref's probability of each,\n"
    "                     policy KL\n";

struct CompareArgs {
  std::string ref, test, refBackend = "eigen", testBackend, golden, dump;
  std::vector<std::string> positions;
  int n = 2000, trace = 16, threads = 1;
  uint64_t seed = 2;
};

bool parseCompareArgs(int argc, char** argv, CompareArgs& a) {
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    if (k.size() > 2 && k[0] == '-' && k[1] == '-') k = k.substr(1);
    if (k == "-positions") {
      while (i + 1 < argc && argv[i + 1][0] != '-') a.positions.push_back(argv[++i]);
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "hoshi compare: '%s' needs a value\n%s", k.c_str(), kCompareUsage);
      return false;
    }
    const char* v = argv[++i];
    if (k == "-ref")
      a.ref = v;
    else if (k == "-test")
      a.test = v;
    else if (k == "-ref-backend")
      a.refBackend = v;
    else if (k == "-test-backend")
      a.testBackend = v;
    else if (k == "-golden")
      a.golden = v;
    else if (k == "-dump")
      a.dump = v;
    else if (k == "-n")
      a.n = std::atoi(v);
    else if (k == "-trace")
      a.trace = std::atoi(v);
    else if (k == "-threads")
      a.threads = std::max(1, std::atoi(v));
    else if (k == "-seed")
      a.seed = std::strtoull(v, nullptr, 10);
    else {
      std::fprintf(stderr, "hoshi compare: unknown option '%s'\n%s", k.c_str(), kCompareUsage);
      return false;
    }
  }
  if (a.ref.empty() || a.test.empty() || (a.positions.empty() == a.golden.empty()) || a.n < 1) {
    std::fputs(kCompareUsage, stderr);
    return false;
  }
  return true;
}

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
void printTrace(const CompareArgs& a, const nn::LoadedModel& test, const nn::Evaluator& testEval,
                const std::vector<GameState>& states) {
#ifdef HOSHI_WITH_XNNPACK
  if (!test.quant || a.trace <= 0) return;
  std::vector<nn::EncodedPosition> inputs;
  for (size_t i = 0; i < states.size() && int(i) < a.trace; ++i)
    inputs.push_back(testEval.encode(states[i], 0));
  auto trace = quant::traceLayers(nn::floatModel(test), test.model, test.quant, inputs);
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

int runCompare(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kCompareUsage, stdout);
      return 0;
    }
  CompareArgs a;
  if (!parseCompareArgs(argc, argv, a)) return 2;
  try {
    nn::LoadedModel probe = nn::loadAnyModel(a.test);
    const bool int8 = probe.quant != nullptr;
    if (a.testBackend.empty()) a.testBackend = int8 ? "xnnpack" : "eigen";
    auto ref = open(a.ref, a.refBackend, "fp32", a.threads);
    auto test = open(a.test, a.testBackend, int8 && a.testBackend == "xnnpack" ? "int8" : "fp32",
                     a.threads);
    std::vector<GameState> states;
    std::vector<int> symmetries;
    std::string from;
    if (!a.golden.empty()) {
      quant::GoldenPositions g = quant::loadGoldenPositions(a.golden);
      states = std::move(g.states);
      symmetries = std::move(g.symmetries);
      from = a.golden;
    } else {
      std::vector<std::string> files = quant::listGameFiles(a.positions);
      quant::ProgressBar bar("positions");
      states = quant::samplePositions(files, a.n, a.seed, [&](int d, int n) {
                 bar.update(d, n);
               }).positions;
      std::mt19937 rng(unsigned(a.seed));
      for (size_t i = 0; i < states.size(); ++i) symmetries.push_back(int(rng() % 8));
      from = std::to_string(files.size()) + " game files";
    }
    std::printf("ref  %s (%s)\ntest %s (%s%s)\n%zu positions from %s\n", a.ref.c_str(),
                a.refBackend.c_str(), a.test.c_str(), a.testBackend.c_str(), int8 ? ", int8" : "",
                states.size(), from.c_str());
    quant::AgreementStats stats;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> dump(nullptr, &std::fclose);
    if (!a.dump.empty()) {
      dump.reset(std::fopen(a.dump.c_str(), "w"));
      if (!dump) throw std::runtime_error("cannot write " + a.dump);
      std::fputs("index\tsize\tref_top1\ttest_top1\tref_p_ref_top1\tref_p_test_top1\tkl\n",
                 dump.get());
    }
    {
      quant::ProgressBar bar("evaluating");
      for (size_t i = 0; i < states.size(); ++i) {
        const nn::NetOutput r = ref->evaluate(states[i], symmetries[i]);
        const nn::NetOutput t = test->evaluate(states[i], symmetries[i]);
        stats.add(r, t);
        if (dump)
          std::fprintf(dump.get(), "%zu\t%d\t%s\n", i, states[i].board().xSize(),
                       quant::describeAgreement(r, t).c_str());
        bar.update(int(i + 1), int(states.size()));
      }
    }
    std::fputs(quant::formatMetrics(stats.result()).c_str(), stdout);
    printTrace(a, probe, *test, states);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi compare: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
