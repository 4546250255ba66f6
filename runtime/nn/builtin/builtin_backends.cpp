#include "nn/builtin/builtin_backends.h"

#include "nn/eigen/eigen_backend.h"
#include "nn/fake/fake_backend.h"
#ifdef HOSHI_WITH_CUDA
#include "nn/cuda/cuda_backend.h"
#endif
#ifdef HOSHI_WITH_XNNPACK
#include "nn/xnnpack/xnn_backend.h"
#endif

namespace hoshi::nn {

void registerBuiltinBackends(BackendRegistry& registry) {
  registerEigenBackend(registry);
  registerFakeBackend(registry);
#ifdef HOSHI_WITH_CUDA
  registerCudaBackend(registry);
#endif
#ifdef HOSHI_WITH_XNNPACK
  registerXnnpackBackend(registry);
#endif
}

}  // namespace hoshi::nn
