#include "nn/cuda/cublas_api.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace hoshi::nn::cuda {

namespace {

std::vector<std::string> candidates() {
  const char* env = std::getenv("HOSHI_CUBLAS");
  if (env && *env) return {env};
  const std::string so = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
  return {so, "libcublas.so", "/usr/local/cuda/lib64/" + so, "/usr/local/cuda/lib/" + so};
}

template <typename F>
void bind(void* lib, const std::string& path, const char* name, F& out) {
  void* p = dlsym(lib, name);
  if (!p) throw std::runtime_error("cuBLAS at " + path + " has no " + name);
  out = reinterpret_cast<F>(p);
}

}  // namespace

CublasApi loadCublas(const std::string& path) {
  // Never closed: handles made through it live as long as the backend.
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = dlerror();
    throw std::runtime_error("cannot load cuBLAS from " + path + ": " + (why ? why : "?"));
  }
  CublasApi api;
  bind(lib, path, "cublasCreate_v2", api.create);
  bind(lib, path, "cublasDestroy_v2", api.destroy);
  bind(lib, path, "cublasSetStream_v2", api.setStream);
  bind(lib, path, "cublasGemmEx", api.gemmEx);
  api.library = path;
  return api;
}

const CublasApi& cublasApi() {
  // A failed load throws out of the initializer, so the next call tries again.
  static const CublasApi api = [] {
    std::string tried;
    for (const std::string& path : candidates()) {
      try {
        return loadCublas(path);
      } catch (const std::exception& e) {
        tried += std::string("\n  ") + e.what();
      }
    }
    throw std::runtime_error(
        "cuda backend: cuBLAS could not be loaded (set HOSHI_CUBLAS to "
        "its path):" +
        tried);
  }();
  return api;
}

}  // namespace hoshi::nn::cuda
