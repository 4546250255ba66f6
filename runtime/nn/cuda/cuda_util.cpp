#include "nn/cuda/cuda_util.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace hoshi::nn::cuda {

namespace {

// cublasGetStatusString is newer than CUDA 11.4, so name the codes here.
const char* cublasStatusName(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS:
      return "success";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "not initialized";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "allocation failed";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "invalid value";
    case CUBLAS_STATUS_ARCH_MISMATCH:
      return "architecture mismatch";
    case CUBLAS_STATUS_MAPPING_ERROR:
      return "mapping error";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "execution failed";
    case CUBLAS_STATUS_INTERNAL_ERROR:
      return "internal error";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "not supported";
    default:
      return "unknown status";
  }
}

}  // namespace

void check(cudaError_t err, const char* what) {
  if (err == cudaSuccess) return;
  // Clear a non-sticky error so the next call does not report it again.
  cudaGetLastError();
  throw std::runtime_error(std::string("cuda backend: ") + what + ": " + cudaGetErrorString(err));
}

void check(cublasStatus_t status, const char* what) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw std::runtime_error(std::string("cuda backend: ") + what + ": cuBLAS " +
                           cublasStatusName(status) + " (" + std::to_string(int(status)) + ")");
}

int deviceCount(std::string* why) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    cudaGetLastError();
    if (why) {
      // Without any NVIDIA driver the runtime says "driver version is
      // insufficient", which sends users after driver upgrades on machines
      // that simply have no GPU.
      const bool driverLoaded = std::ifstream("/proc/driver/nvidia/version").good();
      if (err == cudaErrorNoDevice || !driverLoaded) {
        *why = std::string("no CUDA device") +
               (driverLoaded ? "" : ": no NVIDIA driver is loaded on this machine");
      } else if (err == cudaErrorInsufficientDriver) {
        *why = std::string("the NVIDIA driver is older than this build's CUDA runtime (") +
               cudaGetErrorString(err) + ")";
      } else {
        *why = std::string("cudaGetDeviceCount failed: ") + cudaGetErrorString(err);
      }
    }
    return 0;
  }
  if (count == 0 && why) *why = "no CUDA device";
  return count;
}

DeviceBuffer::DeviceBuffer(size_t bytes) : bytes_(bytes) {
  if (bytes == 0) return;
  check(cudaMalloc(&ptr_, bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_) cudaFree(ptr_);
}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (ptr_) cudaFree(ptr_);
    ptr_ = o.ptr_;
    bytes_ = o.bytes_;
    o.ptr_ = nullptr;
    o.bytes_ = 0;
  }
  return *this;
}

PinnedBuffer::PinnedBuffer(size_t bytes, bool mapped) : bytes_(bytes) {
  if (bytes == 0) return;
  check(cudaHostAlloc(&host_, bytes, mapped ? cudaHostAllocMapped : cudaHostAllocDefault),
        "cudaHostAlloc");
  // A device that refuses the mapping leaves devicePtr() null; callers then
  // copy through a device buffer instead.
  if (mapped && cudaHostGetDevicePointer(&device_, host_, 0) != cudaSuccess) {
    cudaGetLastError();
    device_ = nullptr;
  }
}

PinnedBuffer::~PinnedBuffer() {
  if (host_) cudaFreeHost(host_);
}

PinnedBuffer& PinnedBuffer::operator=(PinnedBuffer&& o) noexcept {
  if (this != &o) {
    if (host_) cudaFreeHost(host_);
    host_ = o.host_;
    device_ = o.device_;
    bytes_ = o.bytes_;
    o.host_ = nullptr;
    o.device_ = nullptr;
    o.bytes_ = 0;
  }
  return *this;
}

DeviceBuffer uploadFloats(const float* data, size_t count) {
  DeviceBuffer buf(count * sizeof(float));
  if (count)
    check(cudaMemcpy(buf.get(), data, count * sizeof(float), cudaMemcpyHostToDevice),
          "upload weights");
  return buf;
}

}  // namespace hoshi::nn::cuda
