// hoshi_random_net OUT.bin.gz [BLOCKS] [CHANNELS]: a random KataGo net
// (version 8, ordinary blocks with a global pooling block every third, 5x5
// initial conv) of the size people run on boards, for scripts/int8-memory.
// Its weights mean nothing; only its size and shape do.

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "nn/model_writer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: hoshi_random_net OUT.bin.gz [BLOCKS=18] [CHANNELS=384]\n", stderr);
    return 2;
  }
  const int blocks = argc > 2 ? std::atoi(argv[2]) : 18;
  const int channels = argc > 3 ? std::atoi(argv[3]) : 384;
  if (blocks < 1 || blocks > 64 || channels < 8 || channels > 1024) {
    std::fputs("hoshi_random_net: BLOCKS must be 1..64 and CHANNELS 8..1024\n", stderr);
    return 2;
  }
  hoshi::test::WriterSpec spec;
  spec.version = 8;
  spec.trunkChannels = channels;
  spec.midChannels = channels;
  spec.gpoolChannels = channels / 6;
  spec.headChannels = channels / 8;
  spec.valueChannels = channels / 3;
  spec.initialKernel = 5;
  spec.blocks.clear();
  for (int i = 0; i < blocks; ++i)
    spec.blocks.push_back(i % 3 == 2 ? hoshi::test::WriterBlock::kGlobalPooling
                                     : hoshi::test::WriterBlock::kOrdinary);
  try {
    hoshi::test::writeModelFile(argv[1], spec);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi_random_net: %s\n", e.what());
    return 1;
  }
  return 0;
}
