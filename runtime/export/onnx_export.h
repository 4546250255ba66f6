#pragma once

// `hoshi export -format onnx`: a KataGo net as an ONNX model, written with
// the ONNX project's own C++ library (libonnx-dev) and checked by its checker
// and strict shape inference before it is written.
//
// Graph interface (the README's "ONNX export" section describes channels):
//   inputs   input_spatial [batch_size, C, height, width]  Hoshi's features,
//                          channel 0 the on-board mask (1 on the board, 0 on
//                          padding: boards smaller than the frame are put in
//                          its top-left corner)
//            input_global  [batch_size, G]
//   outputs  policy        [batch_size, P, height, width]  logits
//            policy_pass   [batch_size, P]                  logits
//            value         [batch_size, 3]   win, loss, no-result logits
//            misc_value    [batch_size, S]   score mean, score mean squared,
//                          lead, variance of time left, (v9+) short-term
//                          win/loss error, short-term score error, raw
//            ownership     [batch_size, 1, height, width]   pre-tanh
// all from the side to move's view, in the frame of the input. FP16 models
// keep FP32 inputs and outputs.

#include <string>

namespace hoshi::nn {
struct ModelDesc;
}

namespace hoshi::exporter {

// Which parts an FP16 export keeps in FP32 (each measured by scripts/onnx-check;
// see the README for the figures).
// Default: the heads only, the one part measured to matter (README).
struct Fp16Keep {
  bool residual = false;  // the trunk's residual sum (block outputs add in FP32)
  bool pooling = false;   // the trunk's global pooling and its dense layers
  bool heads = true;      // policy and value heads, their pooling included
};

struct OnnxOptions {
  // fp32 | fp16 | fp16-emulated: an FP32 graph whose FP16 parts round every
  // tensor and weight to FP16 (for measuring FP16 storage where the runtime
  // would compute an FP16 graph in FP32, as ONNX Runtime's CPU provider does).
  std::string precision = "fp32";
  int opset = 13;  // 13..17
  Fp16Keep keep;
  std::string producerVersion;  // hoshi's version, stored in the file
};

// Parses "residual,pooling,heads" / "none" / "all" into keep flags; throws
// std::invalid_argument for an unknown part.
Fp16Keep parseFp16Keep(const std::string& list);

// True when this build has the ONNX writer (libonnx-dev was found).
bool onnxExportAvailable();

// Writes the model to path through a temporary file in the same folder that
// is renamed into place only when complete: on any error (a layer shape the
// exporter does not handle, an unwritable path, a full disk) no file is left
// and std::runtime_error says why, naming the layer or the path. Version 17
// transformer layers are exported in FP32 whatever the precision.
void exportOnnx(const nn::ModelDesc& model, const OnnxOptions& options, const std::string& path);

}  // namespace hoshi::exporter
