#include "nn/registry.h"

#include <stdexcept>

#include "nn/model.h"

namespace hoshi::nn {

void BackendRegistry::add(const BackendEntry& entry) {
  if (entry.name.empty() || !entry.create)
    throw std::logic_error("backend registry: an entry needs a name and a factory");
  std::lock_guard<std::mutex> lock(mutex_);
  for (const BackendEntry& e : entries_) {
    if (e.name != entry.name) continue;
    if (e.create == entry.create && e.transformers == entry.transformers &&
        e.listed == entry.listed)
      return;
    throw std::logic_error("backend registry: two backends named '" + entry.name + "'");
  }
  entries_.push_back(entry);
}

bool BackendRegistry::find(const std::string& name, BackendEntry* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const BackendEntry& e : entries_) {
    if (e.name != name) continue;
    *out = e;
    return true;
  }
  return false;
}

std::vector<BackendEntry> BackendRegistry::entries() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_;
}

BackendRegistry& backendRegistry() {
  static BackendRegistry registry;
  return registry;
}

std::unique_ptr<Backend> createBackend(const std::string& name,
                                       std::shared_ptr<const ModelDesc> model,
                                       const BackendOptions& options) {
  BackendEntry e;
  if (backendRegistry().find(name, &e)) {
    if (model && !e.transformers && model->hasTransformerLayers())
      throw std::runtime_error(name + " backend does not compute model version 17 layers " +
                               "(transformer blocks, RMS-norm trunk tip) of '" + model->name +
                               "' yet; use nnBackend = eigen");
    return e.create(std::move(model), options);
  }
  const std::vector<BackendEntry> all = backendRegistry().entries();
  if (all.empty())
    throw std::runtime_error("unknown backend '" + name +
                             "' (none registered: the program must call "
                             "nn::registerBuiltinBackends() first)");
  std::string known;
  for (const BackendEntry& b : all) known += (known.empty() ? "" : ", ") + b.name;
  throw std::runtime_error("unknown backend '" + name + "' (compiled in: " + known + ")");
}

std::vector<std::string> backendNames() {
  std::vector<std::string> names;
  for (const BackendEntry& e : backendRegistry().entries())
    if (e.listed) names.push_back(e.name);
  return names;
}

}  // namespace hoshi::nn
