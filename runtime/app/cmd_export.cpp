// `hoshi export`: a network as an ONNX file, and the tensor files with which
// scripts/onnx-check runs that file in ONNX Runtime on golden positions.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <string>

#include "app/cli.h"
#include "app/commands.h"
#include "config/version.h"
#include "export/atomic_file.h"
#include "export/golden_io.h"
#include "export/onnx_export.h"
#include "export/tensor_files.h"
#include "nn/hoshi_model.h"
#include "nn/model.h"

namespace hoshi::app {

namespace {

struct ExportArgs {
  std::string model, format, out, golden, raw, reference;
  exporter::OnnxOptions onnx;
  int limit = 0;
  int threads = 1;
  int benchmarkInputs = 0;
  int size = 19;
};

// A whole number, range-checked after parsing (check) with messages naming
// the format it belongs to.
std::function<std::string(const std::string&)> wholeNumber(int* out) {
  return [out](const std::string& v) {
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || x < -1000000 || x > 1000000) return std::string("not a whole number");
    *out = int(x);
    return std::string();
  };
}

Cli exportCli(ExportArgs& a) {
  Cli cli("hoshi export",
          "-model NET -format onnx -out FILE.onnx\n"
          "                    [-precision fp32|fp16|fp16-emulated]\n"
          "                    [-opset 13..17] [-fp16-fp32 residual,pooling,heads|none|all]\n"
          "       hoshi export -model NET -format features -golden G.jsonl -out FEATURES.bin\n"
          "                    [-reference RAW.bin] [-limit N] [-threads N]\n"
          "       hoshi export -model NET -format features -benchmark-inputs N [-size S]\n"
          "                    -out FEATURES.bin\n"
          "       hoshi export -model NET -format kata-raw-nn -golden G.jsonl -raw RAW.bin\n"
          "                    -out ANSWERS.jsonl [-limit N]");
  cli.about(
         "  onnx         the net as ONNX (inputs and outputs: README, \"ONNX export\").\n"
         "               fp16 keeps the parts -fp16-fp32 names in FP32 (default: heads);\n"
         "               fp16-emulated: FP32 tensors holding FP16 values (measurement)\n"
         "  features     Hoshi's encoded inputs of each golden position (-reference: also\n"
         "               the raw outputs of Hoshi's Eigen backend for them); or the N\n"
         "               positions `hoshi benchmark --nn-only --batch N` times\n"
         "  kata-raw-nn  raw outputs (from ONNX Runtime) post-processed like kata-raw-nn,\n"
         "               one JSON line per position with the golden file's field names\n"
         "The output file appears only when complete; on any error none is left.\n"
         "options:\n")
      .text("model", &a.model, "NET", "the network (KataGo .bin/.bin.gz or Hoshi file)")
      .text("format", &a.format, "F", "onnx, features or kata-raw-nn")
      .text("out", &a.out, "FILE", "the file written")
      .text("precision", &a.onnx.precision, "P", "onnx: fp32, fp16 or fp16-emulated")
      .custom("opset", "N", "onnx: ONNX opset, 13..17", wholeNumber(&a.onnx.opset))
      .custom("fp16-fp32", "PARTS",
              "onnx fp16: parts kept in FP32 (residual,pooling,heads|none|all)",
              [&a](const std::string& v) {
                a.onnx.keep = exporter::parseFp16Keep(v);  // throws for an unknown part
                return std::string();
              })
      .text("golden", &a.golden, "G.jsonl", "features, kata-raw-nn: the golden positions")
      .text("raw", &a.raw, "RAW.bin", "kata-raw-nn: ONNX Runtime's raw outputs")
      .text("reference", &a.reference, "RAW.bin", "features: also write the Eigen raw outputs")
      .custom("limit", "N", "the first N golden positions (0: all)", wholeNumber(&a.limit))
      .custom("threads", "N", "threads of the Eigen reference, 1..256", wholeNumber(&a.threads))
      .custom("benchmark-inputs", "N", "features: the N positions of the benchmark, 1..4096",
              wholeNumber(&a.benchmarkInputs))
      .custom("size", "N", "board size of those, 2..19", wholeNumber(&a.size));
  return cli;
}

// What the flags cannot say alone; returns "" or the usage error.
std::string check(const ExportArgs& a) {
  if (a.model.empty()) return "-model is required";
  if (a.out.empty()) return "-out is required";
  if (a.format == "onnx") {
    if (a.onnx.precision != "fp32" && a.onnx.precision != "fp16" &&
        a.onnx.precision != "fp16-emulated")
      return "-precision must be fp32, fp16 or fp16-emulated, got '" + a.onnx.precision + "'";
    if (a.onnx.opset < 13 || a.onnx.opset > 17)
      return "-opset must be 13..17, got " + std::to_string(a.onnx.opset);
    return "";
  }
  if (a.format != "features" && a.format != "kata-raw-nn")
    return "-format must be onnx, features or kata-raw-nn";
  if (a.format == "features" && a.benchmarkInputs != 0) {
    if (a.benchmarkInputs < 1 || a.benchmarkInputs > 4096)
      return "-benchmark-inputs must be 1..4096";
    if (a.size < 2 || a.size > 19) return "-size must be 2..19";
    return "";
  }
  if (a.golden.empty()) return "-format " + a.format + " needs -golden FILE.jsonl";
  if (a.format == "kata-raw-nn" && a.raw.empty()) return "-format kata-raw-nn needs -raw RAW.bin";
  if (a.threads < 1 || a.threads > 256) return "-threads must be 1..256";
  return "";
}

int run(const ExportArgs& a) {
  nn::LoadedModel loaded = nn::loadAnyModel(a.model);
  const std::shared_ptr<const nn::ModelDesc> model = nn::floatModel(loaded);
  loaded = nn::LoadedModel{};
  if (a.format == "onnx") {
    exporter::OnnxOptions options = a.onnx;
    options.producerVersion = kVersion;
    exporter::exportOnnx(*model, options, a.out);
    std::printf("hoshi export: wrote %s (%s, opset %d)\n", a.out.c_str(), options.precision.c_str(),
                options.opset);
    return 0;
  }
  if (a.benchmarkInputs > 0) {
    exporter::writeFeatures(a.out, *model,
                            exporter::benchmarkPositions(*model, a.size, a.benchmarkInputs));
    return 0;
  }
  const quant::GoldenPositions positions = quant::loadGoldenPositions(a.golden, a.limit);
  const std::vector<nn::EncodedPosition> inputs = exporter::encodePositions(model, positions);
  if (a.format == "features") {
    exporter::writeFeatures(a.out, *model, inputs);
    if (!a.reference.empty())
      exporter::writeRaw(a.reference, *model, exporter::eigenOutputs(model, inputs, a.threads));
    return 0;
  }
  const std::vector<nn::NetOutput> outputs =
      exporter::postprocessOutputs(*model, inputs, exporter::readRaw(a.raw, *model));
  exporter::AtomicFile file(a.out);
  for (size_t i = 0; i < outputs.size(); ++i)
    file.stream() << exporter::netOutputJson(positions.ids[i], outputs[i]) << '\n';
  file.commit();
  return 0;
}

}  // namespace

int runExport(int argc, char** argv) {
  ExportArgs a;
  Cli cli = exportCli(a);
  try {
    if (int early = cli.parseOrExit(argc, argv); early >= 0) return early;
  } catch (const std::invalid_argument& e) {
    return cli.fail(e.what());
  }
  if (const std::string why = check(a); !why.empty()) return cli.fail(why);
  return cli.guard([&] { return run(a); });
}

}  // namespace hoshi::app
