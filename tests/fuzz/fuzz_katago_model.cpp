// libFuzzer target: the KataGo model loader (runtime/nn/model.cpp and
// model_reader.cpp). gzip input is inflated first (with a 16 MiB cap, as the
// loader caps at 1 GiB); the bytes are then parsed both as a .bin (binary
// float blocks) and as a .txt model. Accepted models are summarised and
// evaluated once (fuzz_model_common.h).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_common.h"
#include "fuzz_model_common.h"
#include "nn/model.h"

using namespace hoshi;
using fuzz::refused;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  const bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  if (gz && refused([&] { bytes = nn::gunzip(bytes, size_t(16) << 20); })) return 0;
  for (bool binary : {true, false}) {
    std::shared_ptr<const nn::ModelDesc> model;
    if (refused(
            [&] { model = std::make_shared<const nn::ModelDesc>(nn::parseModel(bytes, binary)); }))
      continue;
    fuzz::exerciseModel(model);
  }
  return 0;
}
