// `hoshi benchmark`: speed measurements. `--nn-only` times the network
// backend alone (evaluations per second); the full search benchmark is a
// separate path of the same command.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "app/commands.h"
#include "nn/auto_select.h"
#include "nn/backend.h"
#include "nn/bench_inputs.h"
#include "nn/model.h"
#include "nn/model_loader.h"

namespace hoshi::app {

namespace {

constexpr const char* kBenchUsage =
    "usage: hoshi benchmark -model FILE --nn-only [options]\n"
    "  -model FILE      KataGo network (.bin.gz, .bin) or Hoshi model file\n"
    "  --nn-only        time network evaluations only (no search)\n"
    "  -t, --threads N  backend threads (default 1)\n"
    "  --batch N        positions per evaluation batch (default 1)\n"
    "  --size N         board size, 2..19 (default 19)\n"
    "  --backend NAME   backend from the registry (default eigen), or auto\n"
    "  --precision P    fp32 (default), fp16 (cuda), int8 (xnnpack, Hoshi file) or\n"
    "                   auto: the fastest path meeting the accuracy bars (cached)\n"
    "  --device N       GPU index for the cuda backend (default 0)\n"
    "  --seconds S      measuring time (default 5)\n";

struct BenchArgs {
  std::string model;
  bool nnOnly = false;
  int threads = 1;
  int batch = 1;
  int size = 19;
  std::string backend = "eigen";
  std::string precision = "fp32";
  int device = 0;
  double seconds = 5.0;
};

bool parseInt(const char* s, int lo, int hi, int& out) {
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < lo || v > hi) return false;
  out = int(v);
  return true;
}

// Returns false (after printing why) on a bad command line.
bool parseArgs(int argc, char** argv, BenchArgs& a) {
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    bool hasValue = i + 1 < argc;
    const char* v = hasValue ? argv[i + 1] : "";
    bool ok = true;
    if (k == "--nn-only" || k == "-nn-only") {
      a.nnOnly = true;
      continue;
    }
    if (!hasValue)
      ok = false;
    else if (k == "-model" || k == "--model")
      a.model = v;
    else if (k == "-t" || k == "--threads" || k == "-threads")
      ok = parseInt(v, 1, 256, a.threads);
    else if (k == "--batch" || k == "-batch")
      ok = parseInt(v, 1, 4096, a.batch);
    else if (k == "--size" || k == "-size")
      ok = parseInt(v, 2, 19, a.size);
    else if (k == "--backend" || k == "-backend")
      a.backend = v;
    else if (k == "--precision" || k == "-precision")
      a.precision = v;
    else if (k == "--device" || k == "-device")
      ok = parseInt(v, 0, 63, a.device);
    else if (k == "--seconds" || k == "-seconds")
      ok = (a.seconds = std::atof(v)) > 0;
    else
      ok = false;
    if (!ok) {
      std::fprintf(stderr, "hoshi benchmark: bad or unknown option '%s'\n%s", k.c_str(),
                   kBenchUsage);
      return false;
    }
    ++i;
  }
  return true;
}

int runNnBenchmark(BenchArgs a) {
  // KataGo or Hoshi file (an INT8 one carries the scales the xnnpack backend needs).
  nn::LoadedModel loaded = nn::loadAnyModel(a.model);
  if (a.backend == "auto" || a.precision == "auto") {
    nn::AutoRequest request;
    request.backend = a.backend;
    request.precision = a.precision;
    request.base.threads = a.threads;
    request.base.maxBatch = a.batch;
    request.base.device = a.device;
    request.searchThreads = a.batch;  // one computation of the whole batch
    const nn::AutoChoice choice = nn::chooseBackend(loaded, a.model, request);
    std::printf("network %s\n", choice.summary().c_str());
    a.backend = choice.backend;
    a.precision = choice.precision;
  }
  // An INT8 file's weights run as they are only on the INT8 path; any other
  // path times its FP32 copy.
  std::shared_ptr<const nn::ModelDesc> model =
      a.precision == "int8" ? loaded.model : nn::floatModel(loaded);
  nn::BackendOptions opts;
  opts.quant = loaded.quant;
  opts.threads = a.threads;
  opts.maxBatch = a.batch;
  opts.precision = a.precision;
  opts.device = a.device;
  std::unique_ptr<nn::Backend> backend = nn::createBackend(a.backend, model, opts);
  const nn::BackendAttributes& attr = backend->attributes();
  std::printf("model %s (version %d), backend %s %s on %s, %d thread(s), batch %d, %dx%d\n",
              model->name.c_str(), model->modelVersion, attr.name.c_str(), attr.precision.c_str(),
              attr.device.c_str(), attr.threads, a.batch, a.size, a.size);
  std::unique_ptr<nn::Computation> comp = backend->newComputation(a.size, a.size);
  nn::fillBenchmarkInputs(*comp, attr, a.size, a.batch);
  using Clock = std::chrono::steady_clock;
  // Warm caches and lazily touched buffers before timing.
  for (auto t0 = Clock::now(); std::chrono::duration<double>(Clock::now() - t0).count() < 0.5;)
    comp->compute();
  long batches = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < a.seconds) {
    comp->compute();
    ++batches;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double evals = double(batches) * a.batch;
  const double macs = double(model->directMacs(a.size, a.size));
  std::printf("nn evals/s: %.1f (%.0f evals in %.1f s, %.2f ms per batch, %.1f direct GFLOP/s)\n",
              evals / elapsed, evals, elapsed, 1000.0 * elapsed / double(batches),
              2e-9 * macs * evals / elapsed);
  return 0;
}

}  // namespace

// The full-search benchmark (cmd_benchmark_search.cpp).
int runSearchBenchmark(int argc, char** argv);

int runBenchmark(int argc, char** argv) {
  bool nnOnly = false;
  for (int i = 0; i < argc; ++i)
    nnOnly = nnOnly || std::string(argv[i]) == "--nn-only" || std::string(argv[i]) == "-nn-only";
  if (!nnOnly) return runSearchBenchmark(argc, argv);
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kBenchUsage, stdout);
      return 0;
    }
  BenchArgs args;
  if (!parseArgs(argc, argv, args)) return 2;
  if (args.model.empty()) {
    std::fprintf(stderr, "hoshi benchmark: -model FILE is required\n%s", kBenchUsage);
    return 2;
  }
  if (!args.nnOnly) {
    std::fprintf(stderr, "hoshi benchmark: only --nn-only is available in this build\n");
    return 2;
  }
  try {
    return runNnBenchmark(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi benchmark: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
