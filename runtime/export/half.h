#pragma once

// IEEE 754 binary16 conversion (round to nearest even), for FP16 weights.

#include <cstdint>

namespace hoshi::exporter {

uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

}  // namespace hoshi::exporter
