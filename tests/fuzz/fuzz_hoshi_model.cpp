// libFuzzer target: the Hoshi model loader (runtime/nn/hoshi_model.cpp). A
// mutated file almost never has matching section checksums, so the harness
// also parses a copy whose CRC fields are recomputed: that copy reaches the
// META, NETW and QUNT readers. Accepted models are summarised and evaluated
// once (fuzz_model_common.h).

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_common.h"
#include "fuzz_model_common.h"
#include "nn/hoshi_model.h"

using namespace hoshi;
using fuzz::refused;

namespace {

constexpr size_t kHeaderBytes = 16;         // magic, format version, section count
constexpr size_t kSectionHeaderBytes = 16;  // tag, crc32, payload bytes

// Rewrites each section's CRC to match its payload, as far as the headers
// can be followed. Returns false when nothing changed.
bool fixChecksums(std::vector<uint8_t>& file) {
  bool changed = false;
  size_t pos = kHeaderBytes;
  while (pos <= file.size() && file.size() - pos >= kSectionHeaderBytes) {
    uint64_t n;
    std::memcpy(&n, file.data() + pos + 8, 8);
    const size_t payload = pos + kSectionHeaderBytes;
    if (n > file.size() - payload) break;
    uint32_t old;
    std::memcpy(&old, file.data() + pos + 4, 4);
    const uint32_t crc = uint32_t(crc32(crc32(0L, Z_NULL, 0), file.data() + payload, uInt(n)));
    if (crc != old) {
      std::memcpy(file.data() + pos + 4, &crc, 4);
      changed = true;
    }
    pos = payload + size_t(n);
  }
  return changed;
}

void load(const uint8_t* data, size_t size) {
  nn::LoadedModel loaded;
  if (refused([&] { loaded = nn::parseHoshiModel(data, size); })) return;
  fuzz::require(loaded.model != nullptr, "an accepted Hoshi file has a model");
  fuzz::exerciseModel(loaded.model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  load(data, size);
  std::vector<uint8_t> fixed(data, data + size);
  if (fixChecksums(fixed)) load(fixed.data(), fixed.size());
  return 0;
}
