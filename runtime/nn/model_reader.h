#pragma once

// Bounds-checked tokenizer over a decompressed KataGo model. Every read
// validates against what is left of the buffer, so a damaged file ends in a
// std::runtime_error, never in a crash or a huge allocation.

#include <cstddef>
#include <string>
#include <vector>

namespace hoshi::nn {

class ModelReader {
 public:
  ModelReader(const std::string& bytes, bool binaryFloats)
      : data_(bytes), binaryFloats_(binaryFloats) {}

  // Next whitespace-separated token (at most 256 characters).
  std::string token(const char* what);
  // An integer token within [lo, hi].
  int intIn(const char* what, int lo, int hi);
  double number(const char* what);
  // n floats, either an "@BIN@" little-endian block or n text tokens; all
  // must be finite.
  std::vector<float> floats(size_t n, const std::string& what);

  size_t offset() const { return pos_; }
  bool binaryFloats() const { return binaryFloats_; }

  [[noreturn]] void fail(const std::string& message) const;

 private:
  void skipSpace();

  const std::string& data_;
  bool binaryFloats_;
  size_t pos_ = 0;
};

}  // namespace hoshi::nn
