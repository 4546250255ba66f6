#pragma once

// The backends a program can create by name (createBackend / backendNames in
// nn/backend.h). nn/ knows none of them: each backend library (nn/<name>/)
// has one register<Name>Backend(BackendRegistry&) that adds its factory, and
// nn/builtin registers every backend compiled into the build; a program
// (app/main.cpp, the test mains) calls registerBuiltinBackends() once first.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nn/backend.h"

namespace hoshi::nn {

// The one factory shape of every backend. model may be null only for the
// fake backend.
using BackendFactory = std::unique_ptr<Backend> (*)(std::shared_ptr<const ModelDesc> model,
                                                    const BackendOptions& options);

struct BackendEntry {
  std::string name;  // nnBackend = name
  BackendFactory create = nullptr;
  // Computes model version 17 layers (transformer blocks, RMS-norm tip);
  // createBackend refuses such a model for a backend without them.
  bool transformers = false;
  // Shown to users (backendNames, hoshi info); the weightless fake backend
  // is for tests and soaks (nnBackend = fake still creates it).
  bool listed = true;
};

class BackendRegistry {
 public:
  // Appends a backend (backendNames keeps this order). Adding the same entry
  // again does nothing; another factory under a taken name throws
  // std::logic_error.
  void add(const BackendEntry& entry);
  // Copies the entry named name into *out; false when there is none.
  bool find(const std::string& name, BackendEntry* out) const;
  std::vector<BackendEntry> entries() const;

 private:
  mutable std::mutex mutex_;
  std::vector<BackendEntry> entries_;
};

// The process's registry: what createBackend and backendNames read.
BackendRegistry& backendRegistry();

}  // namespace hoshi::nn
