#pragma once

// cuBLAS, loaded when the CUDA backend first needs it instead of linked:
// libcublas and libcublasLt add ~150 MiB of resident memory to any process
// that loads them, which a run on the CPU backends must not pay. The backend
// calls cuBLAS only through cublasApi(). HOSHI_CUBLAS in the environment names
// the library to load; otherwise the soname of the toolkit built against
// (libcublas.so.<major>), then libcublas.so, then /usr/local/cuda/lib64 and lib.

#include <cublas_v2.h>

#include <string>

namespace hoshi::nn::cuda {

struct CublasApi {
  cublasStatus_t (*create)(cublasHandle_t*) = nullptr;
  cublasStatus_t (*destroy)(cublasHandle_t) = nullptr;
  cublasStatus_t (*setStream)(cublasHandle_t, cudaStream_t) = nullptr;
  cublasStatus_t (*gemmEx)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                           const void*, const void*, cudaDataType, int, const void*, cudaDataType,
                           int, const void*, void*, cudaDataType, int, cublasComputeType_t,
                           cublasGemmAlgo_t) = nullptr;
  std::string library;  // what was loaded
};

// Loaded on the first call (later calls return the same); throws
// std::runtime_error listing what was tried when no library loads.
const CublasApi& cublasApi();

// One attempt: the library at `path` (a soname or a file) and its four
// functions. Throws std::runtime_error naming the path and the failure.
CublasApi loadCublas(const std::string& path);

}  // namespace hoshi::nn::cuda
