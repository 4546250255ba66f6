#pragma once

// The XNNPACK forward pass of a KataGo residual net (ordinary and global
// pooling blocks), NHWC. The residual trunk stays FP32; each convolution is
// an XNNPACK operator, FP32, or INT8 (qc8: per-output-channel INT8 weights,
// INT8 activations with one scale per tensor) when the QuantTable lists it,
// FP32 on its dequantized INT8 weights when the table marks it float-activation.
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

// One convolution with its own XNNPACK operator (weights packed once) and
// INT8 staging buffers (grown to the largest batch seen).
class ConvUnit {
 public:
  // relu: the output clamps at 0 (a fused ReLU). quant null: FP32. stored:
  // the file's INT8 weights (then conv.weights may be empty); null: the
  // weights are quantized here from conv.weights.
  ConvUnit(const ConvDesc& conv, const std::vector<float>* bias, bool relu, const TensorQuant* inQ,
           const TensorQuant* outQ, const QuantizedWeights* stored);
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

// Activation buffers of one (maxBatch, y, x); a workspace is reused, never
// shared at once.
struct Workspace {
  int maxBatch = 0, ySize = 0, xSize = 0;
  std::vector<float> input, global;
  std::vector<float> trunk, tip, in, c1, mid, g, out;  // [batch][area][<= maxC]
  std::vector<float> pooled, small, small2;
  std::vector<float> policy, policyPass, value, scoreValue, ownership;
};

// The operators of a whole net, made once: XNNPACK binds shapes at setup, so
// every workspace (board size) shares them, one forward at a time.
struct Units {
  std::unique_ptr<ConvUnit> initial;
  struct Block {
    std::unique_ptr<ConvUnit> conv1, conv2, gpoolConv;
  };
  std::vector<Block> blocks;
  std::unique_ptr<ConvUnit> p1, g1, p2, v1, own;
};

class Net {
 public:
  // quant null: everything FP32. The weights are packed here, layer by
  // layer; afterwards the net keeps no reference to quant's INT8 weights,
  // nor (for a model it had to fold itself) to any convolution weights.
  // Throws std::runtime_error for what this backend cannot run (nested
  // bottleneck blocks, fused non-ReLU norms).
  Net(std::shared_ptr<const ModelDesc> model, std::shared_ptr<const QuantTable> quant);
  const ModelDesc& model() const { return *source_; }
  bool int8() const { return quant_ != nullptr; }
  std::unique_ptr<Workspace> newWorkspace(int maxBatch, int ySize, int xSize) const;
  // Not reentrant: the units' staging buffers are shared (the backend
  // serialises calls).
  void forward(Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap);

 private:
  void buildUnits(const QuantTable* quant);
  void runBlock(int i, Workspace& ws, int batch, pthreadpool_t pool, const Tap* tap);
  void runPolicyHead(Workspace& ws, int batch, pthreadpool_t pool);
  void runValueHead(Workspace& ws, int batch, pthreadpool_t pool);
  std::unique_ptr<ConvUnit> unit(const QuantTable* quant, const ConvDesc& c, const std::string& id,
                                 const std::vector<float>* bias, bool relu,
                                 const std::string& inTensor, const std::string& outTensor) const;

  std::shared_ptr<const ModelDesc> source_;
  std::shared_ptr<const QuantTable> quant_;  // scales only (no weights)
  std::shared_ptr<const ModelDesc> folded_;  // source_ itself when already folded
  Units units_;
  int maxChannels_ = 0;
};

}  // namespace hoshi::nn::xnn
