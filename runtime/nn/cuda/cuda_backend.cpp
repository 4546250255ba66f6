// Backend / Computation of the CUDA path: a shared CudaNet (device weights),
// and a cache of workspaces per board size so that buffers, streams and
// cuBLAS handles are made once and reused by later computations.

#include "nn/cuda/cuda_backend.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "nn/cuda/cuda_net.h"
#include "nn/model.h"

namespace hoshi::nn {

namespace {

using cuda::check;
using cuda::CudaBackendOptions;
using cuda::CudaNet;
using cuda::CudaWorkspace;

constexpr int kMaxBoardSize = 19;
constexpr int kMaxBatchLimit = 4096;

class CudaBackend;

class CudaComputation final : public Computation {
 public:
  CudaComputation(CudaBackend& backend, std::unique_ptr<CudaWorkspace> ws);
  ~CudaComputation() override;

  void addInput(const float* spatial, const float* global) override;
  int size() const override { return count_; }
  void compute() override;
  void clear() override { count_ = 0; }
  int xSize() const override { return ws_->xSize; }
  int ySize() const override { return ws_->ySize; }
  const float* policy(int i) const override {
    return out() + ws_->outPolicy + size_t(i) * numPolicy_ * area_;
  }
  const float* policyPass(int i) const override {
    return out() + ws_->outPass + size_t(i) * numPolicy_;
  }
  const float* value(int i) const override { return out() + ws_->outValue + size_t(i) * numValue_; }
  const float* scoreValue(int i) const override {
    return out() + ws_->outScore + size_t(i) * numScore_;
  }
  const float* ownership(int i) const override {
    return out() + ws_->outOwnership + size_t(i) * area_;
  }

 private:
  const float* out() const { return ws_->outputHost.host(); }

  CudaBackend& backend_;
  std::unique_ptr<CudaWorkspace> ws_;
  int count_ = 0;
  int area_, numInput_, numGlobal_, numPolicy_, numValue_, numScore_;
};

class CudaBackend final : public Backend {
 public:
  CudaBackend(std::shared_ptr<const ModelDesc> model, const CudaBackendOptions& options)
      : options_(options) {
    check(cudaSetDevice(options.device), "cudaSetDevice");
    cudaDeviceProp prop;
    check(cudaGetDeviceProperties(&prop, options.device), "cudaGetDeviceProperties");
    if (options.fp16 && prop.major * 10 + prop.minor < 53)
      throw std::runtime_error("cuda backend: FP16 needs compute capability 5.3 or newer, " +
                               std::string(prop.name) + " has " + std::to_string(prop.major) + "." +
                               std::to_string(prop.minor) + " (use nnPrecision = fp32)");
    // Shared DRAM (Jetson): the GPU reads and writes pinned host memory
    // directly, so inputs and outputs are never copied.
    zeroCopy_ = prop.integrated && prop.canMapHostMemory;
    net_ = std::make_unique<CudaNet>(std::move(model),
                                     options.fp16 ? cuda::DType::kHalf : cuda::DType::kFloat);
    const ModelDesc& m = net_->model();
    attributes_ = modelAttributes("cuda", m, BackendOptions());  // no CPU threads
    attributes_.maxBatch = options.maxBatch;
    attributes_.precision = options.fp16 ? "fp16" : "fp32";
    attributes_.device = cudaDeviceDescription(options.device);
    attributes_.threadsPastCoresHelp = true;
    if (zeroCopy_) attributes_.device += " zero-copy";
  }

  const BackendAttributes& attributes() const override { return attributes_; }

  std::unique_ptr<Computation> newComputation(int xSize, int ySize) override {
    if (xSize < 2 || xSize > kMaxBoardSize || ySize < 2 || ySize > kMaxBoardSize)
      throw std::invalid_argument("cuda backend: board size must be 2..19");
    std::unique_ptr<CudaWorkspace> ws;
    {
      std::lock_guard<std::mutex> lock(cacheMutex_);
      auto& free = cache_[{xSize, ySize}];
      if (!free.empty()) {
        ws = std::move(free.back());
        free.pop_back();
      }
    }
    if (!ws) {
      check(cudaSetDevice(options_.device), "cudaSetDevice");
      ws = std::make_unique<CudaWorkspace>(*net_, options_.maxBatch, ySize, xSize, zeroCopy_);
    }
    return std::make_unique<CudaComputation>(*this, std::move(ws));
  }

  void giveBack(std::unique_ptr<CudaWorkspace> ws) {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    cache_[{ws->xSize, ws->ySize}].push_back(std::move(ws));
  }

  // Each workspace has its own stream and cuBLAS handle, so computations on
  // different threads run concurrently without a lock.
  void run(CudaWorkspace& ws, int batch) {
    check(cudaSetDevice(options_.device), "cudaSetDevice");
    if (options_.useGraphs && !ws.graphsFailed && ws.eagerRuns[batch] > 0)
      runGraph(ws, batch);
    else
      runEager(ws, batch);
    check(cudaStreamSynchronize(ws.stream), "network evaluation");
  }

  const ModelDesc& model() const { return net_->model(); }

 private:
  void runEager(CudaWorkspace& ws, int batch) {
    net_->forward(ws, batch);
    ++ws.eagerRuns[batch];
  }

  void runGraph(CudaWorkspace& ws, int batch) {
    auto it = ws.graphs.find(batch);
    if (it == ws.graphs.end()) {
      cudaGraphExec_t exec = capture(ws, batch);
      if (!exec) {
        ws.graphsFailed = true;
        runEager(ws, batch);
        return;
      }
      it = ws.graphs.emplace(batch, exec).first;
    }
    check(cudaGraphLaunch(it->second, ws.stream), "cudaGraphLaunch");
  }

  // Null when this batch cannot be captured (then the caller runs eagerly).
  cudaGraphExec_t capture(CudaWorkspace& ws, int batch) {
    if (cudaStreamBeginCapture(ws.stream, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
      cudaGetLastError();
      return nullptr;
    }
    cudaGraph_t graph = nullptr;
    try {
      net_->forward(ws, batch);
    } catch (const std::exception&) {
      cudaStreamEndCapture(ws.stream, &graph);
      if (graph) cudaGraphDestroy(graph);
      cudaGetLastError();
      return nullptr;
    }
    cudaGraphExec_t exec = nullptr;
    cudaError_t err = cudaStreamEndCapture(ws.stream, &graph);
    if (err == cudaSuccess) err = cudaGraphInstantiateWithFlags(&exec, graph, 0);
    if (graph) cudaGraphDestroy(graph);
    if (err != cudaSuccess) {
      cudaGetLastError();
      return nullptr;
    }
    return exec;
  }

  CudaBackendOptions options_;
  bool zeroCopy_ = false;
  std::unique_ptr<CudaNet> net_;
  BackendAttributes attributes_;
  std::mutex cacheMutex_;
  std::map<std::pair<int, int>, std::vector<std::unique_ptr<CudaWorkspace>>> cache_;
};

CudaComputation::CudaComputation(CudaBackend& backend, std::unique_ptr<CudaWorkspace> ws)
    : backend_(backend), ws_(std::move(ws)) {
  const ModelDesc& m = backend_.model();
  area_ = ws_->xSize * ws_->ySize;
  numInput_ = m.numInputChannels;
  numGlobal_ = m.numInputGlobalChannels;
  numPolicy_ = m.numPolicyChannels;
  numValue_ = m.numValueChannels;
  numScore_ = m.numScoreValueChannels;
}

CudaComputation::~CudaComputation() {
  backend_.giveBack(std::move(ws_));
}

void CudaComputation::addInput(const float* spatial, const float* global) {
  if (count_ >= ws_->maxBatch) throw std::length_error("cuda backend: computation is full");
  // Straight into pinned memory: the only host-side copy of the inputs.
  float* host = ws_->inputHost.host();
  const size_t spatialFloats = size_t(numInput_) * area_;
  std::copy(spatial, spatial + spatialFloats, host + size_t(count_) * spatialFloats);
  std::copy(global, global + numGlobal_, host + ws_->globalOffset + size_t(count_) * numGlobal_);
  ++count_;
}

void CudaComputation::compute() {
  if (count_ == 0) return;
  backend_.run(*ws_, count_);
}

}  // namespace

int cudaDeviceCount(std::string* why) {
  return cuda::deviceCount(why);
}

std::string cudaDeviceDescription(int device) {
  cudaDeviceProp prop;
  if (cudaGetDeviceProperties(&prop, device) != cudaSuccess) {
    cudaGetLastError();
    return "CUDA device " + std::to_string(device) + " (unavailable)";
  }
  char mem[32];
  std::snprintf(mem, sizeof(mem), "%.1f GiB", double(prop.totalGlobalMem) / (1 << 30));
  return std::string(prop.name) + " (sm_" + std::to_string(prop.major) +
         std::to_string(prop.minor) + ", " + mem + (prop.integrated ? ", integrated" : "") + ")";
}

std::unique_ptr<Backend> cuda::createWithOptions(std::shared_ptr<const ModelDesc> model,
                                                 const CudaBackendOptions& options) {
  if (!model) throw std::runtime_error("cuda backend needs a model");
  // Checked here too (not only in the registry) for direct callers.
  if (model->hasTransformerLayers())
    throw std::runtime_error(
        "cuda backend does not compute model version 17 layers "
        "(transformer blocks, RMS-norm trunk tip) of '" +
        model->name + "'; use nnBackend = eigen");
  if (options.maxBatch < 1 || options.maxBatch > kMaxBatchLimit)
    throw std::invalid_argument("cuda backend: maxBatch must be in 1..4096");
  std::string why;
  const int count = cuda::deviceCount(&why);
  if (count == 0) throw std::runtime_error("cuda backend: no usable GPU (" + why + ")");
  if (options.device < 0 || options.device >= count)
    throw std::runtime_error("cuda backend: cudaDevice " + std::to_string(options.device) +
                             " does not exist (" + std::to_string(count) + " device(s) found)");
  return std::make_unique<CudaBackend>(std::move(model), options);
}

std::unique_ptr<Backend> createCudaBackend(std::shared_ptr<const ModelDesc> model,
                                           const BackendOptions& options) {
  CudaBackendOptions o;
  o.maxBatch = options.maxBatch;
  o.device = options.device;
  if (options.precision == "fp16")
    o.fp16 = true;
  else if (options.precision == "fp32")
    o.fp16 = false;
  else
    throw std::runtime_error("cuda backend: precision '" + options.precision +
                             "' is not supported (fp16 or fp32)");
  return cuda::createWithOptions(std::move(model), o);
}

void registerCudaBackend(BackendRegistry& registry) {
  registry.add({"cuda", &createCudaBackend, /*transformers=*/false, /*listed=*/true});
}

}  // namespace hoshi::nn
