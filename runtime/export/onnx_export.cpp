#include "export/onnx_export.h"

#include <sstream>
#include <stdexcept>

#include "export/atomic_file.h"
#include "nn/model.h"

#ifdef HOSHI_WITH_ONNX
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "export/onnx_net.h"
#endif

namespace hoshi::exporter {

Fp16Keep parseFp16Keep(const std::string& list) {
  Fp16Keep keep{false, false, false};
  if (list == "none") return keep;
  if (list == "all") return Fp16Keep{true, true, true};
  std::stringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (part == "residual")
      keep.residual = true;
    else if (part == "pooling")
      keep.pooling = true;
    else if (part == "heads")
      keep.heads = true;
    else
      throw std::invalid_argument("unknown FP32 part '" + part +
                                  "' (expected none, all, or residual,pooling,heads)");
  }
  return keep;
}

#ifdef HOSHI_WITH_ONNX

bool onnxExportAvailable() {
  return true;
}

void exportOnnx(const nn::ModelDesc& desc, const OnnxOptions& options, const std::string& path) {
  onnx::ModelProto model;
  buildOnnxModel(desc, options, model);  // names an unsupported layer
  try {
    onnx::checker::check_model(model);
    // Strict: any node whose types or shapes do not fit is an error.
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(true, 1, false));
  } catch (const std::exception& e) {
    throw std::runtime_error("the ONNX checker rejected the export of '" + desc.name +
                             "' (a bug in hoshi's exporter): " + e.what());
  }
  AtomicFile file(path);
  if (!model.SerializeToOstream(&file.stream()))
    throw std::runtime_error("cannot write '" + path + "': serialising the model failed");
  file.commit();
}

#else

bool onnxExportAvailable() {
  return false;
}

void exportOnnx(const nn::ModelDesc&, const OnnxOptions&, const std::string&) {
  throw std::runtime_error(
      "this hoshi was built without the ONNX writer (install libonnx-dev and libprotobuf-dev, "
      "see scripts/install-deps, and rebuild)");
}

#endif

}  // namespace hoshi::exporter
