// FP16 rounding of the exporter and its all-or-nothing output file.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>

#include "export/atomic_file.h"
#include "export/half.h"
#include "export/onnx_export.h"

using hoshi::exporter::AtomicFile;
using hoshi::exporter::floatToHalf;
using hoshi::exporter::halfToFloat;

TEST_CASE("fp16: exact values, rounding to nearest even, range ends") {
  CHECK(floatToHalf(1.0f) == 0x3c00);
  CHECK(floatToHalf(-2.0f) == 0xc000);
  CHECK(floatToHalf(65504.0f) == 0x7bff);
  CHECK(floatToHalf(65520.0f) == 0x7c00);  // rounds past the largest half
  CHECK(floatToHalf(std::numeric_limits<float>::infinity()) == 0x7c00);
  CHECK((floatToHalf(std::nanf("")) & 0x7c00) == 0x7c00);
  CHECK((floatToHalf(std::nanf("")) & 0x3ff) != 0);
  CHECK(floatToHalf(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(floatToHalf(std::ldexp(1.0f, -26)) == 0x0000);  // below half of it
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to even (1).
  CHECK(floatToHalf(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);
  CHECK(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);
  // Every half value survives the round trip.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue;  // nan
    REQUIRE(floatToHalf(halfToFloat(uint16_t(h))) == h);
  }
}

TEST_CASE("fp16 parts kept in FP32: parsed, unknown ones refused") {
  auto k = hoshi::exporter::parseFp16Keep("heads,pooling");
  CHECK(k.heads);
  CHECK(k.pooling);
  CHECK_FALSE(k.residual);
  CHECK_FALSE(hoshi::exporter::parseFp16Keep("none").heads);
  CHECK(hoshi::exporter::parseFp16Keep("all").residual);
  CHECK_THROWS_AS(hoshi::exporter::parseFp16Keep("trunk"), std::invalid_argument);
}

TEST_CASE("atomic file: appears only on commit, nothing left otherwise") {
  const std::string path = std::string(HOSHI_BINARY_DIR) + "/atomic-file-test.txt";
  std::remove(path.c_str());
  {
    AtomicFile f(path);
    f.stream() << "half written";
    // destroyed without commit, as on an exception
  }
  CHECK_FALSE(std::ifstream(path).good());
  {
    AtomicFile f(path);
    f.stream() << "complete";
    f.commit();
  }
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  CHECK(s == "complete");
  std::remove(path.c_str());
  CHECK_THROWS_WITH(AtomicFile("/nonexistent-dir/x.onnx"),
                    Catch::Contains("cannot write '/nonexistent-dir/x.onnx'"));
  CHECK_THROWS_WITH(AtomicFile(HOSHI_BINARY_DIR), Catch::Contains("it is a folder"));
}
