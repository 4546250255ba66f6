#include <cstdio>

#include "app/commands.h"

namespace hoshi::app {

int runBenchmark(int, char**) {
  std::fprintf(stderr, "hoshi benchmark: not built yet\n");
  return 2;
}

}  // namespace hoshi::app
