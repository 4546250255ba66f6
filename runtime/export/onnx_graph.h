#pragma once

// A thin layer over the ONNX project's own protobuf classes (onnx::GraphProto
// from libonnx-dev): named tensors with their element type, initializers,
// nodes and attributes. Only onnx_*.cpp include it (built with HOSHI_WITH_ONNX).

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hoshi::exporter {

enum class DType { kFloat, kHalf };

class OnnxGraph {
 public:
  // emulateHalf: FP16 tensors are stored as FP32 holding FP16 values (every
  // FP16 node's output and weight rounded to FP16 and back), for measuring
  // FP16 storage on runtimes that compute FP16 graphs in FP32 (ONNX Runtime's
  // CPU provider does).
  explicit OnnxGraph(onnx::GraphProto* graph, bool emulateHalf = false)
      : graph_(graph), emulate_(emulateHalf) {}

  // A float initializer stored as `type` (FP16 weights are rounded to nearest).
  std::string weights(const std::string& name, const std::vector<int64_t>& dims,
                      const std::vector<float>& values, DType type);
  // A scalar float constant of `type`, shared by name.
  std::string scalar(float value, DType type);
  // An int64 initializer (axes, shapes), shared by content.
  std::string int64s(const std::vector<int64_t>& values);

  // Adds a node whose single output is a fresh name derived from `hint`;
  // the output's element type is `type`.
  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::string& hint, DType type);
  // The output of a node made by node() (when emulating FP16: rounded).
  std::string out(const onnx::NodeProto* n);
  // Shorthand: node() and its output.
  std::string op(const std::string& op, const std::vector<std::string>& inputs,
                 const std::string& hint, DType type) {
    return out(node(op, inputs, hint, type));
  }

  // The tensor as `type`: itself, or a Cast of it (cached).
  std::string as(const std::string& tensor, DType type);
  DType typeOf(const std::string& tensor) const;
  void setType(const std::string& tensor, DType type) { types_[tensor] = type; }

  // Keeps a name (graph inputs and outputs) from being given to a node.
  void reserve(const std::string& name, DType type) {
    names_.insert(name);
    types_[name] = type;
  }

  // Renames a node's output (graph outputs need fixed names).
  void renameOutput(onnx::NodeProto* n, const std::string& name);

  static void setInts(onnx::NodeProto* n, const std::string& name,
                      const std::vector<int64_t>& values);
  static void setInt(onnx::NodeProto* n, const std::string& name, int64_t value);

 private:
  std::string fresh(const std::string& hint);
  // Cast to FP16 and back (emulation): the FP16 value of an FP32 tensor.
  std::string roundToHalf(const std::string& tensor);

  onnx::GraphProto* graph_;
  bool emulate_;
  std::map<std::string, std::string> rounded_;  // node output -> its rounded copy
  std::map<std::string, DType> types_;
  std::map<std::string, int> used_;
  std::set<std::string> names_;
  std::map<std::string, std::string> casts_;
  std::map<std::vector<int64_t>, std::string> int64s_;
  std::map<std::pair<uint32_t, int>, std::string> scalars_;
};

int onnxElementType(DType type);

}  // namespace hoshi::exporter
