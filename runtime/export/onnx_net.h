#pragma once

// Builds the ONNX graph of a KataGo net (onnx_export.h describes its
// interface). Only onnx_*.cpp include it (built with HOSHI_WITH_ONNX).

#include <onnx/onnx_pb.h>

#include "export/onnx_export.h"

namespace hoshi::exporter {

// Fills model (graph, opset, metadata). Throws std::runtime_error naming the
// first layer ONNX export does not support.
void buildOnnxModel(const nn::ModelDesc& desc, const OnnxOptions& options, onnx::ModelProto& model);

}  // namespace hoshi::exporter
