#pragma once

// The CUDA backend ("cuda" in nn/registry): KataGo nets on an NVIDIA GPU in
// FP16 (tensor cores, FP32 accumulation) or FP32, NHWC, batched, without
// cuDNN. Built only with -DHOSHI_WITH_CUDA=ON; runs on Jetson (integrated
// GPU: inputs and outputs are zero-copy pinned memory) and discrete GPUs
// (pinned memory, asynchronous copies).

#include <memory>
#include <string>

#include "nn/backend.h"
#include "nn/registry.h"

namespace hoshi::nn {

struct ModelDesc;

// The backend's factory, of the one shape every backend has (nn/backend.h):
// precision "fp16" or "fp32" and the device come from BackendOptions. Throws
// std::runtime_error with the reason when there is no usable GPU (no driver,
// no device, bad index, FP16 on a GPU older than sm_53) or the model does
// not fit; never crashes for lack of a GPU.
std::unique_ptr<Backend> createCudaBackend(std::shared_ptr<const ModelDesc> model,
                                           const BackendOptions& options);

// Adds "cuda" (listed, no version 17 layers yet) to the registry.
void registerCudaBackend(BackendRegistry& registry);

// Usable CUDA devices; 0 with the reason in *why when there are none.
int cudaDeviceCount(std::string* why);

// "NVIDIA Orin (sm_87, 7.4 GiB, integrated)" for reports such as benchmark.
std::string cudaDeviceDescription(int device);

namespace cuda {

// What createCudaBackend makes of BackendOptions, plus settings no config
// option reaches (CUDA graphs): for the backend's own tests and benchmarks.
struct CudaBackendOptions {
  int device = 0;    // CUDA device index
  bool fp16 = true;  // FP16 storage and tensor-core GEMMs; false = FP32 everywhere
  int maxBatch = 8;  // positions per computation, buffers sized for it
  // Replay each batch size as a CUDA graph after one eager run (fewer launch
  // costs at small batches); falls back to eager launches if capture fails.
  bool useGraphs = false;
};

// createCudaBackend with the backend's own settings; the same checks.
std::unique_ptr<Backend> createWithOptions(std::shared_ptr<const ModelDesc> model,
                                           const CudaBackendOptions& options);

}  // namespace cuda

}  // namespace hoshi::nn
