#include "nn/model_loader.h"

#include "nn/hoshi_model.h"

namespace hoshi::nn {

LoadedModel loadAnyModel(const std::string& path, Int8Load mode) {
  if (isHoshiModelFile(path)) return loadHoshiModel(path, mode);
  LoadedModel out;
  out.model = loadModelFile(path);
  return out;
}

}  // namespace hoshi::nn
