#pragma once

// Turns a network's raw head outputs into KataGo's reported quantities:
// policy softmax over legal moves, value softmax, score/lead scaling,
// variance and short-term error transforms, ownership tanh, all mapped back
// from the symmetry's frame and flipped to WHITE's point of view.

#include <cstdint>
#include <vector>

#include "nn/evaluator.h"

namespace hoshi::nn {

struct ModelDesc;

// Raw outputs of one position, in the network frame (see nn/backend.h).
struct RawNetOutputs {
  const float* policy = nullptr;      // [numPolicyChannels][h][w]
  const float* policyPass = nullptr;  // [numPolicyChannels]
  const float* value = nullptr;       // [3]
  const float* scoreValue = nullptr;  // [numScoreValueChannels]
  const float* ownership = nullptr;   // [h][w]
};

struct PostprocessContext {
  int xSize = 0;  // board frame
  int ySize = 0;
  int symmetry = 0;
  bool whiteToMove = false;
  // Rules where a game cannot end without a result get noResult forced to 0.
  bool noResultPossible = true;
  double policyOptimism = 0.0;
  // KataGo's passing hack: the pass prior is at most 19 times the sum of
  // the other moves' (95% of the whole).
  bool capPassPolicy = false;
  const uint8_t* legal = nullptr;  // [y * xSize + x] then pass
};

NetOutput postprocess(const ModelDesc& model, const RawNetOutputs& raw,
                      const PostprocessContext& ctx);
// The same for an encoded position (its board size, symmetry, side to move,
// rules, optimism and legal moves): what the evaluator and golden checks use.
NetOutput postprocess(const ModelDesc& model, const RawNetOutputs& raw,
                      const EncodedPosition& position);

}  // namespace hoshi::nn
