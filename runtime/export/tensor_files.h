#pragma once

// The files scripts/onnx-check passes between hoshi and ONNX Runtime
// (scripts/onnx/run.mjs), all little-endian:
//
// features  "HSFEAT01", u32 count, u32 C, u32 G, then per position
//           u32 width, u32 height (the network frame, after the symmetry),
//           f32 spatial[C][height][width], f32 global[G]:
//           exactly what Hoshi's evaluator hands a backend.
// raw       "HSRAW001", u32 count, u32 P, u32 S, then per position
//           u32 width, u32 height, f32 policy[P][height][width],
//           f32 policy_pass[P], f32 value[3], f32 misc_value[S],
//           f32 ownership[height][width]: a backend's raw outputs.

#include <cstdint>
#include <string>
#include <vector>

#include "nn/evaluator.h"

namespace hoshi::nn {
struct ModelDesc;
}

namespace hoshi::exporter {

struct RawOutputs {
  int width = 0;
  int height = 0;
  std::vector<float> policy, policyPass, value, misc, ownership;
};

void writeFeatures(const std::string& path, const nn::ModelDesc& model,
                   const std::vector<nn::EncodedPosition>& positions);
void writeRaw(const std::string& path, const nn::ModelDesc& model,
              const std::vector<RawOutputs>& outputs);
// Throws std::runtime_error when the file is short, foreign, or its shapes
// do not fit the model.
std::vector<RawOutputs> readRaw(const std::string& path, const nn::ModelDesc& model);

// A kata-raw-nn answer as one JSON object (the golden file's field names).
std::string netOutputJson(const std::string& id, const nn::NetOutput& out);

}  // namespace hoshi::exporter
