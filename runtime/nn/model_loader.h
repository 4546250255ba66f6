#pragma once

// Loading a network whatever its file: a KataGo model (.bin.gz, .bin) or a
// Hoshi model file (nn/hoshi_model.h, INT8 weights possibly kept apart).
// What the engine, the tools and the backends' callers include; the format
// headers (nn/model.h's loadModelFile, nn/hoshi_model.h) are for those who
// need one format.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nn/model.h"
#include "nn/quant.h"

namespace hoshi::nn {

// What a Hoshi file's header and sections say (empty for a KataGo file).
struct HoshiFileInfo {
  uint32_t formatVersion = 0;
  uint64_t fileBytes = 0;
  std::map<std::string, std::string> meta;                 // precision, source, sourceHash, ...
  std::vector<std::pair<std::string, uint64_t>> sections;  // tag, payload bytes
  int int8Convs = 0;
  int fp16Tensors = 0;
  int fp32Tensors = 0;
};

// A model from either kind of file, ready for createBackend (quant goes into
// BackendOptions::quant for the xnnpack backend).
struct LoadedModel {
  std::shared_ptr<const ModelDesc> model;
  std::shared_ptr<const QuantTable> quant;  // null unless an INT8 Hoshi file
  bool hoshiFile = false;
  HoshiFileInfo info;  // Hoshi files only
};

// What the loader does with INT8 convolutions. kKeepInt8 (what the engine
// uses): they stay INT8 in LoadedModel::quant->weights and their
// ConvDesc::weights are left empty, so no FP32 copy of them is ever made
// (only the xnnpack backend runs such a model; floatModel() makes one any
// backend runs). kDequantize: FP32 weights in the model, as before.
enum class Int8Load { kKeepInt8, kDequantize };

// A Hoshi file or anything loadModelFile reads. Throws std::runtime_error
// naming the file and what is wrong with it.
LoadedModel loadAnyModel(const std::string& path, Int8Load mode = Int8Load::kKeepInt8);
// The model with FP32 weights everywhere (INT8 ones dequantized): the model
// itself unless some were kept INT8.
std::shared_ptr<const ModelDesc> floatModel(const LoadedModel& loaded);

}  // namespace hoshi::nn
