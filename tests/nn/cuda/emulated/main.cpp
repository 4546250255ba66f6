// The emulated CUDA tests' main: the registry gets eigen and fake from their
// libraries and cuda from the backend's sources compiled into this executable
// over the CPU emulations (not nn/builtin, which would link libhoshi_nn_cuda).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "nn/cuda/cuda_backend.h"
#include "nn/eigen/eigen_backend.h"
#include "nn/fake/fake_backend.h"

int main(int argc, char** argv) {
  hoshi::nn::BackendRegistry& registry = hoshi::nn::backendRegistry();
  hoshi::nn::registerEigenBackend(registry);
  hoshi::nn::registerFakeBackend(registry);
  hoshi::nn::registerCudaBackend(registry);
  return Catch::Session().run(argc, argv);
}
