// The model loader: the real b6c96 net against its published description,
// random nets of every version written by the test writer, and many damaged
// files that must end in a clean exception.

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "nn/model.h"
#include "nn/model_writer.h"
#include "nn/test_model_common.h"

using namespace hoshi;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}

// Parsing must either succeed or throw std::runtime_error; anything else
// (crash, other exception type) fails the test.
bool parsesCleanly(const std::string& bytes) {
  try {
    nn::parseModel(bytes, true);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::string loadError(const std::string& path) {
  try {
    nn::loadModelFile(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("loader reads b6c96 as described by its info file", "[nn][model]") {
  auto m = nn::loadModelFile(test::b6c96Path());
  // Values from models/g170-b6c96-...-info.txt.
  std::string info =
      readFile(test::sharedDir() + "/models/g170-b6c96-s175395328-d26788732-info.txt");
  REQUIRE(info.find("\"version\": 8") != std::string::npos);
  REQUIRE(info.find("\"trunk_num_channels\": 96") != std::string::npos);
  CHECK(m->name == "g170-b6c96-s175395328-d26788732");
  CHECK(m->modelVersion == 8);
  CHECK(m->numInputChannels == 22);
  CHECK(m->numInputGlobalChannels == 19);
  CHECK(m->trunk.blocks.size() == 6);
  CHECK(m->trunk.trunkChannels == 96);
  CHECK(m->trunk.midChannels == 96);
  CHECK(m->trunk.regularChannels == 64);
  CHECK(m->trunk.gpoolChannels == 32);
  const char* kinds[] = {"regular", "regular", "gpool", "regular", "gpool", "regular"};
  for (int i = 0; i < 6; ++i) {
    INFO("block " << i);
    bool gpool = std::string(kinds[i]) == "gpool";
    CHECK((m->trunk.blocks[i].kind == nn::BlockKind::kGlobalPooling) == gpool);
    CHECK(m->trunk.blocks[i].name == "rconv" + std::to_string(i + 1));
    CHECK(m->trunk.blocks[i].conv1.outChannels == (gpool ? 64 : 96));
    if (gpool) CHECK(m->trunk.blocks[i].gpoolConv.outChannels == 32);
  }
  CHECK(m->policyHead.p1Conv.outChannels == 32);
  CHECK(m->policyHead.g1Conv.outChannels == 32);
  CHECK(m->valueHead.v1Conv.outChannels == 32);
  CHECK(m->valueHead.v2Mul.outChannels == 64);
  CHECK(m->numPolicyChannels == 1);
  CHECK(m->numScoreValueChannels == 4);
  CHECK(m->blockSummary() == "6 blocks (4 ordinary, 2 gpool)");
  // Parameters lie between the conv/dense weights and every float stored.
  int64_t convWeights = 0;
  for (const auto& b : m->trunk.blocks)
    convWeights +=
        int64_t(b.conv1.weights.size() + b.conv2.weights.size() + b.gpoolConv.weights.size());
  CHECK(m->parameterCount > convWeights);
  CHECK(m->parameterCount * 4 <= m->weightBytes() + 4 * 96 * 40);
  // Direct MACs at 19x19: 12 trunk 3x3 convs dominate.
  CHECK(m->directMacs(19, 19) > convWeights * 361);
  CHECK(m->directMacs(19, 19) < 2 * convWeights * 361);
}

TEST_CASE("loader reads random nets of versions 8..16", "[nn][model][writer]") {
  for (int version = 8; version <= 16; ++version) {
    INFO("version " << version);
    test::WriterSpec spec;
    spec.version = version;
    spec.seed = version;
    spec.blocks = {test::WriterBlock::kNested, test::WriterBlock::kGlobalPooling};
    if (version >= 11) spec.activation = "ACTIVATION_MISH";
    std::string path = test::tempPath("v" + std::to_string(version) + ".bin.gz");
    test::writeModelFile(path, spec);
    auto m = nn::loadModelFile(path);
    CHECK(m->modelVersion == version);
    CHECK(m->numPolicyChannels == (version >= 16 ? 4 : version >= 12 ? 2 : 1));
    CHECK(m->numScoreValueChannels == (version >= 9 ? 6 : 4));
    CHECK(m->policyHead.hasPassMlp == (version >= 15));
    CHECK(m->trunk.blocks[0].kind == nn::BlockKind::kNestedBottleneck);
    CHECK(m->trunk.blocks[0].inner.size() == 2);
    CHECK(m->trunk.blocks[0].inner[1].kind == nn::BlockKind::kGlobalPooling);
    CHECK(m->trunk.tipNorm.activation ==
          (version >= 11 ? nn::Activation::kMish : nn::Activation::kRelu));
    CHECK(m->postProcess.varianceTimeMultiplier == 40.0);
    std::remove(path.c_str());
  }
}

TEST_CASE("loader reads the text format (.txt.gz, .txt) to the same floats",
          "[nn][model][writer]") {
  test::WriterSpec spec;
  spec.version = 14;
  spec.blocks = {test::WriterBlock::kGlobalPooling, test::WriterBlock::kNested};
  nn::ModelDesc bin = nn::parseModel(test::writeModelBytes(spec), true);
  spec.binaryFloats = false;
  std::string text = test::writeModelBytes(spec);
  std::string gzPath = test::tempPath("text.txt.gz");
  std::string plainPath = test::tempPath("text.txt");
  writeFile(gzPath, test::gzipBytes(text));
  writeFile(plainPath, text);
  for (const std::string& path : {gzPath, plainPath}) {
    INFO(path);
    auto m = nn::loadModelFile(path);
    CHECK(m->parameterCount == bin.parameterCount);
    CHECK(m->trunk.initialConv.weights == bin.trunk.initialConv.weights);
    CHECK(m->trunk.blocks[1].inner[1].gpoolToBias.weights ==
          bin.trunk.blocks[1].inner[1].gpoolToBias.weights);
    CHECK(m->valueHead.ownershipConv.weights == bin.valueHead.ownershipConv.weights);
    CHECK(m->trunk.tipNorm.scale == bin.trunk.tipNorm.scale);
    std::remove(path.c_str());
  }
  // A text model read as binary is refused, not misread.
  CHECK_THROWS_AS(nn::parseModel(text, true), std::runtime_error);
}

TEST_CASE("loader transposes conv weights from the file's [y][x][in][out]", "[nn][model][writer]") {
  test::WriterSpec spec;
  spec.initialKernel = 5;
  std::string bytes = test::writeModelBytes(spec);
  size_t header = bytes.find("conv1\n5 5 22 8 1 1\n");
  REQUIRE(header != std::string::npos);
  size_t at = bytes.find("@BIN@", header) + 5;
  auto raw = [&](int y, int x, int ic, int oc) {
    float f;
    std::memcpy(&f, bytes.data() + at + 4 * (((y * 5 + x) * 22 + ic) * 8 + oc), 4);
    return f;
  };
  nn::ModelDesc m = nn::parseModel(bytes, true);
  const nn::ConvDesc& c = m.trunk.initialConv;
  for (int oc : {0, 3, 7})
    for (int ic : {0, 5, 21})
      for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 5; ++x)
          REQUIRE(c.weights[((oc * 22 + ic) * 5 + y) * 5 + x] == raw(y, x, ic, oc));
}

TEST_CASE("loader refuses damaged and foreign files cleanly", "[nn][model]") {
  test::WriterSpec spec;
  spec.blocks = {test::WriterBlock::kGlobalPooling, test::WriterBlock::kNested};
  spec.version = 15;
  const std::string good = test::writeModelBytes(spec);
  REQUIRE(parsesCleanly(good));

  SECTION("truncated at every offset") {
    // The last byte is the newline after the final float block.
    REQUIRE(good.back() == '\n');
    for (size_t n = 0; n + 1 < good.size(); ++n) REQUIRE_FALSE(parsesCleanly(good.substr(0, n)));
  }
  SECTION("b6c96 truncated at many offsets") {
    std::string real = nn::gunzip(readFile(test::b6c96Path()), size_t(1) << 30);
    for (size_t n = 0; n < real.size(); n += real.size() / 157 + 1)
      REQUIRE_FALSE(parsesCleanly(real.substr(0, n)));
  }
  SECTION("flipped bytes never crash") {
    std::mt19937 rng(3);
    int refused = 0;
    for (int trial = 0; trial < 400; ++trial) {
      std::string bad = good;
      size_t pos = rng() % bad.size();
      bad[pos] = char(bad[pos] ^ (1 << (rng() % 8)));
      if (!parsesCleanly(bad)) ++refused;
    }
    CHECK(refused > 0);
  }
  SECTION("wrong versions name the version") {
    std::string head = "random-test-net-v15\n15\n";
    REQUIRE(good.compare(0, head.size(), head) == 0);
    for (const char* v : {"7", "18", "99", "-1", "3"}) {
      std::string bad = "random-test-net\n" + std::string(v) + "\n" + good.substr(head.size());
      try {
        nn::parseModel(bad, true);
        FAIL("version " << v << " accepted");
      } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Catch::Contains(std::string("version ") + v));
      }
    }
  }
  SECTION("huge declared shapes do not allocate") {
    std::string bad =
        "x\n8\n22\n19\ntrunk\n1 4096 4096 4096 0 4096\nconv1\n9 9 4096 4096 1 1\n@BIN@abcd";
    REQUIRE_FALSE(parsesCleanly(bad));
    REQUIRE_FALSE(parsesCleanly("x 8 22 19 trunk 1000000 96 96 96 0 32"));
  }
  SECTION("files that are not models") {
    std::mt19937 rng(9);
    std::string noise(5000, '\0');
    for (char& c : noise) c = char(rng());
    struct Case {
      std::string name, bytes, expect;
    } cases[] = {
        {"empty.bin.gz", "", "empty"},
        {"text.bin.gz", "hello world\n", "gzip"},
        {"noise.bin.gz", noise, "gzip"},
        {"noise.bin", noise, ""},
        {"gzipnoise.bin.gz", test::gzipBytes(noise), ""},
        {"cut.bin.gz", test::gzipBytes(good).substr(0, 200), "gzip"},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      std::string path = test::tempPath(c.name);
      writeFile(path, c.bytes);
      std::string err = loadError(path);
      CHECK_FALSE(err.empty());
      CHECK_THAT(err, Catch::Contains(path));
      if (!c.expect.empty()) CHECK_THAT(err, Catch::Contains(c.expect));
      std::remove(path.c_str());
    }
    CHECK_THAT(loadError("/nonexistent/model.bin.gz"), Catch::Contains("cannot open"));
    CHECK_THAT(loadError(HOSHI_BINARY_DIR), Catch::Contains("is a directory"));
  }
}
