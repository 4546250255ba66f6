#include <cstdio>
#include <cstring>

#include "app/commands.h"
#include "config/version.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: hoshi gtp|info|benchmark [options]\n");
    return 2;
  }
  if (!std::strcmp(argv[1], "gtp")) return hoshi::app::runGtp(argc - 2, argv + 2);
  if (!std::strcmp(argv[1], "info")) return hoshi::app::runInfo(argc - 2, argv + 2);
  if (!std::strcmp(argv[1], "benchmark")) return hoshi::app::runBenchmark(argc - 2, argv + 2);
  std::fprintf(stderr, "hoshi: unknown subcommand '%s'\n", argv[1]);
  return 2;
}
