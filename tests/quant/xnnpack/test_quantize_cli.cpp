// `hoshi quantize` through the real binary: with no recipe flags it runs the
// recipe of the README's INT8 section (its defaults), FP16 needs no
// calibration games, and its progress reaches a log (stderr not a terminal)
// as plain lines.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "nn/xnnpack/int8_fixture.h"

using namespace hoshi::nn::test;

namespace {

const char* const kCalib =
    " -calib /usr/share/goban/Hon-41-1.mgt /usr/share/goban/Hon-41-2.mgt"
    " /usr/share/goban/Hon-41-3.mgt";

}  // namespace

TEST_CASE("quantize: the defaults are the README's recipe", "[quant][int8]") {
  if (!exists(modelPath()) || !exists("/usr/share/goban/Hon-41-1.mgt")) return;
  const std::string out = tempPath("quantize-defaults", ".hoshi");
  std::remove(out.c_str());
  int status = -1;
  // Only the sizes are made small; every choice is left to the defaults.
  const std::string log = runHoshi("quantize -model " + modelPath() + kCalib +
                                       " -positions 12 -holdout 6 -selfplay 4 -out " + out,
                                   &status);
  if (log.empty()) return;
  INFO(log);
  CHECK(status == 0);
  CHECK_THAT(log, Catch::Contains("range method: mse\n"));  // -method mse
  CHECK_THAT(log, Catch::Contains("equalize 0.50"));        // -equalize 0.5, alone
  CHECK_THAT(log, !Catch::Contains("equalize 0.25"));
  CHECK_THAT(log, Catch::Contains("gptq ("));        // -gptq on
  CHECK_THAT(log, !Catch::Contains("sensitivity"));  // -max-float 0
  // -target-top1 0.99, -max-float-act: every one of b6c96's 14 block convolutions.
  CHECK_THAT(log, Catch::Contains("float activations: target top-1 0.9900, at most 14"));
  CHECK_THAT(log, Catch::Contains("self-play: 4/4 (100%)\n"));  // -selfplay, progress lines
  CHECK_THAT(log, Catch::Contains("held-out check (6 positions)"));
  CHECK_THAT(log, Catch::Contains("wrote " + out + ": int8"));
}

TEST_CASE("quantize: fp16 needs no calibration games", "[quant]") {
  if (!exists(modelPath())) return;
  const std::string out = tempPath("quantize-fp16", ".hoshi");
  std::remove(out.c_str());
  int status = -1;
  const std::string log =
      runHoshi("quantize -model " + modelPath() + " -precision fp16 -out " + out, &status);
  if (log.empty()) return;
  INFO(log);
  CHECK(status == 0);
  CHECK_THAT(log, Catch::Contains("wrote " + out + ": fp16"));
  const std::string info = runHoshi("info " + out, &status);
  CHECK(status == 0);
  CHECK_THAT(info, Catch::Contains("fp16"));
  // int8 still needs them, and says so.
  const std::string refused =
      runHoshi("quantize -model " + modelPath() + " -out " + out + ".int8", &status);
  CHECK(status != 0);
  CHECK_THAT(refused, Catch::Contains("-calib"));
  CHECK_FALSE(exists(out + ".int8"));
}
