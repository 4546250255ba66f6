#pragma once

// Shared by the CUDA backend tests: is there a GPU (and if not, why), the
// real net's path, and the CUDA / Eigen backends built the same way.

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>

#include "nn/backend.h"
#include "nn/cuda/cuda_backend.h"
#include "nn/model.h"
#include "nn/test_model_common.h"

namespace hoshi::test {

// True when a GPU is usable; otherwise WARNs why the calling test is skipped.
inline bool haveGpuOrSkip() {
  std::string why;
  if (nn::cudaDeviceCount(&why) > 0) return true;
  WARN("skipped: no GPU on this machine (" << why << ")");
  return false;
}

inline std::unique_ptr<nn::Backend> cudaBackend(std::shared_ptr<const nn::ModelDesc> model,
                                                bool fp16, int maxBatch, bool graphs = false) {
  nn::cuda::CudaBackendOptions o;
  o.fp16 = fp16;
  o.maxBatch = maxBatch;
  o.useGraphs = graphs;
  return nn::cuda::createWithOptions(std::move(model), o);
}

inline std::unique_ptr<nn::Backend> eigenBackend(std::shared_ptr<const nn::ModelDesc> model,
                                                 int maxBatch) {
  nn::BackendOptions o;
  o.maxBatch = maxBatch;
  o.threads = int(std::max(1u, std::min(8u, std::thread::hardware_concurrency())));
  return nn::createBackend("eigen", std::move(model), o);
}

}  // namespace hoshi::test
