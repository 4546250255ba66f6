// `hoshi info MODEL`: what a network file holds and what it costs to run.

#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/commands.h"
#include "nn/backend.h"
#include "nn/eigen/eigen_net.h"
#include "nn/model.h"
#include "nn/model_loader.h"
#include "nn/quant.h"
#include "nn/transformer_desc.h"

namespace hoshi::app {

namespace {

double mib(int64_t bytes) {
  return double(bytes) / (1024.0 * 1024.0);
}

int64_t fileSize(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  return f ? int64_t(f.tellg()) : -1;
}

// Activations used anywhere in the trunk (by its tip) and value head.
std::string activations(const nn::ModelDesc& m) {
  const nn::TrunkDesc& t = m.trunk;
  std::string s =
      nn::activationName(t.tipRmsNorm ? t.tipRmsNorm->activation : t.tipNorm.activation);
  std::string v = nn::activationName(m.valueHead.v2Activation);
  return v == s ? s : s + ", " + v;
}

const char* ropeName(nn::RopeKind k) {
  switch (k) {
    case nn::RopeKind::kNone:
      return "no rotary encoding";
    case nn::RopeKind::kFixed:
      return "rotary encoding (fixed theta)";
    case nn::RopeKind::kLearned:
      return "rotary encoding (learned frequencies)";
  }
  return "?";
}

// Version 17 layers: one line per distinct attention / feed-forward shape.
void printTransformer(const nn::ModelDesc& m) {
  std::string seen;
  for (const nn::BlockDesc& b : m.trunk.blocks) {
    char line[256] = "";
    if (b.attention) {
      const nn::AttentionDesc& a = *b.attention;
      std::snprintf(line, sizeof(line),
                    "attention:      %d heads, %d key/value heads, query/key %d, value %d per "
                    "head, %s\n",
                    a.heads, a.kvHeads, a.qkHeadDim, a.vHeadDim, ropeName(a.rope));
    } else if (b.feedForward) {
      std::snprintf(line, sizeof(line), "feed-forward:   SwiGLU, %d hidden channels\n",
                    b.feedForward->hiddenChannels);
    }
    if (*line && seen.find(line) == std::string::npos) {
      seen += line;
      std::fputs(line, stdout);
    }
  }
  if (const nn::TipRmsNormDesc* tip = m.trunk.tipRmsNorm.get())
    std::printf("trunk tip:      RMS norm (%s, epsilon %g)\n",
                tip->spatial ? "over the whole board" : "per point", double(tip->epsilon));
}

void printModel(const std::string& path, const nn::ModelDesc& m) {
  const nn::TrunkDesc& t = m.trunk;
  std::printf("file:           %s (%.2f MiB on disk)\n", path.c_str(), mib(fileSize(path)));
  std::printf("name:           %s\n", m.name.c_str());
  std::printf("model version:  %d (inputs: %d spatial, %d global)\n", m.modelVersion,
              m.numInputChannels, m.numInputGlobalChannels);
  std::printf("trunk:          %s, %d channels (mid %d, regular %d, gpool %d)\n",
              m.blockSummary().c_str(), t.trunkChannels, t.midChannels, t.regularChannels,
              t.gpoolChannels);
  std::printf("initial conv:   %dx%d\n", t.initialConv.kernelY, t.initialConv.kernelX);
  printTransformer(m);
  std::printf("policy head:    %d channels, %d policy output channel(s)%s\n",
              m.policyHead.p1Conv.outChannels, m.numPolicyChannels,
              m.policyHead.hasPassMlp ? ", pass MLP" : "");
  std::printf("value head:     %d channels, %d hidden, %d score values\n",
              m.valueHead.v1Conv.outChannels, m.valueHead.v2Mul.outChannels,
              m.numScoreValueChannels);
  std::printf("activations:    %s\n", activations(m).c_str());
  std::printf("parameters:     %lld\n", static_cast<long long>(m.parameterCount));
}

void printCost(const nn::ModelDesc& m, const nn::EigenNet& net) {
  const int64_t direct = m.directMacs(19, 19);
  const int64_t done = net.multiplies(19, 19);
  std::printf("19x19 eval:     %.3f GFLOP direct (%lld multiply-adds)\n", 2e-9 * double(direct),
              static_cast<long long>(direct));
  std::printf(
      "                %lld multiplies actually done with Winograd F(4x4,3x3) (%.2fx fewer)\n",
      static_cast<long long>(done), double(direct) / double(done));
  std::printf("memory:         %.2f MiB of weights loaded, %.2f MiB prepared for eigen\n",
              mib(m.weightBytes()), mib(net.preparedWeightBytes()));
  const nn::PostProcessParams& p = m.postProcess;
  std::printf(
      "post-process:   score mean x%g, stdev x%g, lead x%g, var-time x%g, "
      "st-value-error x%g, st-score-error x%g\n",
      p.scoreMeanMultiplier, p.scoreStdevMultiplier, p.leadMultiplier, p.varianceTimeMultiplier,
      p.shorttermValueErrorMultiplier, p.shorttermScoreErrorMultiplier);
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

// Which INT8-weight convolutions run with INT8 activations and which with
// float ones (XNNPACK; float backends dequantize them all).
void printConvPrecisions(const nn::QuantTable& q) {
  std::vector<std::string> int8Act, floatAct;
  for (const std::string& c : q.int8Convs)
    (q.floatActivations(c) ? floatAct : int8Act).push_back(c);
  std::printf("int8 act.:      %zu convolutions (INT8 weights, INT8 activations): %s\n",
              int8Act.size(), joined(int8Act).c_str());
  std::printf("float act.:     %zu convolutions (INT8 weights, float activations): %s\n",
              floatAct.size(), joined(floatAct).c_str());
}

// The Hoshi container: format, precision, source net, sections.
void printHoshiFile(const nn::LoadedModel& l) {
  const nn::HoshiFileInfo& f = l.info;
  auto meta = [&](const char* k) {
    auto it = f.meta.find(k);
    return it == f.meta.end() ? std::string("-") : it->second;
  };
  std::printf("hoshi file:     format %u, %s, from %s (%s, FNV-1a %s)\n", f.formatVersion,
              meta("precision").c_str(), meta("source").c_str(), meta("sourceFile").c_str(),
              meta("sourceHash").c_str());
  std::string sections;
  for (const auto& s : f.sections)
    sections += (sections.empty() ? "" : ", ") + s.first + " " + std::to_string(s.second) + " B";
  std::printf("sections:       %s (checksums verified)\n", sections.c_str());
  std::printf("tensors:        %d INT8 convolutions, %d FP16, %d FP32 tensors\n", f.int8Convs,
              f.fp16Tensors, f.fp32Tensors);
  if (!l.quant) return;
  std::printf("int8:           calibration %s; FP32 kept: %s; bias correction %s\n",
              meta("calibration").c_str(), meta("keepFloat").c_str(),
              meta("biasCorrection").c_str());
  printConvPrecisions(*l.quant);
}

}  // namespace

int runInfo(int argc, char** argv) {
  std::string path;
  Cli cli("hoshi info", "[-model] FILE");
  cli.about(
         "Describes a KataGo network (.bin.gz, .bin, .txt.gz) or Hoshi model file:\n"
         "architecture, parameter count, cost of one 19x19 evaluation, sizes; and lists\n"
         "the compiled-in backends.\n")
      .text("model", &path, "FILE", "the network file (or give it alone)")
      .positional(&path);
  if (const int rc = cli.parseOrExit(argc, argv); rc >= 0) return rc;
  if (path.empty()) return cli.fail("a model FILE is required");
  const int rc = cli.guard([&] {
    // Dequantized: the cost below builds an Eigen net from the weights.
    nn::LoadedModel loaded = nn::loadAnyModel(path, nn::Int8Load::kDequantize);
    std::shared_ptr<const nn::ModelDesc> model = loaded.model;
    printModel(path, *model);
    if (loaded.hoshiFile) printHoshiFile(loaded);
    nn::EigenNet net(model);
    printCost(*model, net);
    return 0;
  });
  if (rc != 0) return rc;
  std::string names;
  for (const std::string& n : nn::backendNames()) names += (names.empty() ? "" : ", ") + n;
  std::printf("backends:       %s\n", names.c_str());
  return 0;
}

}  // namespace hoshi::app
