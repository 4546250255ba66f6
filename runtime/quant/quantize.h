#pragma once

// `hoshi quantize`: a KataGo net to a Hoshi model file, FP32, FP16 or INT8
// (the recipe in quant/xnnpack/int8_recipe.h). The command (app/) only
// parses its flags into QuantizeOptions.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace hoshi::quant {

struct QuantizeOptions {
  std::string model, out, precision = "int8", method = "auto";
  std::vector<std::string> calib;
  std::set<std::string> keepFloat;
  std::vector<double> equalize = {0, 0.25, 0.5, 0.75};
  std::string biasCorrection = "auto";
  std::string gptq = "off";
  int positions = 1000, maxFloat = 2, threads = 1, holdout = 0, selfplay = 0;
  std::set<std::string> floatAct;
  double targetTop1 = 0.975;
  bool floatActByKL = false;
  int maxFloatAct = -1;  // -1: a third of the block convolutions
  uint64_t seed = 1;
};

// Loads options.model, writes options.out, reads it back and prints what it
// wrote on stdout. Throws std::runtime_error (INT8 without XNNPACK built in,
// unreadable files, ...).
void quantizeModel(const QuantizeOptions& options);

}  // namespace hoshi::quant
