#include "export/half.h"

#include <cstring>

namespace hoshi::exporter {

uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t absBits = x & 0x7fffffffu;
  if (absBits >= 0x7f800000u)  // inf or nan (nan keeps a mantissa bit)
    return uint16_t(sign | 0x7c00u | (absBits > 0x7f800000u ? 0x200u : 0u));
  if (absBits >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // rounds past 65504
  const int exponent = int(absBits >> 23) - 127;
  if (exponent < -25) return uint16_t(sign);  // below half the smallest subnormal
  uint32_t mantissa = (absBits & 0x7fffffu) | 0x800000u;
  int shift;
  uint32_t base;
  if (exponent < -14) {  // subnormal half
    shift = -exponent - 14 + 13;
    base = 0;
  } else {
    shift = 13;
    base = uint32_t(exponent + 15) << 10;
    mantissa &= 0x7fffffu;
  }
  const uint32_t kept = mantissa >> shift;
  const uint32_t rest = mantissa & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  uint32_t out = base + kept;
  if (rest > half || (rest == half && (kept & 1u))) ++out;  // may carry into the exponent
  return uint16_t(sign | out);
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    int e = 113;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (uint32_t(e) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

}  // namespace hoshi::exporter
