// `hoshi quantize`: its flags into quant::QuantizeOptions; the pipeline is
// runtime/quant (quant/quantize.h, the INT8 recipe in quant/xnnpack).

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/commands.h"
#include "quant/quantize.h"

namespace hoshi::app {

namespace {

bool parseNumbers(const std::vector<std::string>& items, std::vector<double>& out) {
  out.clear();
  for (const std::string& s : items) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end || !(v >= 0 && v <= 1)) return false;
    out.push_back(v);
  }
  if (out.empty()) out = {0};
  return true;
}

// Every flag, its range and help; the defaults are QuantizeOptions'.
void declare(Cli& cli, quant::QuantizeOptions& a, std::string& floatActBy) {
  auto names = [](std::set<std::string>& out) {
    return [&out](const std::vector<std::string>& items) {
      out.insert(items.begin(), items.end());
      return true;
    };
  };
  cli.about(
         "  The defaults are the recipe that meets the INT8 accuracy bars (README, INT8);\n"
         "  each flag overrides its part. -calib is needed for int8 only.\n")
      .text("model", &a.model, "IN", "KataGo network (.bin.gz, .bin)")
      .paths("calib", &a.calib, "PATH", "SGF files or folders (searched for .sgf / .mgt)")
      .text("out", &a.out, "OUT", "Hoshi model file to write")
      .choice("precision", &a.precision, {"int8", "fp16", "fp32"},
              "int8 (default), fp16 or fp32 (weights only)")
      .integer("positions", &a.positions, 1, 1000000, "calibration positions (default 1000)")
      .choice("method", &a.method, {"mse", "auto", "percentile", "max", "mse-maxout"},
              "activation ranges: mse (default), auto (measure all),\n"
              "percentile, max, mse-maxout (mse, trunk-adding outputs unclipped)")
      .list("keep-float", "LIST",
            "block convolutions to keep in floating point (stored FP16),\n"
            "e.g. b0.conv1,b5.conv2",
            names(a.keepFloat))
      .integer("max-float", &a.maxFloat, 0, 1000,
               "most convolutions auto-kept in floating point (default 0)")
      .number("target-top1", &a.targetTop1, 0, 2,
              "then, while held-out top-1 agreement < T (default 0.99),\n"
              "run the INT8 convolution that helps most with float\n"
              "activations (weights stay INT8; XNNPACK runs it FP32);\n"
              "T above 1 takes all -max-float-act of them, ranked")
      .integer("max-float-act", &a.maxFloatAct, 0, 100000,
               "at most N such convolutions (default: every block\n"
               "convolution; each holds FP32 weights in memory)")
      .list("float-act", "LIST", "INT8 convolutions given float activations up front",
            names(a.floatAct))
      .choice("float-act-by", &floatActBy, {"kl", "top1"},
              "kl (default: lowest policy KL, ties by top-1) or top1\n"
              "(held-out top-1, ties by KL) picks each one")
      .list("equalize", "LIST",
            "cross-layer equalization strengths tried (0..1), best kept\n"
            "by measurement (default 0.5; 0 = off)",
            [&a](const std::vector<std::string>& items) { return parseNumbers(items, a.equalize); })
      .integer("holdout", &a.holdout, 0, 1000000,
               "calibration positions held out to measure choices\n"
               "(default 1000; 0: positions / 4, 50..400)")
      .choice("bias-correction", &a.biasCorrection, {"auto", "yes", "no"},
              "auto (default: where it measures better), yes, no")
      .choice("gptq", &a.gptq, {"on", "off", "auto"},
              "GPTQ weight rounding: on (default), off, auto (where it\n"
              "measures better); on/auto also choose -equalize with it")
      .integer("selfplay", &a.selfplay, 0, 1000000,
               "N of the positions (calibration and held out) from games\n"
               "the FP32 net plays itself on 7x7..19x19 (default 500)")
      .integer("threads", &a.threads, 1, 256, "threads (default 1)")
      .seed("seed", &a.seed, "position sampling seed (default 1)");
}

}  // namespace

int runQuantize(int argc, char** argv) {
  quant::QuantizeOptions a;
  std::string floatActBy = a.floatActByKL ? "kl" : "top1";
  Cli cli("hoshi quantize", "-model IN -calib PATH [PATH...] -out OUT [options]");
  declare(cli, a, floatActBy);
  if (const int rc = cli.parseOrExit(argc, argv); rc >= 0) return rc;
  a.floatActByKL = floatActBy == "kl";
  if (a.model.empty() || a.out.empty()) return cli.fail("-model and -out are required");
  if (a.precision == "int8" && a.calib.empty())
    return cli.fail("int8 needs -calib: SGF games to calibrate on");
  return cli.guard([&] {
    quant::quantizeModel(a);
    return 0;
  });
}

}  // namespace hoshi::app
