#pragma once

// Small RAII helpers of the CUDA backend: error checks that throw, device
// buffers, pinned host buffers (mapped for zero-copy on integrated GPUs such
// as Jetson, where host and device share DRAM), and a stream + cuBLAS handle.
// Only CUDA 11.4 runtime / cuBLAS APIs are used.

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <string>

namespace hoshi::nn::cuda {

// Throws std::runtime_error("cuda backend: <what>: <error text>") on failure.
void check(cudaError_t err, const char* what);
void check(cublasStatus_t status, const char* what);

// Number of usable devices; 0 with the reason in *why when there is none
// (no driver, no GPU, ...). Never throws.
int deviceCount(std::string* why);

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), bytes_(o.bytes_) { o.ptr_ = nullptr; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  void* get() const { return ptr_; }
  float* floats() const { return static_cast<float*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

// Page-locked host memory. With mapped = true the device reaches it directly
// (devicePtr()); otherwise devicePtr() is null and data must be copied.
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  PinnedBuffer(size_t bytes, bool mapped);
  ~PinnedBuffer();
  PinnedBuffer(PinnedBuffer&& o) noexcept : host_(o.host_), device_(o.device_), bytes_(o.bytes_) {
    o.host_ = nullptr;
    o.device_ = nullptr;
  }
  PinnedBuffer& operator=(PinnedBuffer&& o) noexcept;
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;

  float* host() const { return static_cast<float*>(host_); }
  float* devicePtr() const { return static_cast<float*>(device_); }
  size_t bytes() const { return bytes_; }

 private:
  void* host_ = nullptr;
  void* device_ = nullptr;
  size_t bytes_ = 0;
};

// Uploads floats into a new device buffer.
DeviceBuffer uploadFloats(const float* data, size_t count);

}  // namespace hoshi::nn::cuda
