#include <cstdio>

#include "app/commands.h"

namespace hoshi::app {

int runGtp(int, char**) {
  std::fprintf(stderr, "hoshi gtp: not built yet\n");
  return 2;
}

}  // namespace hoshi::app
