#include "nn/xnnpack/xnn_backend.h"

#include <pthreadpool.h>

#include <algorithm>
#include <stdexcept>

#include "nn/model.h"
#include "nn/quant.h"

namespace hoshi::nn::xnn {

namespace {

constexpr int kMaxBoardSize = 19;
constexpr int kMaxBatchLimit = 4096;

class XnnComputation final : public Computation {
 public:
  XnnComputation(XnnpackBackend& backend, std::unique_ptr<Workspace> ws)
      : backend_(backend), ws_(std::move(ws)) {
    const ModelDesc& m = backend_.net().model();
    numInput_ = m.numInputChannels;
    numGlobal_ = m.numInputGlobalChannels;
    numPolicy_ = m.numPolicyChannels;
    numScore_ = m.numScoreValueChannels;
    policy_.resize(size_t(numPolicy_) * area() * ws_->maxBatch);
  }
  ~XnnComputation() override { backend_.giveBack(std::move(ws_)); }

  void addInput(const float* spatial, const float* global) override {
    if (count_ >= ws_->maxBatch) throw std::length_error("xnnpack backend: computation is full");
    const int a = area();
    float* dst = ws_->input.data() + size_t(count_) * a * numInput_;
    for (int c = 0; c < numInput_; ++c)
      for (int p = 0; p < a; ++p) dst[size_t(p) * numInput_ + c] = spatial[size_t(c) * a + p];
    std::copy(global, global + numGlobal_, ws_->global.data() + size_t(count_) * numGlobal_);
    ++count_;
  }
  int size() const override { return count_; }
  void compute() override {
    if (count_ == 0) return;
    backend_.run(*ws_, count_);
    const int a = area();
    for (int b = 0; b < count_; ++b) {
      const float* src = ws_->policy.data() + size_t(b) * a * numPolicy_;
      float* dst = policy_.data() + size_t(b) * a * numPolicy_;
      for (int p = 0; p < a; ++p)
        for (int c = 0; c < numPolicy_; ++c)
          dst[size_t(c) * a + p] = src[size_t(p) * numPolicy_ + c];
    }
  }
  void clear() override { count_ = 0; }
  int xSize() const override { return ws_->xSize; }
  int ySize() const override { return ws_->ySize; }
  const float* policy(int i) const override {
    return policy_.data() + size_t(i) * numPolicy_ * area();
  }
  const float* policyPass(int i) const override {
    return ws_->policyPass.data() + size_t(i) * numPolicy_;
  }
  const float* value(int i) const override { return ws_->value.data() + size_t(i) * 3; }
  const float* scoreValue(int i) const override {
    return ws_->scoreValue.data() + size_t(i) * numScore_;
  }
  const float* ownership(int i) const override {
    return ws_->ownership.data() + size_t(i) * area();
  }

 private:
  int area() const { return ws_->xSize * ws_->ySize; }
  XnnpackBackend& backend_;
  std::unique_ptr<Workspace> ws_;
  int count_ = 0;
  int numInput_, numGlobal_, numPolicy_, numScore_;
  std::vector<float> policy_;  // [batch][policy channels][y][x]
};

std::shared_ptr<const QuantTable> quantFor(const BackendOptions& o) {
  if (o.precision == "fp32") return nullptr;
  if (o.precision == "int8") {
    if (!o.quant)
      throw std::runtime_error(
          "xnnpack backend: precision int8 needs a quantized Hoshi model file (make one with "
          "`hoshi quantize`)");
    return o.quant;
  }
  throw std::runtime_error("xnnpack backend: precision '" + o.precision +
                           "' is not supported (fp32 or int8)");
}

}  // namespace

XnnpackBackend::XnnpackBackend(std::shared_ptr<const ModelDesc> model,
                               const BackendOptions& options)
    : net_(std::move(model), quantFor(options)) {
  attributes_ = modelAttributes("xnnpack", net_.model(), options);
  attributes_.precision = net_.int8() ? "int8" : "fp32";
  attributes_.device = "cpu (XNNPACK)";
  if (options.threads > 1) pool_ = pthreadpool_create(size_t(options.threads));
}

XnnpackBackend::~XnnpackBackend() {
  cache_.clear();
  if (pool_) pthreadpool_destroy(pool_);
}

std::unique_ptr<Computation> XnnpackBackend::newComputation(int xSize, int ySize) {
  if (xSize < 2 || xSize > kMaxBoardSize || ySize < 2 || ySize > kMaxBoardSize)
    throw std::invalid_argument("xnnpack backend: board size must be 2..19");
  std::unique_ptr<Workspace> ws;
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    auto it = std::find_if(cache_.begin(), cache_.end(),
                           [&](const auto& w) { return w->xSize == xSize && w->ySize == ySize; });
    if (it != cache_.end()) {
      ws = std::move(*it);
      cache_.erase(it);
    }
  }
  if (!ws) ws = net_.newWorkspace(attributes_.maxBatch, ySize, xSize);
  return std::make_unique<XnnComputation>(*this, std::move(ws));
}

void XnnpackBackend::run(Workspace& ws, int batch) {
  // One forward at a time: the thread pool serves one job.
  std::lock_guard<std::mutex> lock(runMutex_);
  net_.forward(ws, batch, pool_, tap_);
}

void XnnpackBackend::giveBack(std::unique_ptr<Workspace> ws) {
  std::lock_guard<std::mutex> lock(cacheMutex_);
  cache_.push_back(std::move(ws));
}

std::unique_ptr<XnnpackBackend> createXnnpack(std::shared_ptr<const ModelDesc> model,
                                              const BackendOptions& options) {
  if (!model) throw std::runtime_error("xnnpack backend needs a model");
  if (options.threads < 1 || options.threads > 256)
    throw std::invalid_argument("xnnpack backend: threads must be in 1..256");
  if (options.maxBatch < 1 || options.maxBatch > kMaxBatchLimit)
    throw std::invalid_argument("xnnpack backend: maxBatch must be in 1..4096");
  if (xnn_initialize(nullptr) != xnn_status_success)
    throw std::runtime_error("xnnpack backend: xnn_initialize failed (unsupported CPU?)");
  return std::make_unique<XnnpackBackend>(std::move(model), options);
}

}  // namespace hoshi::nn::xnn

namespace hoshi::nn {
std::unique_ptr<Backend> createXnnpackBackend(std::shared_ptr<const ModelDesc> model,
                                              const BackendOptions& options) {
  return xnn::createXnnpack(std::move(model), options);
}

void registerXnnpackBackend(BackendRegistry& registry) {
  registry.add({"xnnpack", &createXnnpackBackend, /*transformers=*/false, /*listed=*/true});
}
}  // namespace hoshi::nn
