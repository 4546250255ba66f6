// `hoshi benchmark`: speed measurements. `--nn-only` times the network
// backend alone (evaluations per second); the full search benchmark is a
// separate path of the same command.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "app/benchmark.h"
#include "app/cli.h"
#include "app/commands.h"
#include "nn/auto_select.h"
#include "nn/backend.h"
#include "nn/bench_inputs.h"
#include "nn/model.h"
#include "nn/model_loader.h"

namespace hoshi::app {

namespace {

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

// "1,2,4": counts 1..256.
bool parseThreadList(const std::string& text, std::vector<int>& out) {
  out.clear();
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 1 || v > 256) return false;
    out.push_back(static_cast<int>(v));
  }
  return !out.empty();
}

}  // namespace

int runBenchmark(int argc, char** argv) {
  BenchArgs nn;
  SearchBenchArgs search;
  std::string threads;
  Cli cli("hoshi benchmark", "-model FILE [--nn-only] [options]");
  cli.about(
         "  Without --nn-only: searches positions of a real 19x19 game at each thread\n"
         "  count and reports visits/s, nnEvals/s, the average batch, collisions\n"
         "  (descents that met a leaf another thread was evaluating), the scaling from\n"
         "  the first thread count and the ratio to the network alone (same lanes, no\n"
         "  tree); on a CPU the default layout (a lane per thread, at most one per core)\n"
         "  and one lane of all cores, unless the config sets nnLanes; recommends\n"
         "  numSearchThreads and nnLanes.\n"
         "  With --nn-only: times the network backend alone (evaluations per second).\n")
      .text("model", &nn.model, "FILE", "KataGo network (.bin.gz, .bin) or Hoshi model file")
      .text("t|threads", &threads, "N[,N...]",
            "search: thread counts to try (default 1,2);\n"
            "--nn-only: backend threads, one count (default 1)")
      .section("search benchmark:")
      .text("config", &search.config, "FILE", "GTP config to search with")
      .custom("override-config", "KEY=VALUE,...", "config settings over it (may repeat)",
              [&search](const std::string& v) {
                search.overrides.push_back(v);
                return std::string();
              })
      .integer("v|visits", &search.visits, 1, 100000000, "visits per position (default 800)")
      .section("--nn-only:")
      .flag("nn-only", &nn.nnOnly, "time network evaluations only (no search)")
      .integer("batch", &nn.batch, 1, 4096, "positions per evaluation batch (default 1)")
      .integer("size", &nn.size, 2, 19, "board size (default 19)")
      .text("backend", &nn.backend, "NAME", "backend from the registry (default eigen), or auto")
      .text("precision", &nn.precision, "P",
            "fp32 (default), fp16 (cuda), int8 (xnnpack, Hoshi file) or\n"
            "auto: the fastest path meeting the accuracy bars (cached)")
      .integer("device", &nn.device, 0, 63, "GPU index for the cuda backend (default 0)")
      .number("seconds", &nn.seconds, 0.001, 1e9, "measuring time (default 5)");
  if (const int rc = cli.parseOrExit(argc, argv); rc >= 0) return rc;
  if (nn.model.empty()) return cli.fail("-model FILE is required");
  if (!threads.empty() && !parseThreadList(threads, search.threads))
    return cli.fail("bad -t '" + threads + "': thread counts 1..256, comma-separated");
  if (!nn.nnOnly) {
    search.model = nn.model;
    return runSearchBenchmark(search);
  }
  if (!threads.empty()) {
    if (search.threads.size() != 1) return cli.fail("--nn-only takes one thread count");
    nn.threads = search.threads[0];
  }
  return cli.guard([&] { return runNnBenchmark(nn); });
}

}  // namespace hoshi::app
