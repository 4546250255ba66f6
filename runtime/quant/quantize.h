#pragma once

// `hoshi quantize`: a KataGo net to a Hoshi model file, FP32, FP16 or INT8
// (the recipe in quant/xnnpack/int8_recipe.h). The command (app/) only
// parses its flags into QuantizeOptions.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace hoshi::quant {

// The defaults are the recipe that meets the accuracy bars on b6c96 (top-1
// >= 97% against FP32 on the golden and the professional positions; see
// bench/int8/ and the README's INT8 section): mse ranges, equalization 0.5,
// GPTQ weights, no FP16 layers, float activations chosen by policy KL until
// the held-out top-1 reaches 99%, 500 self-play positions among the 1000
// calibration ones and 1000 held out.
struct QuantizeOptions {
  std::string model, out, precision = "int8", method = "mse";
  std::vector<std::string> calib;
  std::set<std::string> keepFloat;
  std::vector<double> equalize = {0.5};
  std::string biasCorrection = "auto";
  std::string gptq = "on";
  int positions = 1000, maxFloat = 0, threads = 1, holdout = 1000, selfplay = 500;
  std::set<std::string> floatAct;
  double targetTop1 = 0.99;
  bool floatActByKL = true;
  int maxFloatAct = -1;  // -1: every block convolution (the target decides)
  uint64_t seed = 1;
};

// Loads options.model, writes options.out, reads it back and prints what it
// wrote on stdout. Throws std::runtime_error (INT8 without XNNPACK built in,
// unreadable files, ...).
void quantizeModel(const QuantizeOptions& options);

}  // namespace hoshi::quant
