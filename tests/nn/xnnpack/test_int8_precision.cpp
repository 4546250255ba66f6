// nnPrecision = int8 with an INT8 Hoshi file: the engine picks the XNNPACK
// backend by itself (the default nnBackend, eigen, cannot run INT8 weights),
// checked through the real binary's ready line and kata-get-models.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "int8_fixture.h"
#include "nn/hoshi_model.h"
#include "quant/calibration.h"
#include "quant/positions.h"
#include "quant/table.h"
#include "quant/xnnpack/calibrate.h"

using namespace hoshi;
using namespace hoshi::nn;
using namespace hoshi::quant;
using namespace hoshi::nn::test;

namespace {

std::string smallInt8File() {
  auto states =
      samplePositions(listGameFiles({sharedDir() + "/sgf/golden-games"}), 8, 3).positions;
  RangeCalibrator ranges = calibrate(folded(), encode(states), 1);
  QuantTable table =
      buildQuantTable(*folded(), ranges, RangeCalibrator::Method::kLeastError, {});
  const std::string path = tempPath("int8-precision-", "b6c96.hoshi");
  writeHoshiModel(path, *folded(), &table, HoshiWriteOptions{});
  return path;
}

}  // namespace

TEST_CASE("int8 precision: nnPrecision=int8 with an INT8 file runs on XNNPACK", "[int8]") {
  if (!exists(modelPath())) return;
  const std::string hoshi = std::string(HOSHI_BINARY_DIR) + "/hoshi";
  if (!exists(hoshi)) {
    WARN("skipped: " << hoshi << " not built");
    return;
  }
  const std::string file = smallInt8File();
  const std::string prefix = HOSHI_RUN_PREFIX;
  const std::string command = "printf 'kata-get-models\\nboardsize 9\\ngenmove b\\nquit\\n' | " +
                              (prefix.empty() ? "" : prefix + " ") + hoshi + " gtp -model " +
                              file + " -override-config nnPrecision=int8,maxVisits=8 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  INFO(out);
  CHECK(status == 0);
  CHECK(out.find("backend xnnpack, precision int8") != std::string::npos);
  CHECK(out.find("\"backend\":\"xnnpack\",\"precision\":\"int8\"") != std::string::npos);
  CHECK(out.find("cannot create backend") == std::string::npos);
}
