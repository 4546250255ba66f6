// `hoshi compare`: how far one model (or backend, or precision) is from a
// reference on real positions: policy top-1 agreement and KL divergence,
// winrate, lead and ownership errors, and for an INT8 Hoshi file a
// per-layer error trace (which layer's quantization hurts).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/commands.h"
#include "quant/compare.h"

namespace hoshi::app {

namespace {

constexpr const char* kCompareUsage =
    "usage: hoshi compare -ref MODEL_A -test MODEL_B -positions PATH [PATH...] [options]\n"
    "  -ref MODEL         reference network (KataGo or Hoshi file)\n"
    "  -test MODEL        network under test\n"
    "  -positions PATH... SGF files or folders (searched for .sgf / .mgt)\n"
    "  -golden FILE       instead: every position of a golden .jsonl file\n"
    "                     (shared/golden), each under its own symmetry\n"
    "  -n N               positions drawn (default 2000)\n"
    "  -ref-backend B     default eigen (FP32)\n"
    "  -test-backend B    default: xnnpack for an INT8 Hoshi file, else eigen\n"
    "  -trace K           per-layer error trace over K positions (default 16, 0 = off)\n"
    "  -threads N         backend threads (default 1)\n"
    "  -seed S            sampling seed (default 2)\n"
    "  -dump FILE         one line a position (tab-separated): index, board size,\n"
    "                     ref and test top-1 moves, the ref's probability of each,\n"
    "                     policy KL\n";

bool parseCompareArgs(int argc, char** argv, quant::CompareOptions& a) {
  for (int i = 0; i < argc; ++i) {
    std::string k = argv[i];
    if (k.size() > 2 && k[0] == '-' && k[1] == '-') k = k.substr(1);
    if (k == "-positions") {
      while (i + 1 < argc && argv[i + 1][0] != '-') a.positions.push_back(argv[++i]);
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "hoshi compare: '%s' needs a value\n%s", k.c_str(), kCompareUsage);
      return false;
    }
    const char* v = argv[++i];
    if (k == "-ref")
      a.ref = v;
    else if (k == "-test")
      a.test = v;
    else if (k == "-ref-backend")
      a.refBackend = v;
    else if (k == "-test-backend")
      a.testBackend = v;
    else if (k == "-golden")
      a.golden = v;
    else if (k == "-dump")
      a.dump = v;
    else if (k == "-n")
      a.n = std::atoi(v);
    else if (k == "-trace")
      a.trace = std::atoi(v);
    else if (k == "-threads")
      a.threads = std::max(1, std::atoi(v));
    else if (k == "-seed")
      a.seed = std::strtoull(v, nullptr, 10);
    else {
      std::fprintf(stderr, "hoshi compare: unknown option '%s'\n%s", k.c_str(), kCompareUsage);
      return false;
    }
  }
  if (a.ref.empty() || a.test.empty() || (a.positions.empty() == a.golden.empty()) || a.n < 1) {
    std::fputs(kCompareUsage, stderr);
    return false;
  }
  return true;
}

}  // namespace

int runCompare(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(kCompareUsage, stdout);
      return 0;
    }
  quant::CompareOptions a;
  if (!parseCompareArgs(argc, argv, a)) return 2;
  try {
    quant::compareModels(a);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi compare: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
