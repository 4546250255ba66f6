// CPU stand-ins for the CUDA runtime / cuBLAS entry points the backend uses
// (cuBLAS through cublasApi(), defined at the end in place of the loader).
// Device memory is host memory; streams and handles are dummies; work runs
// immediately; graph capture is refused (the backend must fall back).

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "nn/cuda/cublas_api.h"
#include "nn/cuda/cuda_kernel_math.h"
#include "nn/cuda/emulated/fake_cuda.h"

namespace {

std::atomic<bool> gIntegrated{false};
std::atomic<long> gGemms{0};
int gDummy[4];

template <typename T>
std::vector<float> toFloats(const T* p, size_t n) {
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = hoshi::nn::cuda::math::load(p, i);
  return out;
}

template <typename T, typename TC>
void gemmColumnMajor(int m, int n, int k, float alpha, const T* a, int lda, const T* b, int ldb,
                     float beta, TC* c, int ldc) {
  // FP32 copies of the operands keep the inner loop plain (and vectorised).
  const std::vector<float> fa = toFloats(a, size_t(lda) * k);
  const std::vector<float> fb = toFloats(b, size_t(ldb) * n);
  std::vector<float> col(m);
  for (int j = 0; j < n; ++j) {
    std::fill(col.begin(), col.end(), 0.0f);
    for (int l = 0; l < k; ++l) {
      const float blj = fb[size_t(j) * ldb + l];
      if (blj == 0.0f) continue;
      const float* al = fa.data() + size_t(l) * lda;
      for (int i = 0; i < m; ++i) col[i] += al[i] * blj;
    }
    for (int i = 0; i < m; ++i) {
      const size_t at = size_t(j) * ldc + i;
      const float old = beta == 0.0f ? 0.0f : beta * hoshi::nn::cuda::math::load(c, at);
      hoshi::nn::cuda::math::store(c, at, alpha * col[i] + old);
    }
  }
}

}  // namespace

namespace hoshi::test {
void setEmulatedIntegrated(bool integrated) {
  gIntegrated = integrated;
}
long emulatedGemmCount() {
  return gGemms;
}
}  // namespace hoshi::test

cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return cudaSuccess;
}
cudaError_t cudaSetDevice(int) {
  return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device != 0) return cudaErrorInvalidDevice;
  std::memset(prop, 0, sizeof(*prop));
  std::strcpy(prop->name, "CPU emulation");
  prop->major = 9;
  prop->minor = 0;
  prop->totalGlobalMem = size_t(1) << 30;
  prop->integrated = gIntegrated ? 1 : 0;
  prop->canMapHostMemory = 1;
  return cudaSuccess;
}
cudaError_t cudaGetLastError() {
  return cudaSuccess;
}
const char* cudaGetErrorString(cudaError_t) {
  return "emulated CUDA error";
}
cudaError_t cudaDeviceSynchronize() {
  return cudaSuccess;
}

cudaError_t cudaMalloc(void** ptr, size_t bytes) {
  *ptr = std::calloc(1, bytes ? bytes : 1);
  return *ptr ? cudaSuccess : cudaErrorMemoryAllocation;
}
cudaError_t cudaFree(void* ptr) {
  std::free(ptr);
  return cudaSuccess;
}
cudaError_t cudaHostAlloc(void** ptr, size_t bytes, unsigned int) {
  return cudaMalloc(ptr, bytes);
}
cudaError_t cudaHostGetDevicePointer(void** device, void* host, unsigned int) {
  *device = host;
  return cudaSuccess;
}
cudaError_t cudaFreeHost(void* ptr) {
  return cudaFree(ptr);
}
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
  std::memcpy(dst, src, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind,
                            cudaStream_t) {
  std::memcpy(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int) {
  *stream = reinterpret_cast<cudaStream_t>(&gDummy[0]);
  return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t) {
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t) {
  return cudaSuccess;
}
cudaError_t cudaStreamBeginCapture(cudaStream_t, cudaStreamCaptureMode) {
  return cudaErrorStreamCaptureUnsupported;
}
cudaError_t cudaStreamEndCapture(cudaStream_t, cudaGraph_t* graph) {
  *graph = nullptr;
  return cudaErrorStreamCaptureUnsupported;
}
cudaError_t cudaGraphInstantiateWithFlags(cudaGraphExec_t*, cudaGraph_t, unsigned long long) {
  return cudaErrorNotSupported;
}
cudaError_t cudaGraphLaunch(cudaGraphExec_t, cudaStream_t) {
  return cudaErrorNotSupported;
}
cudaError_t cudaGraphDestroy(cudaGraph_t) {
  return cudaSuccess;
}
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t) {
  return cudaSuccess;
}

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
  *handle = reinterpret_cast<cublasHandle_t>(&gDummy[1]);
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasDestroy(cublasHandle_t) {
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetStream(cublasHandle_t, cudaStream_t) {
  return CUBLAS_STATUS_SUCCESS;
}

// Column-major C = alpha * A * B + beta * C, as cuBLAS defines it; only what
// the backend asks for (no transposes, FP32 compute; FP16 operands may give
// an FP16 or an FP32 result, as in cuBLAS).
cublasStatus_t cublasGemmEx(cublasHandle_t, cublasOperation_t ta, cublasOperation_t tb, int m,
                            int n, int k, const void* alpha, const void* a, cudaDataType at,
                            int lda, const void* b, cudaDataType bt, int ldb, const void* beta,
                            void* c, cudaDataType ct, int ldc, cublasComputeType_t compute,
                            cublasGemmAlgo_t) {
  const bool typesOk = at == bt && (at == ct || (at == CUDA_R_16F && ct == CUDA_R_32F));
  if (ta != CUBLAS_OP_N || tb != CUBLAS_OP_N || !typesOk || compute != CUBLAS_COMPUTE_32F ||
      lda < m || ldb < k || ldc < m)
    return CUBLAS_STATUS_NOT_SUPPORTED;
  const float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
  const __half* ha = static_cast<const __half*>(a);
  const __half* hb = static_cast<const __half*>(b);
  if (at == CUDA_R_32F)
    gemmColumnMajor(m, n, k, al, static_cast<const float*>(a), lda, static_cast<const float*>(b),
                    ldb, be, static_cast<float*>(c), ldc);
  else if (at == CUDA_R_16F && ct == CUDA_R_16F)
    gemmColumnMajor(m, n, k, al, ha, lda, hb, ldb, be, static_cast<__half*>(c), ldc);
  else if (at == CUDA_R_16F)
    gemmColumnMajor(m, n, k, al, ha, lda, hb, ldb, be, static_cast<float*>(c), ldc);
  else
    return CUBLAS_STATUS_NOT_SUPPORTED;
  ++gGemms;
  return CUBLAS_STATUS_SUCCESS;
}

namespace hoshi::nn::cuda {

// The emulated cuBLAS in place of the one cublas_api.cpp would load.
const CublasApi& cublasApi() {
  static const CublasApi api = [] {
    CublasApi a;
    a.create = &cublasCreate;
    a.destroy = &cublasDestroy;
    a.setStream = &cublasSetStream;
    a.gemmEx = &cublasGemmEx;
    a.library = "emulated";
    return a;
  }();
  return api;
}

}  // namespace hoshi::nn::cuda
