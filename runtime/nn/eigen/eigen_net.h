#pragma once

// The Eigen FP32 forward pass of a KataGo residual net, on NHWC activations.
// EigenNet holds the prepared (transformed) weights and is shared, read-only,
// by every computation; EigenWorkspace holds the buffers of one board size,
// sized for the largest batch it has run so far (grown on demand, so a search
// that sends one position at a time never pays for nnMaxBatchSize).

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nn/eigen/eigen_conv.h"
#include "nn/eigen/transformer.h"
#include "nn/model.h"

namespace hoshi::nn {

class ThreadPool;

struct EigenWorkspace {
  EigenWorkspace(int ySize, int xSize) : ySize(ySize), xSize(xSize) {}

  int maxBatch = 0;  // positions the buffers hold now (EigenNet::reserve grows it)
  int ySize, xSize;
  std::vector<float> input;                // [batch][y][x][numInputChannels]
  std::vector<float> global;               // [batch][numInputGlobalChannels]
  std::vector<std::vector<float>> planes;  // [batch][y][x][<= max channels] each
  std::vector<float> scratch;              // convolution and transformer scratch
  std::vector<RopeTable> rope;             // per attention block, at this board size
  std::vector<float> pooled;               // [batch][3 * channels]
  std::vector<float> small;                // [batch][channels] head vectors
  // Raw outputs.
  std::vector<float> policy;      // [batch][y][x][policy channels] (NHWC)
  std::vector<float> policyPass;  // [batch][policy channels]
  std::vector<float> value;       // [batch][3]
  std::vector<float> scoreValue;  // [batch][score channels]
  std::vector<float> ownership;   // [batch][y][x]
};

class EigenNet {
 public:
  // allowWinograd = false runs every 3x3 conv through im2col (testing).
  explicit EigenNet(std::shared_ptr<const ModelDesc> model, bool allowWinograd = true);

  const ModelDesc& model() const { return *model_; }
  // Buffers for `maxBatch` positions of one board size.
  std::unique_ptr<EigenWorkspace> newWorkspace(int maxBatch, int ySize, int xSize) const;
  // Grows ws to hold `batch` positions (no-op when it already does); the
  // inputs already placed are kept.
  void reserve(EigenWorkspace& ws, int batch) const;
  // Runs `batch` positions already placed in ws.input / ws.global.
  void forward(EigenWorkspace& ws, int batch, ThreadPool& pool) const;
  // Multiplies one evaluation really does (Winograd-aware).
  int64_t multiplies(int ySize, int xSize) const;
  // Bytes of weights as the backend holds them (F(4x4) Winograd filters are
  // 4x larger than the 3x3 originals; once a 9x9 board has run, its F(3x3)
  // ones add 25/9 more).
  int64_t preparedWeightBytes() const;

 private:
  struct Block {
    const BlockDesc* desc;
    std::optional<ConvOp> conv1;  // absent in transformer blocks
    std::optional<ConvOp> conv2;
    std::optional<ConvOp> gpoolConv;
    std::vector<Block> inner;
    int ropeSlot = -1;  // index into EigenWorkspace::rope (attention blocks)
  };
  Block prepareBlock(const BlockDesc& d) const;
  // Numbers attention blocks depth first, so that each workspace can hold
  // their rotary tables at its board size.
  void assignRopeSlots(std::vector<Block>& blocks);
  void runBlock(const Block& b, EigenWorkspace& ws, int depth, int batch, ThreadPool& pool) const;
  void runPolicyHead(EigenWorkspace& ws, const float* trunk, int batch, ThreadPool& pool) const;
  void runValueHead(EigenWorkspace& ws, const float* trunk, int batch, ThreadPool& pool) const;
  template <typename F>
  void forEachConv(F&& f) const;

  std::shared_ptr<const ModelDesc> model_;
  bool allowWinograd_;
  int maxDepth_ = 0;
  int maxChannels_ = 0;
  ConvOp initialConv_;
  std::vector<Block> blocks_;
  std::vector<const AttentionDesc*> attentions_;  // by ropeSlot
  ConvOp p1Conv_, g1Conv_, p2Conv_, v1Conv_, ownershipConv_;
};

}  // namespace hoshi::nn
