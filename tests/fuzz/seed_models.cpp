// Writes the seed corpora of fuzz_katago_model and fuzz_hoshi_model: tiny
// random KataGo nets of versions 8..16 from the test model writer
// (tests/nn/model_writer.h), binary, text and gzipped, and Hoshi files made
// from one of them in FP32, FP16 and INT8 (with a hand-made QuantTable: the
// values only need to be valid, not calibrated).
//
//   fuzz_seed_models OUT_DIR    -> OUT_DIR/katago_model/*, OUT_DIR/hoshi_model/*

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "nn/hoshi_model.h"
#include "nn/model.h"
#include "nn/model_writer.h"
#include "nn/quant.h"

using namespace hoshi;
namespace fs = std::filesystem;

namespace {

void save(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

test::WriterSpec tinySpec(int version) {
  test::WriterSpec s;
  s.version = version;
  s.trunkChannels = 4;
  s.midChannels = 4;
  s.gpoolChannels = 2;
  s.headChannels = 2;
  s.valueChannels = 3;
  s.seed = uint64_t(version);
  if (version >= 11) s.activation = version % 2 ? "ACTIVATION_MISH" : "ACTIVATION_RELU";
  return s;
}

void katagoSeeds(const fs::path& dir) {
  for (int v = 8; v <= 16; ++v) {
    test::WriterSpec s = tinySpec(v);
    if (v == 10) s.blocks = {test::WriterBlock::kNested};
    if (v == 14) s.initialKernel = 5;
    save(dir / ("v" + std::to_string(v) + ".bin"), test::writeModelBytes(s));
  }
  test::WriterSpec text = tinySpec(12);
  text.binaryFloats = false;
  text.blocks = {test::WriterBlock::kOrdinary};
  save(dir / "v12.txt", test::writeModelBytes(text));
  save(dir / "v9.bin.gz", test::gzipBytes(test::writeModelBytes(tinySpec(9))));
}

// Every block tensor and convolution quantised, one with per-channel factors.
nn::QuantTable tinyQuant(const nn::ModelDesc& model) {
  nn::QuantTable q;
  for (int b = 0; b < int(model.trunk.blocks.size()); ++b) {
    for (const char* t : {"in", "c1", "mid", "gpool", "out"}) {
      nn::TensorQuant tq;
      tq.scale = 0.05f;
      tq.zeroPoint = std::string(t) == "mid" ? -128 : 0;
      q.tensors[nn::blockTensor(b, t)] = tq;
    }
    q.tensors[nn::blockTensor(b, "out")].outScale = 0.04f;
    q.tensors[nn::blockTensor(b, "out")].channel.assign(size_t(model.trunk.trunkChannels), 1.5f);
    for (const char* c : {"conv1", "conv2"}) q.int8Convs.insert(nn::blockTensor(b, c));
  }
  return q;
}

void hoshiSeeds(const fs::path& katagoDir, const fs::path& dir) {
  auto model = nn::loadModelFile((katagoDir / "v8.bin").string());
  nn::ModelDesc folded = nn::foldNorms(*model);
  nn::QuantTable quant = tinyQuant(folded);
  for (const char* precision : {"fp32", "fp16", "int8"}) {
    nn::HoshiWriteOptions w;
    w.precision = precision;
    w.meta["source"] = "v8.bin";
    w.meta["calibration"] = "fuzz seed";
    const bool int8 = std::string(precision) == "int8";
    nn::writeHoshiModel((dir / (std::string("v8-") + precision + ".hoshi")).string(),
                        int8 ? folded : *model, int8 ? &quant : nullptr, w);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  fs::create_directories(out / "katago_model");
  fs::create_directories(out / "hoshi_model");
  katagoSeeds(out / "katago_model");
  hoshiSeeds(out / "katago_model", out / "hoshi_model");
  return 0;
}
