#pragma once

// The Hoshi model file: a compact, versioned, checksummed container for a
// KataGo net after `hoshi quantize`.
//
//   "HOSHINN\x1a"  u32 format version  u32 section count
//   per section:   char tag[4]  u32 crc32(payload)  u64 payload bytes  payload
//
// Sections: META (key=value lines: precision, source model name and FNV-1a
// hash, calibration), NETW (the architecture and every weight: convolutions
// as INT8 with per-output-channel scales, FP16 or FP32; norms and biases
// always FP32), QUNT (activation scales and the layers kept in floating
// point; INT8 files only). The file is read through mmap and every section
// is checked before use; a damaged file is refused naming what is wrong.
//
// Format 2 adds "floatact" entries to QUNT: INT8-weight convolutions run
// with float activations. A file without any is still written as format 1,
// which every build reads; a format 1 file holding such an entry is refused.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nn/model.h"
#include "nn/model_loader.h"
#include "nn/quant.h"

namespace hoshi::nn {

constexpr uint32_t kHoshiModelFormatVersion = 2;  // the newest this build reads
constexpr uint32_t kHoshiModelFormatMinVersion = 1;

bool isHoshiModelFile(const std::string& path);
// Throws std::runtime_error naming the file and the damage.
LoadedModel loadHoshiModel(const std::string& path, Int8Load mode = Int8Load::kKeepInt8);
// The same for a file's bytes already in memory (errors do not name a file).
LoadedModel parseHoshiModel(const uint8_t* data, size_t size,
                            Int8Load mode = Int8Load::kDequantize);

struct HoshiWriteOptions {
  std::string precision = "int8";           // int8 | fp16 | fp32
  std::map<std::string, std::string> meta;  // source, sourceHash, calibration, ...
};

// model should be folded (foldNorms) for int8; quant is required for int8.
void writeHoshiModel(const std::string& path, const ModelDesc& model, const QuantTable* quant,
                     const HoshiWriteOptions& options);

// FNV-1a 64 of a file's bytes, as 16 hex digits (identifies the source net).
std::string fileFingerprint(const std::string& path);

// IEEE half precision, round to nearest even.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

}  // namespace hoshi::nn
