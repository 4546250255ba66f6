// parseHoshiModel (the fuzz target's entry point) and regressions found by
// tests/fuzz/fuzz_hoshi_model.

#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/model_writer.h"

using namespace hoshi;

namespace {

nn::ModelDesc tinyV8Model() {
  test::WriterSpec spec;
  spec.version = 8;
  spec.trunkChannels = 4;
  spec.midChannels = 4;
  spec.gpoolChannels = 2;
  spec.headChannels = 2;
  spec.valueChannels = 3;
  spec.seed = 8;
  return nn::parseModel(test::writeModelBytes(spec), true);
}

std::string hoshiBytes(const nn::ModelDesc& model) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "hoshi-test-tiny-v8.hoshi").string();
  nn::HoshiWriteOptions w;
  w.precision = "fp32";
  nn::writeHoshiModel(path, model, nullptr, w);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return bytes;
}

// The fuzz seed corpus/hoshi_model/v8-fp32.hoshi: a tiny version 8 net as FP32.
std::string tinyV8HoshiBytes() {
  return hoshiBytes(tinyV8Model());
}

const uint8_t* u8(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

}  // namespace

// Found by fuzz_hoshi_model: a version 8 net has no pass MLP, so its pass bias
// is an empty tensor, and reading it passed the empty vector's null data()
// to memcpy (undefined behaviour, reported by UBSan).
TEST_CASE("a Hoshi file with an empty tensor reads back", "[nn][hoshi_model]") {
  const std::string bytes = tinyV8HoshiBytes();
  nn::LoadedModel loaded = nn::parseHoshiModel(u8(bytes), bytes.size());
  REQUIRE(loaded.model);
  CHECK(loaded.model->modelVersion == 8);
  CHECK(loaded.model->policyHead.passBias.weights.empty());
  CHECK(loaded.model->trunk.trunkChannels == 4);
  CHECK(loaded.info.fp32Tensors > 0);
}

TEST_CASE("parseHoshiModel refuses bytes that are not a Hoshi file", "[nn][hoshi_model]") {
  const std::string bytes = tinyV8HoshiBytes();
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(bytes), 10), "not a Hoshi model file (bad magic)");
  std::string damaged = bytes;
  damaged[bytes.size() / 2] = char(damaged[bytes.size() / 2] ^ 0x01);
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(damaged), damaged.size()),
                    Catch::Contains("checksum mismatch"));
}

// Found by fuzz_hoshi_model: the reader took every layer's dimensions as
// written, so a file (with valid checksums) whose value head says v2 has more
// outputs than its weights hold made the Eigen backend read past them.
TEST_CASE("a Hoshi file whose layers do not fit together is refused", "[nn][hoshi_model]") {
  nn::ModelDesc bad = tinyV8Model();
  bad.valueHead.v2Mul.outChannels += 5;
  const std::string bytes = hoshiBytes(bad);
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(bytes), bytes.size()),
                    Catch::Contains("layer '" + bad.valueHead.v2Mul.name + "'") &&
                        Catch::Contains("weight count"));

  nn::ModelDesc mismatch = tinyV8Model();
  mismatch.trunk.blocks[0].conv2.outChannels = 3;
  mismatch.trunk.blocks[0].conv2.weights.resize(size_t(3) *
                                                mismatch.trunk.blocks[0].conv2.inChannels * 9);
  const std::string bytes2 = hoshiBytes(mismatch);
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(bytes2), bytes2.size()),
                    Catch::Contains("output channels is 3, expected 4"));
}

// Found by fuzz_hoshi_model: an ordinary block carrying a global pooling
// convolution with many output channels and no weights (its kernel 0x0) read
// fine, and the Eigen backend sized its planes by it (the fuzzer's input,
// kept in the corpus, asked for 168 GB).
TEST_CASE("a Hoshi file with layers its block kind does not use is refused", "[nn][hoshi_model]") {
  nn::ModelDesc bad = tinyV8Model();
  REQUIRE(bad.trunk.blocks[0].kind == nn::BlockKind::kOrdinary);
  bad.trunk.blocks[0].gpoolConv.outChannels = 60000;
  const std::string bytes = hoshiBytes(bad);
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(bytes), bytes.size()),
                    Catch::Contains("global pooling layers its kind does not use"));
}

// Found by fuzz_hoshi_model: channel counts near INT_MAX overflowed the
// 64-bit weight count out * in * ky * kx (undefined behaviour, UBSan). The
// writer refuses such a layer too, so the dimensions are patched into a good
// file and the section checksums recomputed.
TEST_CASE("a Hoshi convolution with absurd channel counts is refused", "[nn][hoshi_model]") {
  const nn::ModelDesc model = tinyV8Model();
  const std::string name = model.trunk.blocks[0].conv1.name;
  std::string bytes = hoshiBytes(model);
  const size_t at = bytes.find(name);
  REQUIRE(at != std::string::npos);
  const int32_t dims[4] = {15, 15, 2147483647, 2147483647};  // ky, kx, in, out
  std::memcpy(&bytes[at + name.size()], dims, sizeof dims);
  // Sections: tag, crc32, u64 size, payload, after the 16-byte file header.
  for (size_t pos = 16; pos + 16 <= bytes.size();) {
    uint64_t n;
    std::memcpy(&n, &bytes[pos + 8], 8);
    const uint32_t crc = uint32_t(crc32(0L, u8(bytes) + pos + 16, uInt(n)));
    std::memcpy(&bytes[pos + 4], &crc, 4);
    pos += 16 + size_t(n);
  }
  CHECK_THROWS_WITH(nn::parseHoshiModel(u8(bytes), bytes.size()),
                    Catch::Contains("'" + name + "' has bad dimensions"));
}
