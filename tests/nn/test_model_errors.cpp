// The model errors a user can cause, through the API the engine loads models
// with (Evaluator::load): a missing file, a damaged KataGo file, a damaged
// Hoshi file. Each is refused with a message naming the file and the damage,
// and a good file loads afterwards in the same process.

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "model_writer.h"
#include "nn/evaluator.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "test_model_common.h"

using namespace hoshi;

namespace {

std::string loadError(const std::string& path) {
  try {
    nn::Evaluator::load(path, nn::EvaluatorOptions{});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

test::WriterSpec smallSpec() {
  test::WriterSpec spec;
  spec.version = 10;
  spec.seed = 17;
  return spec;
}

}  // namespace

TEST_CASE("model errors: a missing model is named with the reason", "[nn][errors]") {
  CHECK(loadError("/nonexistent/model.bin.gz") ==
        "cannot load model /nonexistent/model.bin.gz: cannot open file");
  CHECK(loadError(HOSHI_BINARY_DIR) ==
        std::string("cannot load model ") + HOSHI_BINARY_DIR + ": is a directory");
  CHECK(loadError("") != "");
}

TEST_CASE("model errors: a truncated .bin.gz is refused, the good file still loads",
          "[nn][errors]") {
  const std::string good = test::tempPath("errors-good.bin.gz");
  test::writeModelFile(good, smallSpec());
  REQUIRE(loadError(good) == "");
  const std::string bytes = readFile(good);
  REQUIRE(bytes.size() > 200);

  const std::string cut = test::tempPath("errors-cut.bin.gz");
  for (size_t n : {size_t(10), size_t(100), bytes.size() / 2, bytes.size() - 9}) {
    INFO("kept " << n << " of " << bytes.size() << " bytes");
    writeFile(cut, bytes.substr(0, n));
    std::string err = loadError(cut);
    CHECK_THAT(err, Catch::StartsWith("cannot load model " + cut + ": "));
    CHECK_THAT(err, Catch::Contains("gzip"));
  }
  // Good gzip of a cut model: the parser, not gunzip, refuses it.
  std::string raw = test::writeModelBytes(smallSpec());
  writeFile(cut, test::gzipBytes(raw.substr(0, raw.size() / 2)));
  CHECK_THAT(loadError(cut), Catch::StartsWith("cannot load model " + cut + ": "));
  CHECK(loadError(good) == "");
  std::remove(cut.c_str());
  std::remove(good.c_str());
}

TEST_CASE("model errors: a damaged Hoshi model file names the damage", "[nn][errors]") {
  auto model = std::make_shared<nn::ModelDesc>(
      nn::parseModel(test::writeModelBytes(smallSpec()), /*binaryFloats=*/true));
  const std::string good = test::tempPath("errors-good.hoshi");
  nn::HoshiWriteOptions options;
  options.precision = "fp32";
  nn::writeHoshiModel(good, *model, nullptr, options);
  REQUIRE(nn::isHoshiModelFile(good));
  REQUIRE(loadError(good) == "");
  const std::string bytes = readFile(good);
  const std::string bad = test::tempPath("errors-bad.hoshi");

  // Header: magic, version, count (16 bytes); then the META section. The
  // flipped byte sits in the middle of the file: NETW, the big section.
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = char(flipped[bytes.size() / 2] ^ 0x10);
  writeFile(bad, flipped);
  CHECK(loadError(bad) ==
        "Hoshi model '" + bad + "': checksum mismatch in section NETW (file damaged)");

  writeFile(bad, bytes.substr(0, bytes.size() - 7));
  CHECK(loadError(bad) == "Hoshi model '" + bad + "': truncated: section NETW ends past the file");

  writeFile(bad, bytes + "x");
  CHECK(loadError(bad) == "Hoshi model '" + bad + "': trailing bytes after the last section");

  std::string version = bytes;
  version[8] = 3;
  writeFile(bad, version);
  CHECK(loadError(bad) ==
        "Hoshi model '" + bad +
            "': format version 3 is not supported (this build reads versions 1 to 2)");

  CHECK(loadError(good) == "");
  std::remove(bad.c_str());
  std::remove(good.c_str());
}

TEST_CASE("model errors: a NaN or infinite weight is refused naming its layer", "[nn][errors]") {
  // KataGo file: the first weight of the first float block made NaN.
  std::string bytes = test::writeModelBytes(smallSpec());
  const size_t at = bytes.find("@BIN@");
  REQUIRE(at != std::string::npos);
  const uint32_t nanBits = 0x7fc00000u;
  std::memcpy(&bytes[at + 5], &nanBits, 4);
  const std::string bad = test::tempPath("errors-nan.bin.gz");
  writeFile(bad, test::gzipBytes(bytes));
  const std::string why = loadError(bad);
  INFO(why);
  CHECK(why.find("NaN or infinite weight") != std::string::npos);
  CHECK(why.find(bad) != std::string::npos);

  // Hoshi file: a norm's scale made infinite is named by the layer check.
  auto model = std::make_shared<nn::ModelDesc>(
      nn::parseModel(test::writeModelBytes(smallSpec()), /*binaryFloats=*/true));
  model->trunk.blocks[0].preNorm.scale[0] = std::numeric_limits<float>::infinity();
  const std::string hoshi = test::tempPath("errors-inf.hoshi");
  nn::HoshiWriteOptions options;
  options.precision = "fp32";
  nn::writeHoshiModel(hoshi, *model, nullptr, options);
  const std::string hoshiWhy = loadError(hoshi);
  INFO(hoshiWhy);
  CHECK(hoshiWhy.find("layer '" + model->trunk.blocks[0].preNorm.name +
                      "': NaN or infinite weight") != std::string::npos);
}
