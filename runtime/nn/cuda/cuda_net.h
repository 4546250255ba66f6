#pragma once

// The CUDA forward pass of a KataGo residual net (versions 8..16), the same
// layers in the same order as the Eigen reference (nn/eigen_net.cpp):
// convolutions are cuBLAS GEMMs (1x1 directly, larger kernels after an
// explicit im2col) in FP16 with FP32 accumulation, or FP32; everything else
// runs in our own kernels (nn/cuda/cuda_kernels.h).
//
// CudaNet holds the device weights, shared read-only by every workspace.
// CudaWorkspace holds everything one computation needs for one
// (maxBatch, ySize, xSize): a stream, a cuBLAS handle, activations, and the
// pinned host buffers the caller fills and reads.

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <map>
#include <memory>
#include <vector>

#include "nn/cuda/cuda_kernels.h"
#include "nn/cuda/cuda_util.h"
#include "nn/model.h"

namespace hoshi::nn::cuda {

class CudaNet;

// The residual trunk (each block's input, which conv2 accumulates into) is
// kept in FP32 even when activations are FP16: it sums every block's output,
// and rounding it to FP16 at each block adds error (on the golden positions,
// emulated: worst winrate error 0.0030 -> 0.0025, lead 0.054 -> 0.041). GEMMs
// still read FP16 operands; only their writes into the trunk are FP32.
constexpr DType kTrunkType = DType::kFloat;

struct CudaWorkspace {
  // zeroCopy: the device reads inputs from and writes outputs to mapped
  // pinned host memory (integrated GPUs); otherwise they are copied.
  CudaWorkspace(const CudaNet& net, int maxBatch, int ySize, int xSize, bool zeroCopy);
  ~CudaWorkspace();
  CudaWorkspace(const CudaWorkspace&) = delete;
  CudaWorkspace& operator=(const CudaWorkspace&) = delete;

  int maxBatch, ySize, xSize;
  bool zeroCopy;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;

  // Inputs, float: [maxBatch][inputChannels][y][x], then [maxBatch][globals].
  PinnedBuffer inputHost;
  DeviceBuffer inputDev;
  float* inputDevPtr = nullptr;  // what kernels read (mapped host or inputDev)
  size_t globalOffset = 0;       // floats from the start to the globals

  DeviceBuffer inputNhwc;              // storage type
  std::vector<DeviceBuffer> planes;    // storage type, maxBatch * area * maxChannels each
  DeviceBuffer scratch;                // im2col patches
  DeviceBuffer pooled, small, small2;  // float
  DeviceBuffer policyNhwc, ownershipNhwc;

  // Outputs, float, per entry in Backend order (nn/backend.h).
  PinnedBuffer outputHost;
  DeviceBuffer outputDev;
  float* outputDevPtr = nullptr;
  size_t outPolicy = 0, outPass = 0, outValue = 0, outScore = 0, outOwnership = 0, outFloats = 0;

  // CUDA graphs by batch size, captured after one eager run of that size.
  std::map<int, cudaGraphExec_t> graphs;
  std::map<int, int> eagerRuns;
  bool graphsFailed = false;
};

class CudaNet {
 public:
  // Uploads the weights to the current device (converted to FP16 when asked).
  CudaNet(std::shared_ptr<const ModelDesc> model, DType dtype);

  const ModelDesc& model() const { return *model_; }
  DType dtype() const { return dtype_; }
  int maxChannels() const { return maxChannels_; }
  int numPlanes() const { return 4 * (maxDepth_ + 2); }
  // Elements (not bytes) of im2col scratch a workspace needs.
  size_t scratchElements(int batch, int ySize, int xSize) const;
  size_t smallFloats(int batch) const;

  // Enqueues one evaluation of `batch` entries on ws.stream, input copies and
  // output copies included; the caller synchronises.
  void forward(CudaWorkspace& ws, int batch) const;

 private:
  struct Conv {
    int kY = 0, kX = 0, inC = 0, outC = 0;
    DeviceBuffer w;  // [kY][kX][inC][outC], storage type
  };
  struct Norm {
    int channels = 0;
    int act = 0;
    DeviceBuffer scale, bias;  // float
  };
  struct Dense {
    int inC = 0, outC = 0;
    DeviceBuffer w;  // float [inC][outC]
  };
  struct Block {
    BlockKind kind = BlockKind::kOrdinary;
    Norm pre, mid, gpoolNorm;
    Conv conv1, conv2, gpoolConv;
    Dense gpoolToBias;
    std::vector<Block> inner;
  };

  static Norm makeNorm(const NormActDesc& n);
  Conv makeConv(const ConvDesc& d) const;
  Block makeBlock(const BlockDesc& d, int depth);

  // outType: the activation type, or kTrunkType for the residual trunk.
  void conv(CudaWorkspace& ws, const Conv& c, const void* in, void* out, DType outType, int batch,
            bool accumulate) const;
  void norm(CudaWorkspace& ws, const Norm& n, const void* in, DType inType, void* out,
            DType outType, int batch, const float* batchBias) const;
  void runBlock(CudaWorkspace& ws, const Block& b, int depth, int batch) const;
  void runPolicyHead(CudaWorkspace& ws, const void* trunk, int batch) const;
  void runValueHead(CudaWorkspace& ws, const void* trunk, int batch) const;
  template <typename F>
  void forEachConv(F&& f) const;

  std::shared_ptr<const ModelDesc> model_;
  DType dtype_;
  int maxChannels_ = 0;
  int maxDepth_ = 0;

  Conv initialConv_;
  Dense initialMatMul_;
  std::vector<Block> blocks_;
  Norm tipNorm_;
  // Policy head.
  Conv p1Conv_, g1Conv_, p2Conv_;
  Norm g1Norm_, p1Norm_;
  Dense policyGpoolToBias_, gpoolToPass_, gpoolToPass2_;
  DeviceBuffer passBias_;
  // Value head.
  Conv v1Conv_, ownershipConv_;
  Norm v1Norm_;
  Dense v2Mul_, v3Mul_, sv3Mul_;
  DeviceBuffer v2Bias_, v3Bias_, sv3Bias_;
};

}  // namespace hoshi::nn::cuda
