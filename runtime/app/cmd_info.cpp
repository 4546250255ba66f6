#include <cstdio>

#include "app/commands.h"

namespace hoshi::app {

int runInfo(int, char**) {
  std::fprintf(stderr, "hoshi info: not built yet\n");
  return 2;
}

}  // namespace hoshi::app
