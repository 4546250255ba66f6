#pragma once

// Reading the model version 17 parts of a KataGo network file: transformer
// attention and feed-forward blocks, the RMS-norm trunk tip and the reserved
// option fields of the heads. Every field combination the Eigen backend does
// not compute is refused here with the layer's name.

#include <cstdint>
#include <memory>
#include <string>

#include "nn/model_reader.h"
#include "nn/transformer_desc.h"

namespace hoshi::nn {

// The block name has been read already (after its kind token). params grows
// by the layer's learnable parameter count.
std::shared_ptr<const AttentionDesc> readAttentionBlock(ModelReader& r, const std::string& name,
                                                        int trunkChannels, int64_t& params);
std::shared_ptr<const FeedForwardDesc> readFeedForwardBlock(ModelReader& r, const std::string& name,
                                                            int trunkChannels, int64_t& params);

// The tip norm (its activation follows in the file and is set by the caller).
std::shared_ptr<TipRmsNormDesc> readTipRmsNorm(ModelReader& r, int trunkChannels, int64_t& params);

// Version 17 policy head header: returns the policy output channels (2 or 4)
// after checking the three reserved options are 0.
int readPolicyHeadOptions(ModelReader& r);
// Version 17 value head header: three reserved options, all 0.
void readValueHeadOptions(ModelReader& r);

}  // namespace hoshi::nn
