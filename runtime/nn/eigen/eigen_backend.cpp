// The Eigen FP32 backend: the reference every other backend is checked
// against. One shared EigenNet (prepared weights), one thread pool per lane
// (computations that run at once, like KataGo's NN server threads), and a
// cache of workspaces per board size so buffers are allocated once: as many
// as computations ever ran at once (one per lane in a search), each sized for
// the largest batch it has held (grown on demand up to maxBatch).

#include "nn/eigen/eigen_backend.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "nn/eigen/eigen_net.h"
#include "nn/eigen/thread_pool.h"
#include "nn/model.h"

namespace hoshi::nn {

namespace {

constexpr int kMaxBoardSize = 19;
constexpr int kMaxBatchLimit = 4096;

class EigenBackend;

class EigenComputation final : public Computation {
 public:
  EigenComputation(EigenBackend& backend, std::unique_ptr<EigenWorkspace> ws);
  ~EigenComputation() override;

  void addInput(const float* spatial, const float* global) override;
  int size() const override { return count_; }
  void compute() override;
  void clear() override { count_ = 0; }
  int xSize() const override { return ws_->xSize; }
  int ySize() const override { return ws_->ySize; }
  const float* policy(int i) const override { return policy_.data() + size_t(i) * policyStride_; }
  const float* policyPass(int i) const override {
    return ws_->policyPass.data() + size_t(i) * numPolicy_;
  }
  const float* value(int i) const override { return ws_->value.data() + size_t(i) * 3; }
  const float* scoreValue(int i) const override {
    return ws_->scoreValue.data() + size_t(i) * numScore_;
  }
  const float* ownership(int i) const override {
    return ws_->ownership.data() + size_t(i) * ws_->xSize * ws_->ySize;
  }

 private:
  EigenBackend& backend_;
  std::unique_ptr<EigenWorkspace> ws_;
  int count_ = 0;
  int numInput_, numGlobal_, numPolicy_, numScore_;
  size_t policyStride_;
  std::vector<float> policy_;  // [batch][policy channels][y][x]
};

class EigenBackend final : public Backend {
 public:
  EigenBackend(std::shared_ptr<const ModelDesc> model, const BackendOptions& options)
      : net_(std::move(model)) {
    const int lanes = std::max(1, options.lanes);
    for (int i = 0; i < lanes; ++i) {
      // The threads are shared out (the first lanes take the remainder); a
      // lane has at least its caller's thread.
      const int threads = options.threads <= lanes
                              ? 1
                              : options.threads / lanes + (i < options.threads % lanes ? 1 : 0);
      lanes_.push_back(std::make_unique<ThreadPool>(threads));
      freeLanes_.push_back(i);
    }
    attributes_ = modelAttributes("eigen", net_.model(), options);
    attributes_.lanes = lanes;
  }

  const BackendAttributes& attributes() const override { return attributes_; }

  std::unique_ptr<Computation> newComputation(int xSize, int ySize) override {
    if (xSize < 2 || xSize > kMaxBoardSize || ySize < 2 || ySize > kMaxBoardSize)
      throw std::invalid_argument("eigen backend: board size must be 2..19");
    std::unique_ptr<EigenWorkspace> ws;
    {
      std::lock_guard<std::mutex> lock(cacheMutex_);
      auto& free = cache_[{xSize, ySize}];
      if (!free.empty()) {
        ws = std::move(free.back());
        free.pop_back();
      }
    }
    if (!ws) ws = net_.newWorkspace(1, ySize, xSize);
    return std::make_unique<EigenComputation>(*this, std::move(ws));
  }

  void giveBack(std::unique_ptr<EigenWorkspace> ws) {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    cache_[{ws->xSize, ws->ySize}].push_back(std::move(ws));
  }

  void run(EigenWorkspace& ws, int batch) {
    // Each lane's pool runs one job at a time; computations past the number
    // of lanes wait here for one to come free.
    int lane;
    {
      std::unique_lock<std::mutex> lock(laneMutex_);
      laneFree_.wait(lock, [&] { return !freeLanes_.empty(); });
      lane = freeLanes_.back();
      freeLanes_.pop_back();
    }
    struct Release {
      EigenBackend* self;
      int lane;
      ~Release() {
        std::lock_guard<std::mutex> lock(self->laneMutex_);
        self->freeLanes_.push_back(lane);
        self->laneFree_.notify_one();
      }
    } release{this, lane};
    flushDenormalsOnThisThread();  // the caller runs chunks of the job too
    net_.forward(ws, batch, *lanes_[lane]);
  }

  const ModelDesc& model() const { return net_.model(); }
  int maxBatch() const { return attributes_.maxBatch; }
  void reserve(EigenWorkspace& ws, int batch) const { net_.reserve(ws, batch); }

 private:
  EigenNet net_;
  std::vector<std::unique_ptr<ThreadPool>> lanes_;
  BackendAttributes attributes_;
  std::mutex laneMutex_;
  std::condition_variable laneFree_;
  std::vector<int> freeLanes_;  // guarded by laneMutex_
  std::mutex cacheMutex_;
  std::map<std::pair<int, int>, std::vector<std::unique_ptr<EigenWorkspace>>> cache_;
};

EigenComputation::EigenComputation(EigenBackend& backend, std::unique_ptr<EigenWorkspace> ws)
    : backend_(backend), ws_(std::move(ws)) {
  const ModelDesc& m = backend_.model();
  numInput_ = m.numInputChannels;
  numGlobal_ = m.numInputGlobalChannels;
  numPolicy_ = m.numPolicyChannels;
  numScore_ = m.numScoreValueChannels;
  policyStride_ = size_t(numPolicy_) * ws_->xSize * ws_->ySize;
}

EigenComputation::~EigenComputation() {
  backend_.giveBack(std::move(ws_));
}

void EigenComputation::addInput(const float* spatial, const float* global) {
  if (count_ >= backend_.maxBatch()) throw std::length_error("eigen backend: computation is full");
  if (count_ >= ws_->maxBatch)
    backend_.reserve(*ws_, std::min(backend_.maxBatch(), std::max(1, 2 * ws_->maxBatch)));
  const int area = ws_->xSize * ws_->ySize;
  // NCHW in, NHWC inside.
  float* dst = ws_->input.data() + size_t(count_) * area * numInput_;
  for (int c = 0; c < numInput_; ++c)
    for (int p = 0; p < area; ++p) dst[size_t(p) * numInput_ + c] = spatial[size_t(c) * area + p];
  std::copy(global, global + numGlobal_, ws_->global.data() + size_t(count_) * numGlobal_);
  ++count_;
}

void EigenComputation::compute() {
  if (count_ == 0) return;
  backend_.run(*ws_, count_);
  const int area = ws_->xSize * ws_->ySize;
  if (policy_.size() < policyStride_ * count_) policy_.resize(policyStride_ * count_);
  for (int b = 0; b < count_; ++b) {
    const float* src = ws_->policy.data() + size_t(b) * area * numPolicy_;
    float* dst = policy_.data() + size_t(b) * policyStride_;
    for (int p = 0; p < area; ++p)
      for (int c = 0; c < numPolicy_; ++c)
        dst[size_t(c) * area + p] = src[size_t(p) * numPolicy_ + c];
  }
}

}  // namespace

std::unique_ptr<Backend> createEigenBackend(std::shared_ptr<const ModelDesc> model,
                                            const BackendOptions& options) {
  if (!model) throw std::runtime_error("eigen backend needs a model");
  if (options.threads < 1 || options.threads > 256)
    throw std::invalid_argument("eigen backend: threads must be in 1..256");
  if (options.maxBatch < 1 || options.maxBatch > kMaxBatchLimit)
    throw std::invalid_argument("eigen backend: maxBatch must be in 1..4096");
  if (options.lanes < 1 || options.lanes > 256)
    throw std::invalid_argument("eigen backend: lanes must be in 1..256");
  return std::make_unique<EigenBackend>(std::move(model), options);
}

void registerEigenBackend(BackendRegistry& registry) {
  registry.add({"eigen", &createEigenBackend, /*transformers=*/true, /*listed=*/true});
}

}  // namespace hoshi::nn
