#include "nn/backend.h"

#include "nn/model.h"

namespace hoshi::nn {

BackendAttributes modelAttributes(const std::string& name, const ModelDesc& model,
                                  const BackendOptions& options) {
  BackendAttributes a;
  a.name = name;
  a.modelVersion = model.modelVersion;
  a.numInputChannels = model.numInputChannels;
  a.numInputGlobalChannels = model.numInputGlobalChannels;
  a.numPolicyChannels = model.numPolicyChannels;
  a.numValueChannels = model.numValueChannels;
  a.numScoreValueChannels = model.numScoreValueChannels;
  a.maxBatch = options.maxBatch;
  a.threads = options.threads;
  return a;
}

}  // namespace hoshi::nn
