#include "nn/cuda/cuda_net.h"

#include "nn/cuda/cublas_api.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hoshi::nn::cuda {

namespace {

DeviceBuffer uploadVector(const std::vector<float>& v) {
  return uploadFloats(v.data(), v.size());
}

int actCode(Activation a) {
  return static_cast<int>(a);
}

void requireEqual(int got, int want, const std::string& what) {
  if (got != want)
    throw std::runtime_error("cuda backend: " + what + " has " + std::to_string(got) +
                             " channels, expected " + std::to_string(want));
}

}  // namespace

CudaWorkspace::CudaWorkspace(const CudaNet& net, int batch, int y, int x, bool mapHost)
    : maxBatch(batch), ySize(y), xSize(x), zeroCopy(mapHost) {
  const ModelDesc& m = net.model();
  const size_t area = size_t(y) * x;
  const size_t elt = dtypeBytes(net.dtype());
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  try {
    check(cublasApi().create(&cublas), "cublasCreate");
    check(cublasApi().setStream(cublas, stream), "cublasSetStream");

    globalOffset = size_t(batch) * m.numInputChannels * area;
    const size_t inFloats = globalOffset + size_t(batch) * m.numInputGlobalChannels;
    inputHost = PinnedBuffer(inFloats * sizeof(float), zeroCopy);
    // Mapping can be refused (no cudaDeviceMapHost); then copy instead.
    if (!inputHost.devicePtr()) zeroCopy = false;
    if (!zeroCopy) inputDev = DeviceBuffer(inFloats * sizeof(float));
    inputDevPtr = zeroCopy ? inputHost.devicePtr() : inputDev.floats();

    const size_t rows = size_t(batch) * area;
    inputNhwc = DeviceBuffer(rows * m.numInputChannels * elt);
    for (int i = 0; i < net.numPlanes(); ++i)
      planes.emplace_back(rows * net.maxChannels() * dtypeBytes(kTrunkType));
    scratch = DeviceBuffer(net.scratchElements(batch, y, x) * elt);
    pooled = DeviceBuffer(size_t(batch) * 3 * net.maxChannels() * sizeof(float));
    small = DeviceBuffer(net.smallFloats(batch) * sizeof(float));
    small2 = DeviceBuffer(net.smallFloats(batch) * sizeof(float));
    policyNhwc = DeviceBuffer(rows * m.numPolicyChannels * elt);
    ownershipNhwc = DeviceBuffer(rows * elt);

    outPolicy = 0;
    outPass = outPolicy + rows * m.numPolicyChannels;
    outValue = outPass + size_t(batch) * m.numPolicyChannels;
    outScore = outValue + size_t(batch) * m.numValueChannels;
    outOwnership = outScore + size_t(batch) * m.numScoreValueChannels;
    outFloats = outOwnership + rows;
    outputHost = PinnedBuffer(outFloats * sizeof(float), zeroCopy);
    if (zeroCopy && !outputHost.devicePtr())
      throw std::runtime_error("cuda backend: mapping the output buffer failed");
    if (!zeroCopy) outputDev = DeviceBuffer(outFloats * sizeof(float));
    outputDevPtr = zeroCopy ? outputHost.devicePtr() : outputDev.floats();
  } catch (...) {
    if (cublas) cublasApi().destroy(cublas);
    cudaStreamDestroy(stream);
    throw;
  }
}

CudaWorkspace::~CudaWorkspace() {
  for (auto& g : graphs) cudaGraphExecDestroy(g.second);
  if (cublas) cublasApi().destroy(cublas);
  if (stream) cudaStreamDestroy(stream);
}

CudaNet::CudaNet(std::shared_ptr<const ModelDesc> model, DType dtype)
    : model_(std::move(model)), dtype_(dtype) {
  const ModelDesc& m = *model_;
  const TrunkDesc& t = m.trunk;
  const PolicyHeadDesc& p = m.policyHead;
  const ValueHeadDesc& v = m.valueHead;
  maxChannels_ = std::max({t.trunkChannels, p.p1Conv.outChannels, p.g1Conv.outChannels,
                           v.v1Conv.outChannels, m.numPolicyChannels});
  initialConv_ = makeConv(t.initialConv);
  initialMatMul_ = {t.initialMatMul.inChannels, t.initialMatMul.outChannels,
                    uploadVector(t.initialMatMul.weights)};
  for (const BlockDesc& b : t.blocks) blocks_.push_back(makeBlock(b, 0));
  tipNorm_ = makeNorm(t.tipNorm);

  auto denseOf = [](const MatMulDesc& d) {
    return Dense{d.inChannels, d.outChannels, uploadVector(d.weights)};
  };
  p1Conv_ = makeConv(p.p1Conv);
  g1Conv_ = makeConv(p.g1Conv);
  p2Conv_ = makeConv(p.p2Conv);
  g1Norm_ = makeNorm(p.g1Norm);
  p1Norm_ = makeNorm(p.p1Norm);
  policyGpoolToBias_ = denseOf(p.gpoolToBias);
  gpoolToPass_ = denseOf(p.gpoolToPass);
  if (p.hasPassMlp) {
    gpoolToPass2_ = denseOf(p.gpoolToPass2);
    passBias_ = uploadVector(p.passBias.weights);
  }
  v1Conv_ = makeConv(v.v1Conv);
  ownershipConv_ = makeConv(v.ownershipConv);
  v1Norm_ = makeNorm(v.v1Norm);
  v2Mul_ = denseOf(v.v2Mul);
  v3Mul_ = denseOf(v.v3Mul);
  sv3Mul_ = denseOf(v.sv3Mul);
  v2Bias_ = uploadVector(v.v2Bias.weights);
  v3Bias_ = uploadVector(v.v3Bias.weights);
  sv3Bias_ = uploadVector(v.sv3Bias.weights);

  // The output layout of a workspace follows the model's declared counts.
  requireEqual(p2Conv_.outC, m.numPolicyChannels, "policy conv p2");
  requireEqual(p.hasPassMlp ? gpoolToPass2_.outC : gpoolToPass_.outC, m.numPolicyChannels,
               "pass output");
  requireEqual(v3Mul_.outC, m.numValueChannels, "value output");
  requireEqual(sv3Mul_.outC, m.numScoreValueChannels, "score value output");
  requireEqual(ownershipConv_.outC, 1, "ownership conv");
  check(cudaDeviceSynchronize(), "weight upload");
}

CudaNet::Norm CudaNet::makeNorm(const NormActDesc& n) {
  return Norm{n.channels, actCode(n.activation), uploadVector(n.scale), uploadVector(n.bias)};
}

CudaNet::Conv CudaNet::makeConv(const ConvDesc& d) const {
  Conv c;
  c.kY = d.kernelY;
  c.kX = d.kernelX;
  c.inC = d.inChannels;
  c.outC = d.outChannels;
  // [out][in][ky][kx] -> [ky][kx][in][out]: one im2col row times this matrix.
  std::vector<float> w(d.weights.size());
  for (int oc = 0; oc < c.outC; ++oc)
    for (int ic = 0; ic < c.inC; ++ic)
      for (int y = 0; y < c.kY; ++y)
        for (int x = 0; x < c.kX; ++x)
          w[((size_t(y) * c.kX + x) * c.inC + ic) * c.outC + oc] =
              d.weights[((size_t(oc) * c.inC + ic) * c.kY + y) * c.kX + x];
  DeviceBuffer f = uploadVector(w);
  if (dtype_ == DType::kFloat) {
    c.w = std::move(f);
  } else {
    c.w = DeviceBuffer(w.size() * dtypeBytes(dtype_));
    floatToHalf(f.floats(), c.w.get(), w.size(), nullptr);
    // f is freed on return; the conversion must be done before that.
    check(cudaDeviceSynchronize(), "weight conversion");
  }
  return c;
}

CudaNet::Block CudaNet::makeBlock(const BlockDesc& d, int depth) {
  maxDepth_ = std::max(maxDepth_, depth);
  maxChannels_ =
      std::max({maxChannels_, d.conv1.inChannels, d.conv1.outChannels, d.gpoolConv.outChannels});
  Block b;
  b.kind = d.kind;
  b.pre = makeNorm(d.preNorm);
  b.conv1 = makeConv(d.conv1);
  b.mid = makeNorm(d.midNorm);
  b.conv2 = makeConv(d.conv2);
  if (d.kind == BlockKind::kGlobalPooling) {
    b.gpoolConv = makeConv(d.gpoolConv);
    b.gpoolNorm = makeNorm(d.gpoolNorm);
    b.gpoolToBias = {d.gpoolToBias.inChannels, d.gpoolToBias.outChannels,
                     uploadVector(d.gpoolToBias.weights)};
  }
  for (const BlockDesc& inner : d.inner) b.inner.push_back(makeBlock(inner, depth + 1));
  return b;
}

template <typename F>
void CudaNet::forEachConv(F&& f) const {
  f(initialConv_);
  std::vector<const Block*> stack;
  for (const Block& b : blocks_) stack.push_back(&b);
  while (!stack.empty()) {
    const Block* b = stack.back();
    stack.pop_back();
    f(b->conv1);
    f(b->conv2);
    if (b->kind == BlockKind::kGlobalPooling) f(b->gpoolConv);
    for (const Block& inner : b->inner) stack.push_back(&inner);
  }
  for (const Conv* c : {&p1Conv_, &g1Conv_, &p2Conv_, &v1Conv_, &ownershipConv_}) f(*c);
}

size_t CudaNet::scratchElements(int batch, int ySize, int xSize) const {
  size_t most = 0;
  forEachConv([&](const Conv& c) {
    if (c.kY != 1 || c.kX != 1)
      most = std::max(most, size_t(batch) * ySize * xSize * c.kY * c.kX * c.inC);
  });
  return most;
}

size_t CudaNet::smallFloats(int batch) const {
  int most = std::max({maxChannels_, v2Mul_.outC, gpoolToPass_.outC, initialMatMul_.outC});
  return size_t(batch) * most;
}

void CudaNet::conv(CudaWorkspace& ws, const Conv& c, const void* in, void* out, DType outType,
                   int batch, bool accumulate) const {
  const int rows = batch * ws.ySize * ws.xSize;
  const void* patches = in;
  int k = c.inC;
  if (c.kY != 1 || c.kX != 1) {
    im2col(in, ws.scratch.get(), dtype_, batch, ws.ySize, ws.xSize, c.inC, c.kY, c.kX, ws.stream);
    patches = ws.scratch.get();
    k = c.kY * c.kX * c.inC;
  }
  // Row-major out[rows][outC] = patches[rows][k] * w[k][outC] is, to
  // column-major cuBLAS, out^T = w^T * patches^T with no transposes.
  const float alpha = 1.0f, beta = accumulate ? 1.0f : 0.0f;
  const cudaDataType t = dtype_ == DType::kHalf ? CUDA_R_16F : CUDA_R_32F;
  const cudaDataType ot = outType == DType::kHalf ? CUDA_R_16F : CUDA_R_32F;
  check(cublasApi().gemmEx(ws.cublas, CUBLAS_OP_N, CUBLAS_OP_N, c.outC, rows, k, &alpha, c.w.get(),
                           t, c.outC, patches, t, k, &beta, out, ot, c.outC, CUBLAS_COMPUTE_32F,
                           CUBLAS_GEMM_DEFAULT),
        "convolution GEMM");
}

void CudaNet::norm(CudaWorkspace& ws, const Norm& n, const void* in, DType inType, void* out,
                   DType outType, int batch, const float* batchBias) const {
  const int area = ws.ySize * ws.xSize;
  normAct(in, inType, out, outType, n.scale.floats(), n.bias.floats(), batchBias, batch * area,
          n.channels, area, n.act, ws.stream);
}

void CudaNet::runBlock(CudaWorkspace& ws, const Block& b, int depth, int batch) const {
  const int area = ws.ySize * ws.xSize;
  void* in = ws.planes[4 * depth].get();
  void* t = ws.planes[4 * depth + 1].get();
  void* mid = ws.planes[4 * depth + 2].get();
  void* g = ws.planes[4 * depth + 3].get();
  const DType act = dtype_;
  norm(ws, b.pre, in, kTrunkType, t, act, batch, nullptr);
  if (b.kind == BlockKind::kNestedBottleneck) {
    // The inner blocks' trunk, FP32 like the outer one.
    void* inner = ws.planes[4 * (depth + 1)].get();
    conv(ws, b.conv1, t, inner, kTrunkType, batch, false);
    for (const Block& ib : b.inner) runBlock(ws, ib, depth + 1, batch);
    norm(ws, b.mid, inner, kTrunkType, mid, act, batch, nullptr);
  } else {
    conv(ws, b.conv1, t, mid, act, batch, false);
    const float* poolBias = nullptr;
    if (b.kind == BlockKind::kGlobalPooling) {
      conv(ws, b.gpoolConv, t, g, act, batch, false);
      norm(ws, b.gpoolNorm, g, act, g, act, batch, nullptr);
      globalPool(g, ws.pooled.floats(), dtype_, batch, area, b.gpoolNorm.channels, false,
                 ws.stream);
      dense(ws.pooled.floats(), b.gpoolToBias.w.floats(), nullptr, ws.small.floats(), batch,
            b.gpoolToBias.inC, b.gpoolToBias.outC, kActIdentity, ws.stream);
      poolBias = ws.small.floats();
    }
    // The pooled bias is added before midNorm, fused into the same kernel.
    norm(ws, b.mid, mid, act, mid, act, batch, poolBias);
  }
  conv(ws, b.conv2, mid, in, kTrunkType, batch, true);
}

void CudaNet::runPolicyHead(CudaWorkspace& ws, const void* trunk, int batch) const {
  const PolicyHeadDesc& h = model_->policyHead;
  const int area = ws.ySize * ws.xSize;
  void* p1 = ws.planes[2].get();
  void* g1 = ws.planes[3].get();
  float* out = ws.outputDevPtr;
  const DType act = dtype_;
  conv(ws, p1Conv_, trunk, p1, act, batch, false);
  conv(ws, g1Conv_, trunk, g1, act, batch, false);
  norm(ws, g1Norm_, g1, act, g1, act, batch, nullptr);
  globalPool(g1, ws.pooled.floats(), dtype_, batch, area, g1Norm_.channels, false, ws.stream);
  dense(ws.pooled.floats(), policyGpoolToBias_.w.floats(), nullptr, ws.small.floats(), batch,
        policyGpoolToBias_.inC, policyGpoolToBias_.outC, kActIdentity, ws.stream);
  norm(ws, p1Norm_, p1, act, p1, act, batch, ws.small.floats());
  conv(ws, p2Conv_, p1, ws.policyNhwc.get(), act, batch, false);
  nhwcToNchwFloat(ws.policyNhwc.get(), out + ws.outPolicy, dtype_, batch, area, p2Conv_.outC,
                  ws.stream);
  if (h.hasPassMlp) {
    dense(ws.pooled.floats(), gpoolToPass_.w.floats(), passBias_.floats(), ws.small2.floats(),
          batch, gpoolToPass_.inC, gpoolToPass_.outC, actCode(h.passActivation), ws.stream);
    dense(ws.small2.floats(), gpoolToPass2_.w.floats(), nullptr, out + ws.outPass, batch,
          gpoolToPass2_.inC, gpoolToPass2_.outC, kActIdentity, ws.stream);
  } else {
    dense(ws.pooled.floats(), gpoolToPass_.w.floats(), nullptr, out + ws.outPass, batch,
          gpoolToPass_.inC, gpoolToPass_.outC, kActIdentity, ws.stream);
  }
}

void CudaNet::runValueHead(CudaWorkspace& ws, const void* trunk, int batch) const {
  const ValueHeadDesc& h = model_->valueHead;
  const int area = ws.ySize * ws.xSize;
  void* v1 = ws.planes[2].get();
  float* out = ws.outputDevPtr;
  const DType act = dtype_;
  conv(ws, v1Conv_, trunk, v1, act, batch, false);
  norm(ws, v1Norm_, v1, act, v1, act, batch, nullptr);
  globalPool(v1, ws.pooled.floats(), dtype_, batch, area, v1Norm_.channels, true, ws.stream);
  dense(ws.pooled.floats(), v2Mul_.w.floats(), v2Bias_.floats(), ws.small.floats(), batch,
        v2Mul_.inC, v2Mul_.outC, actCode(h.v2Activation), ws.stream);
  dense(ws.small.floats(), v3Mul_.w.floats(), v3Bias_.floats(), out + ws.outValue, batch,
        v3Mul_.inC, v3Mul_.outC, kActIdentity, ws.stream);
  dense(ws.small.floats(), sv3Mul_.w.floats(), sv3Bias_.floats(), out + ws.outScore, batch,
        sv3Mul_.inC, sv3Mul_.outC, kActIdentity, ws.stream);
  conv(ws, ownershipConv_, v1, ws.ownershipNhwc.get(), act, batch, false);
  nhwcToNchwFloat(ws.ownershipNhwc.get(), out + ws.outOwnership, dtype_, batch, area, 1, ws.stream);
}

void CudaNet::forward(CudaWorkspace& ws, int batch) const {
  const ModelDesc& m = *model_;
  const int area = ws.ySize * ws.xSize;
  const size_t spatialStride = size_t(m.numInputChannels) * area;
  const int globals = m.numInputGlobalChannels;
  if (!ws.zeroCopy) {
    check(cudaMemcpyAsync(ws.inputDevPtr, ws.inputHost.host(),
                          batch * spatialStride * sizeof(float), cudaMemcpyHostToDevice, ws.stream),
          "input copy");
    check(
        cudaMemcpyAsync(ws.inputDevPtr + ws.globalOffset, ws.inputHost.host() + ws.globalOffset,
                        size_t(batch) * globals * sizeof(float), cudaMemcpyHostToDevice, ws.stream),
        "input copy");
  }
  nchwToNhwc(ws.inputDevPtr, ws.inputNhwc.get(), dtype_, batch, m.numInputChannels, area,
             spatialStride, ws.stream);
  void* trunk = ws.planes[0].get();
  conv(ws, initialConv_, ws.inputNhwc.get(), trunk, kTrunkType, batch, false);
  dense(ws.inputDevPtr + ws.globalOffset, initialMatMul_.w.floats(), nullptr, ws.small.floats(),
        batch, initialMatMul_.inC, initialMatMul_.outC, kActIdentity, ws.stream);
  normAct(trunk, kTrunkType, trunk, kTrunkType, nullptr, nullptr, ws.small.floats(), batch * area,
          initialMatMul_.outC, area, kActIdentity, ws.stream);
  for (const Block& b : blocks_) runBlock(ws, b, 0, batch);
  void* tip = ws.planes[1].get();
  norm(ws, tipNorm_, trunk, kTrunkType, tip, dtype_, batch, nullptr);
  runPolicyHead(ws, tip, batch);
  runValueHead(ws, tip, batch);

  if (!ws.zeroCopy) {
    // Only the first `batch` entries of each region hold results.
    const size_t rows = size_t(batch) * area;
    const size_t counts[][2] = {
        {ws.outPolicy, rows * m.numPolicyChannels},
        {ws.outPass, size_t(batch) * m.numPolicyChannels},
        {ws.outValue, size_t(batch) * m.numValueChannels},
        {ws.outScore, size_t(batch) * m.numScoreValueChannels},
        {ws.outOwnership, rows},
    };
    for (const auto& c : counts)
      check(cudaMemcpyAsync(ws.outputHost.host() + c[0], ws.outputDevPtr + c[0],
                            c[1] * sizeof(float), cudaMemcpyDeviceToHost, ws.stream),
            "output copy");
  }
}

}  // namespace hoshi::nn::cuda
