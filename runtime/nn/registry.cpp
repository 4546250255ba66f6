#include "nn/registry.h"

#include <stdexcept>

#include "nn/model.h"

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
  // Computes model version 17 layers (transformer blocks, RMS-norm tip).
  bool transformers;
  // Shown to users (backendNames, hoshi info); the weightless fake backend
  // is for tests and soaks (nnBackend = fake still creates it).
  bool listed;
};

// Every compiled-in backend, one line each.
constexpr Entry kBackends[] = {
    {"eigen", &createEigenBackend, true, true},
    {"fake", &createFakeBackend, true, false},
#ifdef HOSHI_WITH_CUDA
    {"cuda", &createCudaBackendFromOptions, false, true},
#endif
#ifdef HOSHI_WITH_XNNPACK
    {"xnnpack", &createXnnpackBackend, false, true},
#endif
};

}  // namespace

std::unique_ptr<Backend> createBackend(const std::string& name,
                                       std::shared_ptr<const ModelDesc> model,
                                       const BackendOptions& options) {
  for (const Entry& e : kBackends) {
    if (name != e.name) continue;
    if (model && !e.transformers && model->hasTransformerLayers())
      throw std::runtime_error(name + " backend does not compute model version 17 layers " +
                               "(transformer blocks, RMS-norm trunk tip) of '" + model->name +
                               "' yet; use nnBackend = eigen");
    return e.create(std::move(model), options);
  }
  std::string known;
  for (const Entry& e : kBackends) known += std::string(known.empty() ? "" : ", ") + e.name;
  throw std::runtime_error("unknown backend '" + name + "' (compiled in: " + known + ")");
}

std::vector<std::string> backendNames() {
  std::vector<std::string> names;
  for (const Entry& e : kBackends)
    if (e.listed) names.push_back(e.name);
  return names;
}

}  // namespace hoshi::nn
