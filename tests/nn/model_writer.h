#pragma once

// Test-only writer of small random KataGo nets in the binary model format
// (what KataGo's python exporter writes), so the loader and backends can be
// exercised on every architecture of versions 8..16 without real weights.

#include <cstdint>
#include <string>
#include <vector>

namespace hoshi::test {

enum class WriterBlock { kOrdinary, kGlobalPooling, kNested };

struct WriterSpec {
  int version = 10;
  int trunkChannels = 8;
  int midChannels = 8;
  int gpoolChannels = 4;
  int headChannels = 4;   // p1, g1, v1 channels
  int valueChannels = 6;  // v2 size
  int initialKernel = 3;  // 3 or 5
  std::vector<WriterBlock> blocks = {WriterBlock::kOrdinary, WriterBlock::kGlobalPooling};
  std::string activation = "ACTIVATION_RELU";  // used by version 11+
  uint64_t seed = 1;
  bool binaryFloats = true;  // false: KataGo's .txt format (floats as text)
};

// The uncompressed model bytes.
std::string writeModelBytes(const WriterSpec& spec);
// gzip of any bytes (zlib, gzip header).
std::string gzipBytes(const std::string& bytes);
// Writes writeModelBytes(spec), gzipped, to path.
void writeModelFile(const std::string& path, const WriterSpec& spec);

}  // namespace hoshi::test
