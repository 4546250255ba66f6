#pragma once

// The XNNPACK forward pass of a KataGo residual net (ordinary and global
// pooling blocks), NHWC. The residual trunk stays FP32; each convolution is
// an XNNPACK operator, FP32, or INT8 (qc8: per-output-channel INT8 weights,
// INT8 activations with one scale per tensor) when the QuantTable lists it.
// Batch norms that follow a convolution are folded into it (nn/quant.h
// foldNorms); those that precede one (block preNorm) run in our own loop,
// fused with the INT8 quantisation of the convolution's input.

#include <xnnpack.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/model.h"
#include "nn/quant.h"

typedef struct pthreadpool* pthreadpool_t;

namespace hoshi::nn::xnn {

// Sees each named intermediate tensor (FP32 values, dequantised in INT8
// layers) of a whole batch: calibration and per-layer error traces.
using Tap = std::function<void(const std::string& tensor, const float* data, size_t n)>;

// One convolution with its own XNNPACK operator and INT8 staging buffers.
class ConvUnit {
 public:
  // relu: the output clamps at 0 (a fused ReLU). quant null: FP32.
  ConvUnit(const ConvDesc& conv, const std::vector<float>* bias, bool relu,
           const TensorQuant* inQ, const TensorQuant* outQ, size_t maxRows);
  ~ConvUnit();
  ConvUnit(const ConvUnit&) = delete;
  ConvUnit& operator=(const ConvUnit&) = delete;

  // in/out: [batch][y][x][channels] FP32. INT8 units quantise in, run,
  // dequantise out.
  void run(const float* in, float* out, int batch, int y, int x, pthreadpool_t pool);
  bool int8() const { return int8_; }
  int outChannels() const { return outC_; }

 private:
  void setup(const void* in, void* out, int batch, int y, int x, pthreadpool_t pool);
  xnn_operator_t op_ = nullptr;
  bool int8_ = false;
  int inC_, outC_;
  TensorQuant inQ_, outQ_;
  std::vector<int8_t> qIn_, qOut_;
  std::vector<float> outStep_;  // dequantisation step per output channel
  // Last setup: XNNPACK binds shapes and pointers at setup time.
  const void* lastIn_ = nullptr;
  void* lastOut_ = nullptr;
  int lastBatch_ = -1, lastY_ = -1, lastX_ = -1;
};

// Buffers and operators of one (maxBatch, y, x); the operators hold weights
// packed for XNNPACK, so a workspace is reused, never shared at once.
struct Workspace {
  int maxBatch = 0, ySize = 0, xSize = 0;
  std::vector<float> input, global;
  std::vector<float> trunk, tip, in, c1, mid, g, out;  // [batch][area][<= maxC]
  std::vector<float> pooled, small, small2;
  std::vector<float> policy, policyPass, value, scoreValue, ownership;
  std::unique_ptr<ConvUnit> initial;
  struct BlockUnits {
    std::unique_ptr<ConvUnit> conv1, conv2, gpoolConv;
  };
  std::vector<BlockUnits> blocks;
  std::unique_ptr<ConvUnit> p1, g1, p2, v1, own;
};

class Net {
 public:
  // quant null: everything FP32. Throws std::runtime_error for what this
  // backend cannot run (nested bottleneck blocks, fused non-ReLU norms).
  Net(std::shared_ptr<const ModelDesc> model, std::shared_ptr<const QuantTable> quant);
  const ModelDesc& model() const { return *source_; }
  const ModelDesc& folded() const { return folded_; }
  bool int8() const { return quant_ != nullptr; }
  std::unique_ptr<Workspace> newWorkspace(int maxBatch, int ySize, int xSize) const;
  void forward(Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap) const;

 private:
  void runBlock(int i, Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap) const;
  void runPolicyHead(Workspace& ws, int batch, pthreadpool_t pool) const;
  void runValueHead(Workspace& ws, int batch, pthreadpool_t pool) const;
  std::unique_ptr<ConvUnit> unit(const ConvDesc& c, const std::string& id,
                                 const std::vector<float>* bias, bool relu,
                                 const std::string& inTensor, const std::string& outTensor,
                                 size_t rows) const;

  std::shared_ptr<const ModelDesc> source_;
  std::shared_ptr<const QuantTable> quant_;
  ModelDesc folded_;
  int maxChannels_ = 0;
};

}  // namespace hoshi::nn::xnn
