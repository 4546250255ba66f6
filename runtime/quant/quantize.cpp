#include "quant/quantize.h"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "nn/hoshi_model.h"
#include "nn/model.h"
#ifdef HOSHI_WITH_XNNPACK
#include "quant/xnnpack/int8_recipe.h"
#endif

namespace hoshi::quant {

void quantizeModel(const QuantizeOptions& a) {
  std::shared_ptr<const nn::ModelDesc> source = nn::loadModelFile(a.model);
  nn::HoshiWriteOptions w;
  w.precision = a.precision;
  w.meta["source"] = source->name;
  w.meta["sourceFile"] = a.model.substr(a.model.find_last_of('/') + 1);
  w.meta["sourceHash"] = nn::fileFingerprint(a.model);
  if (a.precision == "int8") {
#ifdef HOSHI_WITH_XNNPACK
    quantizeInt8(a, source, w);
#else
    throw std::runtime_error("INT8 needs the XNNPACK backend (built without it)");
#endif
  } else {
    nn::writeHoshiModel(a.out, *source, nullptr, w);
  }
  nn::LoadedModel check = nn::loadHoshiModel(a.out);
  std::printf("wrote %s: %s, %.2f MB\n", a.out.c_str(), a.precision.c_str(),
              double(check.info.fileBytes) / 1e6);
}

}  // namespace hoshi::quant
