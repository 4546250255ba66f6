#include "nn/registry.h"

#include <stdexcept>

#ifdef HOSHI_WITH_CUDA
#include "nn/cuda/cuda_backend.h"
#endif
#ifdef HOSHI_WITH_XNNPACK
#include "nn/xnnpack/xnn_backend.h"
#endif

namespace hoshi::nn {

namespace {

struct Entry {
  const char* name;
  std::unique_ptr<Backend> (*create)(std::shared_ptr<const ModelDesc>, const BackendOptions&);
};

// Every compiled-in backend, one line each.
constexpr Entry kBackends[] = {
    {"eigen", &createEigenBackend},
    {"fake", &createFakeBackend},
#ifdef HOSHI_WITH_CUDA
    {"cuda", &createCudaBackendFromOptions},
#endif
#ifdef HOSHI_WITH_XNNPACK
    {"xnnpack", &createXnnpackBackend},
#endif
};

}  // namespace

std::unique_ptr<Backend> createBackend(const std::string& name,
                                       std::shared_ptr<const ModelDesc> model,
                                       const BackendOptions& options) {
  for (const Entry& e : kBackends)
    if (name == e.name) return e.create(std::move(model), options);
  std::string known;
  for (const Entry& e : kBackends) known += std::string(known.empty() ? "" : ", ") + e.name;
  throw std::runtime_error("unknown backend '" + name + "' (compiled in: " + known + ")");
}

std::vector<std::string> backendNames() {
  std::vector<std::string> names;
  for (const Entry& e : kBackends) names.push_back(e.name);
  return names;
}

}  // namespace hoshi::nn
