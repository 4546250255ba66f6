#ifdef HOSHI_WITH_ONNX
#include "export/onnx_net.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "export/onnx_graph.h"
#include "export/onnx_transformer.h"
#include "nn/model.h"
#include "nn/transformer_desc.h"

namespace hoshi::exporter {

namespace {

using nn::Activation;
using nn::BlockDesc;
using nn::BlockKind;
using nn::ConvDesc;
using nn::MatMulDesc;
using nn::ModelDesc;
using nn::NormActDesc;

bool allEqual(const std::vector<float>& v, float x) {
  for (float f : v)
    if (f != x) return false;
  return true;
}

// Where each part computes: FP32 everywhere, or FP16 with the parts that
// Fp16Keep names in FP32.
struct Types {
  DType trunk = DType::kFloat;     // convolutions and norms of the blocks
  DType residual = DType::kFloat;  // the trunk's running sum
  DType pooling = DType::kFloat;   // global pooling and its dense layers
  DType heads = DType::kFloat;     // policy and value heads
};

class NetBuilder {
 public:
  NetBuilder(const ModelDesc& m, OnnxGraph& g, Types t) : m_(m), g_(g), t_(t) {}

  void build(const std::string& spatial, const std::string& global);

 private:
  std::string mask(DType type) { return g_.as(mask_, type); }
  std::string conv(const std::string& x, const ConvDesc& c, DType type);
  std::string activate(const std::string& x, Activation a, const std::string& hint);
  std::string normAct(const std::string& x, const NormActDesc& n, DType type);
  std::string matMul(const std::string& x, const MatMulDesc& mm, DType type);
  std::string addBias(const std::string& x, const nn::BiasDesc& b, Activation a, DType type);
  // [N, C, H, W] + [N, C] broadcast over the board.
  std::string addPerChannel(const std::string& x, const std::string& perChannel);
  std::string pool(const std::string& x, bool valueHead, DType type);
  std::string block(const std::string& x, const BlockDesc& b);
  void policyHead(const std::string& tip);
  void valueHead(const std::string& tip);
  // The graph output `name`: tensor as FP32.
  void finish(const std::string& tensor, const std::string& name);
  // The mask and the board-width scalings of the pooling.
  void boardStatistics(const std::string& spatial);

  const ModelDesc& m_;
  OnnxGraph& g_;
  Types t_;
  std::string mask_;     // [N, 1, H, W]
  std::string maskSum_;  // [N, 1] points on the board
  std::string widthS1_;  // [N, 1] (sqrt(area) - 14) * 0.1
  std::string widthS2_;  // [N, 1] (sqrt(area) - 14)^2 * 0.01 - 0.1
  std::string maskNeg_;  // [N, 1, H, W] mask - 1 (for the masked max)
  SequenceContext seq_;  // version 17 layers only
};

std::string NetBuilder::conv(const std::string& x, const ConvDesc& c, DType type) {
  const std::string w = g_.weights(
      c.name + ".w", {c.outChannels, c.inChannels, c.kernelY, c.kernelX}, c.weights, type);
  onnx::NodeProto* n = g_.node("Conv", {g_.as(x, type), w}, c.name, type);
  OnnxGraph::setInts(n, "kernel_shape", {c.kernelY, c.kernelX});
  const int64_t py = c.kernelY / 2, px = c.kernelX / 2;
  OnnxGraph::setInts(n, "pads", {py, px, py, px});
  return g_.out(n);
}

std::string NetBuilder::activate(const std::string& x, Activation a, const std::string& hint) {
  const DType type = g_.typeOf(x);
  switch (a) {
    case Activation::kIdentity:
      return x;
    case Activation::kRelu:
      return g_.op("Relu", {x}, hint + ".relu", type);
    case Activation::kMish: {
      // x * tanh(softplus(x)): ONNX has Mish only from opset 18.
      const std::string sp = g_.op("Softplus", {x}, hint + ".softplus", type);
      const std::string th = g_.op("Tanh", {sp}, hint + ".tanh", type);
      return g_.op("Mul", {x, th}, hint + ".mish", type);
    }
    case Activation::kSilu: {
      const std::string sg = g_.op("Sigmoid", {x}, hint + ".sigmoid", type);
      return g_.op("Mul", {x, sg}, hint + ".silu", type);
    }
  }
  throw std::runtime_error("layer '" + hint + "': unknown activation");
}

std::string NetBuilder::normAct(const std::string& x, const NormActDesc& n, DType type) {
  std::string y = g_.as(x, type);
  const int64_t c = n.channels;
  if (!allEqual(n.scale, 1.0f))
    y = g_.op("Mul", {y, g_.weights(n.name + ".scale", {1, c, 1, 1}, n.scale, type)},
              n.name + ".mul", type);
  if (!allEqual(n.bias, 0.0f))
    y = g_.op("Add", {y, g_.weights(n.name + ".bias", {1, c, 1, 1}, n.bias, type)}, n.name + ".add",
              type);
  y = activate(y, n.activation, n.name);
  return g_.op("Mul", {y, mask(type)}, n.name + ".masked", type);
}

std::string NetBuilder::matMul(const std::string& x, const MatMulDesc& mm, DType type) {
  const std::string w =
      g_.weights(mm.name + ".w", {mm.inChannels, mm.outChannels}, mm.weights, type);
  return g_.op("MatMul", {g_.as(x, type), w}, mm.name, type);
}

std::string NetBuilder::addBias(const std::string& x, const nn::BiasDesc& b, Activation a,
                                DType type) {
  const std::string w = g_.weights(b.name + ".b", {b.channels}, b.weights, type);
  return activate(g_.op("Add", {g_.as(x, type), w}, b.name, type), a, b.name);
}

std::string NetBuilder::addPerChannel(const std::string& x, const std::string& perChannel) {
  const DType type = g_.typeOf(x);
  const std::string b = g_.op("Unsqueeze", {g_.as(perChannel, type), g_.int64s({2, 3})},
                              perChannel + ".spatial", type);
  return g_.op("Add", {x, b}, x + ".plus", type);
}

// KataGo's global pooling over the board points only: mean, mean scaled by
// the board width, and the max (trunk, policy) or a second width scaling
// (value). x is already masked (zero off the board).
std::string NetBuilder::pool(const std::string& x, bool valueHead, DType type) {
  const std::string in = g_.as(x, type);
  const std::string hint = x + ".pool";
  onnx::NodeProto* sumNode = g_.node("ReduceSum", {in, g_.int64s({2, 3})}, hint + ".sum", type);
  OnnxGraph::setInt(sumNode, "keepdims", 0);
  const std::string mean =
      g_.op("Div", {g_.out(sumNode), g_.as(maskSum_, type)}, hint + ".mean", type);
  const std::string scaled = g_.op("Mul", {mean, g_.as(widthS1_, type)}, hint + ".s1", type);
  std::string third;
  if (valueHead) {
    third = g_.op("Mul", {mean, g_.as(widthS2_, type)}, hint + ".s2", type);
  } else {
    // Off-board points are 0 - 1: below anything KataGo's activations give.
    const std::string shifted = g_.op("Add", {in, g_.as(maskNeg_, type)}, hint + ".shift", type);
    onnx::NodeProto* maxNode = g_.node("ReduceMax", {shifted}, hint + ".max", type);
    OnnxGraph::setInts(maxNode, "axes", {2, 3});
    OnnxGraph::setInt(maxNode, "keepdims", 0);
    third = g_.out(maxNode);
  }
  onnx::NodeProto* cat = g_.node("Concat", {mean, scaled, third}, hint, type);
  OnnxGraph::setInt(cat, "axis", 1);
  return g_.out(cat);
}

std::string NetBuilder::block(const std::string& x, const BlockDesc& b) {
  if (b.attention) return attentionBlock(g_, seq_, *b.attention, x, b.name);
  if (b.feedForward) return feedForwardBlock(g_, *b.feedForward, x, b.name);
  const DType tt = t_.trunk;
  std::string y;
  if (b.kind == BlockKind::kNestedBottleneck) {
    std::string t = conv(normAct(x, b.preNorm, tt), b.conv1, tt);
    for (const BlockDesc& inner : b.inner) t = block(t, inner);
    y = conv(normAct(t, b.midNorm, tt), b.conv2, tt);
  } else {
    const std::string t = normAct(x, b.preNorm, tt);
    std::string r = conv(t, b.conv1, tt);
    if (b.kind == BlockKind::kGlobalPooling) {
      const std::string g = normAct(conv(t, b.gpoolConv, tt), b.gpoolNorm, tt);
      const std::string pooled = pool(g, false, t_.pooling);
      r = addPerChannel(r, matMul(pooled, b.gpoolToBias, t_.pooling));
    }
    y = conv(normAct(r, b.midNorm, tt), b.conv2, tt);
  }
  const DType rt = t_.residual;
  return g_.op("Add", {g_.as(x, rt), g_.as(y, rt)}, b.name + ".residual", rt);
}

void NetBuilder::finish(const std::string& tensor, const std::string& name) {
  onnx::NodeProto* n;
  if (g_.typeOf(tensor) == DType::kFloat) {
    n = g_.node("Identity", {tensor}, name + ".out", DType::kFloat);
  } else {
    n = g_.node("Cast", {tensor}, name + ".out", DType::kFloat);
    OnnxGraph::setInt(n, "to", onnxElementType(DType::kFloat));
  }
  g_.renameOutput(n, name);
}

void NetBuilder::policyHead(const std::string& tip) {
  const nn::PolicyHeadDesc& h = m_.policyHead;
  const DType ht = t_.heads;
  const DType pt = t_.pooling == DType::kFloat ? DType::kFloat : ht;
  std::string p1 = conv(tip, h.p1Conv, ht);
  const std::string g1 = normAct(conv(tip, h.g1Conv, ht), h.g1Norm, ht);
  const std::string pooled = pool(g1, false, pt);
  p1 = addPerChannel(p1, matMul(pooled, h.gpoolToBias, pt));
  finish(conv(normAct(p1, h.p1Norm, ht), h.p2Conv, ht), "policy");
  std::string pass;
  if (h.hasPassMlp) {
    const std::string hidden =
        addBias(matMul(pooled, h.gpoolToPass, pt), h.passBias, h.passActivation, pt);
    pass = matMul(hidden, h.gpoolToPass2, pt);
  } else {
    pass = matMul(pooled, h.gpoolToPass, pt);
  }
  finish(pass, "policy_pass");
}

void NetBuilder::valueHead(const std::string& tip) {
  const nn::ValueHeadDesc& h = m_.valueHead;
  const DType ht = t_.heads;
  const DType pt = t_.pooling == DType::kFloat ? DType::kFloat : ht;
  const std::string v1 = normAct(conv(tip, h.v1Conv, ht), h.v1Norm, ht);
  const std::string pooled = pool(v1, true, pt);
  const std::string v2 = addBias(matMul(pooled, h.v2Mul, pt), h.v2Bias, h.v2Activation, pt);
  finish(addBias(matMul(v2, h.v3Mul, pt), h.v3Bias, Activation::kIdentity, pt), "value");
  finish(addBias(matMul(v2, h.sv3Mul, pt), h.sv3Bias, Activation::kIdentity, pt), "misc_value");
  finish(conv(v1, h.ownershipConv, ht), "ownership");
}

void NetBuilder::boardStatistics(const std::string& spatial) {
  const DType f = DType::kFloat;
  mask_ = g_.op("Slice", {spatial, g_.int64s({0}), g_.int64s({1}), g_.int64s({1})}, "mask", f);
  onnx::NodeProto* sum = g_.node("ReduceSum", {mask_, g_.int64s({2, 3})}, "mask_sum", f);
  OnnxGraph::setInt(sum, "keepdims", 0);
  maskSum_ = g_.out(sum);
  const std::string width = g_.op("Sqrt", {maskSum_}, "board_width", f);
  const std::string d = g_.op("Sub", {width, g_.scalar(14.0f, f)}, "board_width_m14", f);
  widthS1_ = g_.op("Mul", {d, g_.scalar(0.1f, f)}, "board_width_s1", f);
  const std::string d2 = g_.op("Mul", {d, d}, "board_width_sq", f);
  widthS2_ = g_.op(
      "Sub", {g_.op("Mul", {d2, g_.scalar(0.01f, f)}, "board_width_sq_s", f), g_.scalar(0.1f, f)},
      "board_width_s2", f);
  maskNeg_ = g_.op("Sub", {mask_, g_.scalar(1.0f, f)}, "mask_minus_1", f);
}

void NetBuilder::build(const std::string& spatial, const std::string& global) {
  boardStatistics(spatial);
  if (m_.hasTransformerLayers()) seq_ = makeSequenceContext(g_, spatial, mask_, maskSum_);
  const nn::TrunkDesc& trunk = m_.trunk;
  std::string x = conv(spatial, trunk.initialConv, t_.trunk);
  x = addPerChannel(x, matMul(global, trunk.initialMatMul, t_.trunk));
  for (const BlockDesc& b : trunk.blocks) x = block(x, b);
  std::string tip;
  if (trunk.tipRmsNorm) {
    const nn::TipRmsNormDesc& n = *trunk.tipRmsNorm;
    tip = activate(tipRmsNorm(g_, seq_, n, x), n.activation, n.name);
    tip = g_.op("Mul", {tip, mask(DType::kFloat)}, n.name + ".masked", DType::kFloat);
  } else {
    tip = normAct(x, trunk.tipNorm, t_.heads);
  }
  policyHead(tip);
  valueHead(tip);
}

void addTensorInfo(onnx::ValueInfoProto* v, const std::string& name,
                   const std::vector<std::string>& symbolic, const std::vector<int64_t>& dims) {
  v->set_name(name);
  onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (size_t i = 0; i < dims.size(); ++i) {
    onnx::TensorShapeProto_Dimension* d = t->mutable_shape()->add_dim();
    if (symbolic[i].empty())
      d->set_dim_value(dims[i]);
    else
      d->set_dim_param(symbolic[i]);
  }
}

void addMetadata(onnx::ModelProto& model, const std::string& key, const std::string& value) {
  onnx::StringStringEntryProto* e = model.add_metadata_props();
  e->set_key(key);
  e->set_value(value);
}

}  // namespace

void buildOnnxModel(const ModelDesc& desc, const OnnxOptions& options, onnx::ModelProto& model) {
  if (options.opset < 13 || options.opset > 17)
    throw std::runtime_error("opset must be 13..17, got " + std::to_string(options.opset));
  const bool emulate = options.precision == "fp16-emulated";
  if (options.precision != "fp32" && options.precision != "fp16" && !emulate)
    throw std::runtime_error("precision must be fp32, fp16 or fp16-emulated, got '" +
                             options.precision + "'");
  Types types;
  if (options.precision != "fp32") {
    types.trunk = DType::kHalf;
    types.residual = options.keep.residual ? DType::kFloat : DType::kHalf;
    types.pooling = options.keep.pooling ? DType::kFloat : DType::kHalf;
    types.heads = options.keep.heads ? DType::kFloat : DType::kHalf;
  }
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("hoshi");
  model.set_producer_version(options.producerVersion);
  model.set_model_version(desc.modelVersion);
  model.set_doc_string("KataGo network '" + desc.name + "' (model version " +
                       std::to_string(desc.modelVersion) + ") exported by hoshi, " +
                       options.precision);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(options.opset);
  addMetadata(model, "katago_model_name", desc.name);
  addMetadata(model, "katago_model_version", std::to_string(desc.modelVersion));
  addMetadata(model, "input_features", "KataGo input version 7 (hoshi nn/features.h)");
  addMetadata(model, "precision", options.precision);

  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name(desc.name.empty() ? "katago" : desc.name);
  OnnxGraph g(graph, emulate);
  const std::string n = "batch_size", h = "height", w = "width";
  for (const char* name : {"input_spatial", "input_global", "policy", "policy_pass", "value",
                           "misc_value", "ownership"})
    g.reserve(name, DType::kFloat);
  addTensorInfo(graph->add_input(), "input_spatial", {n, "", h, w},
                {0, desc.numInputChannels, 0, 0});
  addTensorInfo(graph->add_input(), "input_global", {n, ""}, {0, desc.numInputGlobalChannels});
  NetBuilder(desc, g, types).build("input_spatial", "input_global");
  addTensorInfo(graph->add_output(), "policy", {n, "", h, w}, {0, desc.numPolicyChannels, 0, 0});
  addTensorInfo(graph->add_output(), "policy_pass", {n, ""}, {0, desc.numPolicyChannels});
  addTensorInfo(graph->add_output(), "value", {n, ""}, {0, desc.numValueChannels});
  addTensorInfo(graph->add_output(), "misc_value", {n, ""}, {0, desc.numScoreValueChannels});
  addTensorInfo(graph->add_output(), "ownership", {n, "", h, w}, {0, 1, 0, 0});
}

}  // namespace hoshi::exporter
#endif  // HOSHI_WITH_ONNX
