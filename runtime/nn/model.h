#pragma once

// KataGo network description: what a .bin.gz / .bin / .txt.gz file holds,
// with batch norms already folded into per-channel scale + bias.
//
// Supported: model versions 8..17, trunks made of ordinary, global-pooling
// and nested-bottleneck residual blocks and (version 17) transformer
// attention and feed-forward blocks, with a batch-norm or RMS-norm tip.
// Refused with a clear error: anything outside 8..17, an SGF metadata
// encoder, grouped RMS norms, non-gated feed-forward blocks.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hoshi::nn {

enum class Activation { kIdentity, kRelu, kMish, kSilu };

const char* activationName(Activation a);

// Convolution weights stored [outC][inC][kh][kw].
struct ConvDesc {
  std::string name;
  int kernelY = 0;
  int kernelX = 0;
  int inChannels = 0;
  int outChannels = 0;
  std::vector<float> weights;
};

// A batch norm (or fixup bias) folded at load: y = x * scale[c] + bias[c],
// then the activation, then masked to the board.
struct NormActDesc {
  std::string name;
  int channels = 0;
  std::vector<float> scale;
  std::vector<float> bias;
  Activation activation = Activation::kRelu;
};

// Dense layer, weights stored [inC][outC] (out = in * W).
struct MatMulDesc {
  std::string name;
  int inChannels = 0;
  int outChannels = 0;
  std::vector<float> weights;
};

struct BiasDesc {
  std::string name;
  int channels = 0;
  std::vector<float> weights;
};

enum class BlockKind { kOrdinary, kGlobalPooling, kNestedBottleneck, kAttention, kFeedForward };

// Version 17 layers, described in nn/transformer_desc.h.
struct AttentionDesc;
struct FeedForwardDesc;
struct TipRmsNormDesc;

// One residual block. Which fields are used depends on the kind:
//  ordinary:        x += conv2(midNorm(conv1(preNorm(x))))
//  global pooling:  t = preNorm(x); r = conv1(t); g = gpoolNorm(gpoolConv(t));
//                   r += pool(g) * gpoolToBias; x += conv2(midNorm(r))
//  nested:          t = conv1(preNorm(x)); t = inner blocks(t);
//                   x += conv2(midNorm(t))   (midNorm is KataGo's postBN)
//  attention:       x += attention(rmsNorm(x))        (only `attention` set)
//  feed-forward:    x += swiglu(rmsNorm(x))           (only `feedForward` set)
struct BlockDesc {
  BlockKind kind = BlockKind::kOrdinary;
  std::string name;
  NormActDesc preNorm;
  ConvDesc conv1;
  ConvDesc gpoolConv;
  NormActDesc gpoolNorm;
  MatMulDesc gpoolToBias;
  std::vector<BlockDesc> inner;
  NormActDesc midNorm;
  ConvDesc conv2;
  std::shared_ptr<const AttentionDesc> attention;
  std::shared_ptr<const FeedForwardDesc> feedForward;
};

struct TrunkDesc {
  std::string name;
  int numBlocks = 0;
  int trunkChannels = 0;
  int midChannels = 0;
  int regularChannels = 0;
  int gpoolChannels = 0;
  ConvDesc initialConv;
  MatMulDesc initialMatMul;  // global inputs -> per-channel bias
  std::vector<BlockDesc> blocks;
  NormActDesc tipNorm;  // batch-norm tip (trunk norm kind 0)
  // RMS-norm tip (trunk norm kind 1, version 15+); tipNorm is then unused.
  std::shared_ptr<const TipRmsNormDesc> tipRmsNorm;
};

struct PolicyHeadDesc {
  std::string name;
  int policyChannels = 1;
  ConvDesc p1Conv;
  ConvDesc g1Conv;
  NormActDesc g1Norm;
  MatMulDesc gpoolToBias;
  NormActDesc p1Norm;
  ConvDesc p2Conv;
  MatMulDesc gpoolToPass;
  // Version 15+: pass = act(pool * gpoolToPass + passBias) * gpoolToPass2.
  bool hasPassMlp = false;
  BiasDesc passBias;
  Activation passActivation = Activation::kIdentity;
  MatMulDesc gpoolToPass2;
};

struct ValueHeadDesc {
  std::string name;
  ConvDesc v1Conv;
  NormActDesc v1Norm;
  MatMulDesc v2Mul;
  BiasDesc v2Bias;
  Activation v2Activation = Activation::kRelu;
  MatMulDesc v3Mul;
  BiasDesc v3Bias;
  MatMulDesc sv3Mul;
  BiasDesc sv3Bias;
  ConvDesc ownershipConv;
};

// Scalings applied to raw outputs by post-processing (read from the file in
// version 13+, KataGo's defaults before).
struct PostProcessParams {
  double tdScoreMultiplier = 20.0;
  double scoreMeanMultiplier = 20.0;
  double scoreStdevMultiplier = 20.0;
  double leadMultiplier = 20.0;
  double varianceTimeMultiplier = 40.0;
  double shorttermValueErrorMultiplier = 0.25;
  double shorttermScoreErrorMultiplier = 30.0;
};

struct ModelDesc {
  std::string name;
  int modelVersion = 0;
  int numInputChannels = 0;        // spatial features (22 for versions 8..17)
  int numInputGlobalChannels = 0;  // global features (19 for versions 8..17)
  int numPolicyChannels = 0;       // 1 (v8..11), 2 (v12..15), 4 (v16), 2|4 (v17)
  int numValueChannels = 0;        // 3
  int numScoreValueChannels = 0;   // 4 (v8), 6 (v9+)
  int numOwnershipChannels = 0;    // 1
  int metaEncoderVersion = 0;      // always 0: encoders are refused
  bool preferPassAliveUnderSuicideRules = false;
  PostProcessParams postProcess;
  TrunkDesc trunk;
  PolicyHeadDesc policyHead;
  ValueHeadDesc valueHead;

  // Learnable parameters counted like KataGo: every weight and bias, batch
  // norm gamma/beta only where the file has them (not the running stats).
  int64_t parameterCount = 0;

  // Multiply-accumulates of one evaluation at xSize x ySize with direct
  // convolutions (FLOPs = 2 * MACs).
  int64_t directMacs(int xSize, int ySize) const;
  // Bytes of weights held in memory.
  int64_t weightBytes() const;
  // "ordinary"/"gpool"/"nested" counts, e.g. "6 blocks (4 ordinary, 2 gpool)".
  std::string blockSummary() const;
  // True when the trunk has version 17 layers (transformer blocks or an
  // RMS-norm tip) that only some backends compute.
  bool hasTransformerLayers() const;
};

// Loads a model from a file: .bin.gz / .gz (binary floats, gzip), .bin
// (binary, uncompressed), .txt.gz / .txt (text floats). Throws
// std::runtime_error naming the file and the problem for anything that is
// not a supported model; never allocates more than the file can back.
std::shared_ptr<const ModelDesc> loadModelFile(const std::string& path);

// Parses an already decompressed model. binaryFloats selects the "@BIN@"
// float blocks of .bin files versus whitespace-separated text floats.
ModelDesc parseModel(const std::string& bytes, bool binaryFloats);

// gunzips data (throws std::runtime_error on corrupt input or when the output
// would exceed maxBytes).
std::string gunzip(const std::string& data, size_t maxBytes);

}  // namespace hoshi::nn
