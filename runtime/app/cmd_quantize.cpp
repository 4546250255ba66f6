// `hoshi quantize`: its flags into quant::QuantizeOptions; the pipeline is
// runtime/quant (quant/quantize.h, the INT8 recipe in quant/xnnpack).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "app/commands.h"
#include "quant/quantize.h"

namespace hoshi::app {

namespace {

constexpr const char* kQuantizeUsage =
    "usage: hoshi quantize -model IN -calib PATH [PATH...] -out OUT [options]\n"
    "  -model IN          KataGo network (.bin.gz, .bin)\n"
    "  -calib PATH...     SGF files or folders (searched for .sgf / .mgt)\n"
    "  -out OUT           Hoshi model file to write\n"
    "  -precision P       int8 (default), fp16 or fp32 (weights only)\n"
    "  -positions N       calibration positions (default 1000)\n"
    "  -method M          auto (default: measure all), percentile, mse, max,\n"
    "                     mse-maxout (mse, trunk-adding outputs unclipped)\n"
    "  -keep-float LIST   block convolutions to keep in floating point (stored FP16),\n"
    "                     e.g. b0.conv1,b5.conv2\n"
    "  -max-float K       most convolutions auto-kept in floating point (default 2)\n"
    "  -target-top1 T     then, while held-out top-1 agreement < T (default 0.975),\n"
    "                     run the INT8 convolution that helps most with float\n"
    "                     activations (weights stay INT8; XNNPACK runs it FP32);\n"
    "                     T above 1 takes all -max-float-act of them, ranked\n"
    "  -max-float-act K   at most K such convolutions (default: a third of the\n"
    "                     block convolutions; each holds FP32 weights in memory)\n"
    "  -float-act LIST    INT8 convolutions given float activations up front\n"
    "  -float-act-by C    top1 (default: held-out top-1, ties by KL) or kl (lowest\n"
    "                     policy KL, ties by top-1) picks each one\n"
    "  -equalize LIST     cross-layer equalization strengths tried, best kept by\n"
    "                     measurement (default 0,0.25,0.5,0.75; 0 = off)\n"
    "  -holdout N         calibration positions held out to measure choices\n"
    "                     (default positions / 4, 50..400)\n"
    "  -bias-correction B auto (default: where it measures better), yes, no\n"
    "  -gptq G            GPTQ weight rounding: off (default), on, auto (where it\n"
    "                     measures better); on/auto also choose -equalize with it\n"
    "  -selfplay N        N of the positions (calibration and held out) from games\n"
    "                     the FP32 net plays itself on 7x7..19x19 (default 0)\n"
    "  -threads N         threads (default 1)\n"
    "  -seed S            position sampling seed (default 1)\n";

bool parseQuantizeArgs(int argc, char** argv, quant::QuantizeOptions& a) {
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    if (k.size() > 2 && k[0] == '-' && k[1] == '-') k = k.substr(1);
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (k == "-calib") {
      while (i + 1 < argc && argv[i + 1][0] != '-') a.calib.push_back(argv[++i]);
      continue;
    }
    if (!(v = value())) {
      std::fprintf(stderr, "hoshi quantize: '%s' needs a value\n%s", k.c_str(), kQuantizeUsage);
      return false;
    }
    if (k == "-model")
      a.model = v;
    else if (k == "-out")
      a.out = v;
    else if (k == "-precision")
      a.precision = v;
    else if (k == "-method")
      a.method = v;
    else if (k == "-positions")
      a.positions = std::atoi(v);
    else if (k == "-max-float")
      a.maxFloat = std::atoi(v);
    else if (k == "-max-float-act")
      a.maxFloatAct = std::max(0, std::atoi(v));
    else if (k == "-target-top1") {
      char* end = nullptr;
      a.targetTop1 = std::strtod(v, &end);
      if (end == v || *end) a.targetTop1 = -1;  // not a number: refused below
    } else if (k == "-float-act-by") {
      if (std::string(v) != "top1" && std::string(v) != "kl") {
        std::fprintf(stderr, "hoshi quantize: -float-act-by must be top1 or kl\n");
        return false;
      }
      a.floatActByKL = std::string(v) == "kl";
    } else if (k == "-threads")
      a.threads = std::max(1, std::atoi(v));
    else if (k == "-seed")
      a.seed = std::strtoull(v, nullptr, 10);
    else if (k == "-holdout")
      a.holdout = std::atoi(v);
    else if (k == "-selfplay")
      a.selfplay = std::max(0, std::atoi(v));
    else if (k == "-bias-correction")
      a.biasCorrection = v;
    else if (k == "-gptq")
      a.gptq = v;
    else if (k == "-equalize") {
      a.equalize.clear();
      std::stringstream ss(v);
      for (std::string x; std::getline(ss, x, ',');)
        if (!x.empty()) a.equalize.push_back(std::atof(x.c_str()));
      if (a.equalize.empty()) a.equalize = {0};
    } else if (k == "-keep-float" || k == "-float-act") {
      std::stringstream ss(v);
      for (std::string c; std::getline(ss, c, ',');)
        if (!c.empty()) (k == "-float-act" ? a.floatAct : a.keepFloat).insert(c);
    } else {
      std::fprintf(stderr, "hoshi quantize: unknown option '%s'\n%s", k.c_str(), kQuantizeUsage);
      return false;
    }
  }
  if (a.model.empty() || a.out.empty() || (a.precision == "int8" && a.calib.empty()) ||
      (a.precision != "int8" && a.precision != "fp16" && a.precision != "fp32") ||
      a.positions < 1 || (a.gptq != "off" && a.gptq != "on" && a.gptq != "auto") ||
      !(a.targetTop1 >= 0 && a.targetTop1 <= 2)) {
    std::fputs(kQuantizeUsage, stderr);
    return false;
  }
  return true;
}

}  // namespace

int runQuantize(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kQuantizeUsage, stdout);
      return 0;
    }
  quant::QuantizeOptions a;
  if (!parseQuantizeArgs(argc, argv, a)) return 2;
  try {
    quant::quantizeModel(a);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi quantize: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
