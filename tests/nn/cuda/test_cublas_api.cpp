// cuBLAS is loaded on first use, not linked (nn/cuda/cublas_api.h): the hoshi
// binary does not name it, a missing library is a clear error, and the
// toolkit's own library loads with every function the backend calls. None of
// this needs a GPU.

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "nn/cuda/cublas_api.h"

using namespace hoshi::nn::cuda;

namespace {

std::string mappedLibraries() {
  std::ifstream maps("/proc/self/maps");
  std::string all, line;
  while (std::getline(maps, line)) all += line + "\n";
  return all;
}

}  // namespace

TEST_CASE("cublas api: a library that is not there is refused, naming it", "[cuda][cublas]") {
  try {
    loadCublas("/nonexistent/libcublas.so.99");
    FAIL("loaded a library that does not exist");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("cannot load cuBLAS from /nonexistent/libcublas.so.99"));
  }
  // A library without cuBLAS's functions.
  try {
    loadCublas("libz.so.1");
    FAIL("took zlib for cuBLAS");
  } catch (const std::runtime_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("cuBLAS at libz.so.1 has no cublasCreate_v2"));
  }
}

TEST_CASE("cublas api: loaded only when first used, with all four functions", "[cuda][cublas]") {
  // Nothing before has asked for cuBLAS in this process (each ctest case is
  // its own process), so it is not mapped yet.
  CHECK_THAT(mappedLibraries(), !Catch::Contains("libcublas"));
  const CublasApi& api = cublasApi();
  CHECK(api.create != nullptr);
  CHECK(api.destroy != nullptr);
  CHECK(api.setStream != nullptr);
  CHECK(api.gemmEx != nullptr);
  CHECK_FALSE(api.library.empty());
  CHECK(&cublasApi() == &api);
  CHECK_THAT(mappedLibraries(), Catch::Contains("libcublas"));
}

TEST_CASE("cublas api: the hoshi binary does not link cuBLAS", "[cuda][cublas]") {
  const std::string hoshi = std::string(HOSHI_BINARY_DIR) + "/hoshi";
  if (!std::ifstream(hoshi).good()) {
    WARN("skipped: " << hoshi << " not built");
    return;
  }
  FILE* p = ::popen(("readelf -d " + hoshi + " 2>&1").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  CHECK_THAT(out, Catch::Contains("(NEEDED)"));
  CHECK_THAT(out, !Catch::Contains("libcublas"));
}
