#pragma once

// The hashes Hoshi uses where a value must be the same on every platform and
// in every run (seeds, file fingerprints, the fake backend's outputs, cache
// keys): 64-bit FNV-1a and the splitmix64 finalizer. Not for security.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hoshi::util {

constexpr uint64_t kFnv1aOffset = 1469598103934665603ull;
constexpr uint64_t kFnv1aPrime = 1099511628211ull;

// One FNV-1a step with a whole word (a byte, or 32 bits at once).
constexpr uint64_t fnv1aStep(uint64_t h, uint64_t word) {
  return (h ^ word) * kFnv1aPrime;
}

// FNV-1a of n bytes, continuing from h (so a stream can be hashed in parts).
inline uint64_t fnv1a(const void* data, size_t n, uint64_t h = kFnv1aOffset) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = fnv1aStep(h, p[i]);
  return h;
}

inline uint64_t fnv1a(std::string_view text, uint64_t h = kFnv1aOffset) {
  return fnv1a(text.data(), text.size(), h);
}

// splitmix64's output function: a well-mixed 64-bit value from x.
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace hoshi::util
