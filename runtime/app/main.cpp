#include <cstdio>
#include <cstring>

#include "app/commands.h"
#include "config/version.h"
#include "nn/builtin/builtin_backends.h"

namespace {

constexpr const char* kUsage =
    "usage: hoshi <command> [options]\n"
    "\n"
    "commands:\n"
    "  gtp        play over the Go Text Protocol on stdin/stdout\n"
    "  info       describe a model file and the available backends\n"
    "  benchmark  measure network and search speed\n"
    "  quantize   make a Hoshi model file (INT8 calibrated on games, FP16)\n"
    "  compare    accuracy of one model against a reference on game positions\n"
    "  analysis   KataGo's JSON analysis engine on stdin/stdout or TCP\n"
    "  export     write the network as ONNX (FP32, FP16) for other runtimes\n"
    "\n"
    "  hoshi --version      print the version\n"
    "  hoshi <command> --help   options of one command\n";

}  // namespace

int main(int argc, char** argv) {
  hoshi::nn::registerBuiltinBackends();
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const char* cmd = argv[1];
  if (!std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h") || !std::strcmp(cmd, "help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!std::strcmp(cmd, "--version") || !std::strcmp(cmd, "version")) {
    std::printf("%s %s\n", hoshi::kName, hoshi::kVersion);
    return 0;
  }
  if (!std::strcmp(cmd, "gtp")) return hoshi::app::runGtp(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "info")) return hoshi::app::runInfo(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "benchmark")) return hoshi::app::runBenchmark(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "quantize")) return hoshi::app::runQuantize(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "compare")) return hoshi::app::runCompare(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "analysis")) return hoshi::app::runAnalysis(argc - 2, argv + 2);
  if (!std::strcmp(cmd, "export")) return hoshi::app::runExport(argc - 2, argv + 2);
  std::fprintf(stderr, "hoshi: unknown command '%s'\n\n%s", cmd, kUsage);
  return 2;
}
