// hoshi_export_nets DIR: small random KataGo nets of every model version the
// ONNX export supports (8..16), written as DIR/random-vN.bin.gz, with every
// block kind (ordinary, global pooling, nested bottleneck) and the
// activations of each version (ReLU; Mish and SiLU from version 11), for
// tests/export. Their weights mean nothing: Hoshi's Eigen backend is the
// reference their ONNX files are checked against.

#include <cstdio>
#include <exception>
#include <string>

#include "nn/model_writer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: hoshi_export_nets DIR\n", stderr);
    return 2;
  }
  try {
    for (int v = 8; v <= 16; ++v) {
      hoshi::test::WriterSpec spec;
      spec.version = v;
      spec.trunkChannels = 16;
      spec.midChannels = 16;
      spec.gpoolChannels = 8;
      spec.headChannels = 8;
      spec.valueChannels = 12;
      spec.initialKernel = v % 2 ? 3 : 5;
      spec.seed = uint64_t(1000 + v);
      using hoshi::test::WriterBlock;
      spec.blocks = {WriterBlock::kOrdinary, WriterBlock::kGlobalPooling, WriterBlock::kNested};
      if (v >= 11) spec.activation = v % 2 ? "ACTIVATION_MISH" : "ACTIVATION_SILU";
      if (v == 16) spec.activation = "ACTIVATION_RELU";
      hoshi::test::writeModelFile(
          std::string(argv[1]) + "/random-v" + std::to_string(v) + ".bin.gz", spec);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi_export_nets: %s\n", e.what());
    return 1;
  }
  return 0;
}
