#include "nn/model_reader.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace hoshi::nn {

namespace {

constexpr size_t kMaxTokenLength = 256;
// KataGo writes a newline between a layer header and its "@BIN@"; allow some
// slack but not an unbounded scan.
constexpr int kMaxBytesBeforeBinMarker = 100;

}  // namespace

void ModelReader::fail(const std::string& message) const {
  throw std::runtime_error(message + " (at byte " + std::to_string(pos_) + ")");
}

void ModelReader::skipSpace() {
  while (pos_ < data_.size() && std::isspace(static_cast<unsigned char>(data_[pos_]))) ++pos_;
}

std::string ModelReader::token(const char* what) {
  skipSpace();
  size_t start = pos_;
  while (pos_ < data_.size() && !std::isspace(static_cast<unsigned char>(data_[pos_]))) {
    ++pos_;
    if (pos_ - start > kMaxTokenLength)
      fail(std::string("unreadable ") + what + ": token too long");
  }
  if (start == pos_) fail(std::string("unexpected end of model while reading ") + what);
  return data_.substr(start, pos_ - start);
}

int ModelReader::intIn(const char* what, int lo, int hi) {
  std::string t = token(what);
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (end != t.c_str() + t.size() || errno != 0)
    fail(std::string("expected an integer for ") + what + ", found '" + t + "'");
  if (v < lo || v > hi)
    fail(std::string(what) + " = " + t + " is outside [" + std::to_string(lo) + ", " +
         std::to_string(hi) + "]");
  return static_cast<int>(v);
}

double ModelReader::number(const char* what) {
  std::string t = token(what);
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v))
    fail(std::string("expected a finite number for ") + what + ", found '" + t + "'");
  return v;
}

std::vector<float> ModelReader::floats(size_t n, const std::string& what) {
  std::vector<float> out;
  if (binaryFloats_) {
    int skipped = 0;
    while (pos_ < data_.size() && data_[pos_] != '@') {
      ++pos_;
      if (++skipped > kMaxBytesBeforeBinMarker)
        fail(what + ": no @BIN@ float block (is this a text model named .bin?)");
    }
    if (data_.compare(pos_, 5, "@BIN@") != 0) fail(what + ": missing @BIN@ float block header");
    pos_ += 5;
    if (n > (data_.size() - pos_) / 4)
      fail(what + ": file ends inside its weights (" + std::to_string(n) + " floats expected)");
    out.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(data_.data() + pos_ + 4 * i);
      uint32_t bits =
          uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
      float f;
      std::memcpy(&f, &bits, 4);
      out[i] = f;
    }
    pos_ += 4 * n;
  } else {
    // Every text float needs at least one digit and one separator.
    if (n > (data_.size() - pos_) / 2)
      fail(what + ": file ends inside its weights (" + std::to_string(n) + " floats expected)");
    out.resize(n);
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(number(what.c_str()));
  }
  for (float f : out)
    if (!std::isfinite(f)) fail(what + ": NaN or infinite weight");
  return out;
}

}  // namespace hoshi::nn
