#pragma once

namespace hoshi {

// Reported by GTP `version` and `hoshi --version`.
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kName = "Hoshi";

}  // namespace hoshi
