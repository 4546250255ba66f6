// The main of the test executables that create networks: every compiled-in
// backend registered first, as app/main.cpp does, then Catch's session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "nn/builtin/builtin_backends.h"

int main(int argc, char** argv) {
  hoshi::nn::registerBuiltinBackends();
  return Catch::Session().run(argc, argv);
}
