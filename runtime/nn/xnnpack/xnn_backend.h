#pragma once

// The XNNPACK backend ("xnnpack" in nn/registry): FP32, or INT8 with the
// QuantTable of a Hoshi model file (BackendOptions::quant). Threads come
// from BackendOptions::threads through a pthreadpool.

#include <memory>
#include <mutex>

#include "nn/backend.h"
#include "nn/registry.h"
#include "nn/xnnpack/xnn_net.h"

namespace hoshi::nn::xnn {

class XnnpackBackend final : public Backend {
 public:
  XnnpackBackend(std::shared_ptr<const ModelDesc> model, const BackendOptions& options);
  ~XnnpackBackend() override;
  const BackendAttributes& attributes() const override { return attributes_; }
  std::unique_ptr<Computation> newComputation(int xSize, int ySize) override;

  // Every later compute() shows its intermediate tensors to tap (null: none).
  // The tap must outlive its use.
  void setTap(const Tap* tap) { tap_ = tap; }
  const Net& net() const { return net_; }

  // For computations.
  void run(Workspace& ws, int batch);
  void giveBack(std::unique_ptr<Workspace> ws);

 private:
  Net net_;
  BackendAttributes attributes_;
  pthreadpool_t pool_ = nullptr;
  const Tap* tap_ = nullptr;
  std::mutex runMutex_, cacheMutex_;
  std::vector<std::unique_ptr<Workspace>> cache_;
};

// createXnnpackBackend returning the concrete type (setTap, net()) for the
// quantization tools (quant/xnnpack); the same checks.
std::unique_ptr<XnnpackBackend> createXnnpack(std::shared_ptr<const ModelDesc> model,
                                              const BackendOptions& options);

}  // namespace hoshi::nn::xnn

namespace hoshi::nn {

// The backend's factory (the one shape, nn/registry.h).
std::unique_ptr<Backend> createXnnpackBackend(std::shared_ptr<const ModelDesc> model,
                                              const BackendOptions& options);

// Adds "xnnpack" (listed, no version 17 layers yet) to the registry.
void registerXnnpackBackend(BackendRegistry& registry);

}  // namespace hoshi::nn
