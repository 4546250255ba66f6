#ifdef HOSHI_WITH_ONNX
#include "export/onnx_graph.h"

#include <cstring>
#include <stdexcept>

#include "export/half.h"

namespace hoshi::exporter {

int onnxElementType(DType type) {
  return type == DType::kHalf ? onnx::TensorProto::FLOAT16 : onnx::TensorProto::FLOAT;
}

std::string OnnxGraph::fresh(const std::string& hint) {
  int& n = used_[hint];
  std::string name = hint;
  while (names_.count(name)) name = hint + "_" + std::to_string(++n);
  names_.insert(name);
  return name;
}

std::string OnnxGraph::weights(const std::string& name, const std::vector<int64_t>& dims,
                               const std::vector<float>& values, DType type) {
  size_t count = 1;
  for (int64_t d : dims) count *= size_t(d);
  if (count != values.size())
    throw std::runtime_error("layer '" + name + "' holds " + std::to_string(values.size()) +
                             " weights, its shape needs " + std::to_string(count));
  const std::string id = fresh(name);
  onnx::TensorProto* t = graph_->add_initializer();
  t->set_name(id);
  t->set_data_type(onnxElementType(type));
  for (int64_t d : dims) t->add_dims(d);
  std::string raw;
  if (type == DType::kHalf && emulate_) {
    std::vector<float> r(values.size());
    for (size_t i = 0; i < count; ++i) r[i] = halfToFloat(floatToHalf(values[i]));
    t->set_data_type(onnx::TensorProto::FLOAT);
    raw.resize(count * 4);
    std::memcpy(raw.data(), r.data(), count * 4);
  } else if (type == DType::kHalf) {
    raw.resize(count * 2);
    for (size_t i = 0; i < count; ++i) {
      const uint16_t h = floatToHalf(values[i]);
      std::memcpy(&raw[i * 2], &h, 2);
    }
  } else {
    raw.resize(count * 4);
    std::memcpy(raw.data(), values.data(), count * 4);
  }
  t->set_raw_data(std::move(raw));  // little-endian, as ONNX requires
  types_[id] = type;
  return id;
}

std::string OnnxGraph::scalar(float value, DType type) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  auto key = std::make_pair(bits, int(type));
  auto it = scalars_.find(key);
  if (it != scalars_.end()) return it->second;
  return scalars_[key] = weights("const", {}, {value}, type);
}

std::string OnnxGraph::int64s(const std::vector<int64_t>& values) {
  auto it = int64s_.find(values);
  if (it != int64s_.end()) return it->second;
  const std::string id = fresh("ints");
  onnx::TensorProto* t = graph_->add_initializer();
  t->set_name(id);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(int64_t(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
  return int64s_[values] = id;
}

onnx::NodeProto* OnnxGraph::node(const std::string& op, const std::vector<std::string>& inputs,
                                 const std::string& hint, DType type) {
  onnx::NodeProto* n = graph_->add_node();
  n->set_op_type(op);
  const std::string name = fresh(hint);
  n->set_name(name);
  for (const std::string& in : inputs) n->add_input(in);
  n->add_output(name);
  types_[name] = type;
  if (emulate_ && type == DType::kHalf) rounded_[name] = roundToHalf(name);
  return n;
}

std::string OnnxGraph::roundToHalf(const std::string& tensor) {
  onnx::NodeProto* down = graph_->add_node();
  down->set_op_type("Cast");
  const std::string half = fresh(tensor + "_r16");
  down->set_name(half);
  down->add_input(tensor);
  down->add_output(half);
  setInt(down, "to", onnx::TensorProto::FLOAT16);
  onnx::NodeProto* up = graph_->add_node();
  up->set_op_type("Cast");
  const std::string back = fresh(tensor + "_r32");
  up->set_name(back);
  up->add_input(half);
  up->add_output(back);
  setInt(up, "to", onnx::TensorProto::FLOAT);
  types_[back] = DType::kHalf;
  return back;
}

std::string OnnxGraph::out(const onnx::NodeProto* n) {
  auto it = rounded_.find(n->output(0));
  return it == rounded_.end() ? n->output(0) : it->second;
}

std::string OnnxGraph::as(const std::string& tensor, DType type) {
  if (typeOf(tensor) == type) return tensor;
  const std::string key = tensor + (type == DType::kHalf ? "#h" : "#f");
  auto it = casts_.find(key);
  if (it != casts_.end()) return it->second;
  if (emulate_) {  // both are FP32 tensors: round, or only relabel
    if (type == DType::kHalf) return casts_[key] = roundToHalf(tensor);
    return casts_[key] = op("Identity", {tensor}, tensor + "_fp32", DType::kFloat);
  }
  onnx::NodeProto* n =
      node("Cast", {tensor}, tensor + (type == DType::kHalf ? "_fp16" : "_fp32"), type);
  setInt(n, "to", onnxElementType(type));
  return casts_[key] = out(n);
}

DType OnnxGraph::typeOf(const std::string& tensor) const {
  auto it = types_.find(tensor);
  if (it == types_.end()) throw std::logic_error("onnx export: unknown tensor " + tensor);
  return it->second;
}

void OnnxGraph::renameOutput(onnx::NodeProto* n, const std::string& name) {
  types_[name] = typeOf(n->output(0));
  n->set_output(0, name);
}

void OnnxGraph::setInts(onnx::NodeProto* n, const std::string& name,
                        const std::vector<int64_t>& values) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void OnnxGraph::setInt(onnx::NodeProto* n, const std::string& name, int64_t value) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

}  // namespace hoshi::exporter
#endif  // HOSHI_WITH_ONNX
