// `hoshi compare`: its flags into quant::CompareOptions; the comparison is
// runtime/quant (quant/compare.h).

#include <cstdio>
#include <exception>
#include <string>

#include "app/cli.h"
#include "app/commands.h"
#include "quant/compare.h"

namespace hoshi::app {

int runCompare(int argc, char** argv) {
  quant::CompareOptions a;
  Cli cli("hoshi compare", "-ref MODEL_A -test MODEL_B -positions PATH [PATH...] [options]");
  cli.text("ref", &a.ref, "MODEL", "reference network (KataGo or Hoshi file)")
      .text("test", &a.test, "MODEL", "network under test")
      .paths("positions", &a.positions, "PATH", "SGF files or folders (searched for .sgf / .mgt)")
      .text("golden", &a.golden, "FILE",
            "instead: every position of a golden .jsonl file\n"
            "(shared/golden), each under its own symmetry")
      .integer("n", &a.n, 1, 10000000, "positions drawn (default 2000)")
      .text("ref-backend", &a.refBackend, "B", "default eigen (FP32)")
      .text("test-backend", &a.testBackend, "B",
            "default: xnnpack for an INT8 Hoshi file, else eigen")
      .integer("trace", &a.trace, 0, 1000000,
               "per-layer error trace over N positions (default 16, 0 = off)")
      .integer("threads", &a.threads, 1, 256, "backend threads (default 1)")
      .seed("seed", &a.seed, "sampling seed (default 2)")
      .text("dump", &a.dump, "FILE",
            "one line a position (tab-separated): index, board size,\n"
            "ref and test top-1 moves (GTP coordinates or pass), the\n"
            "ref's probability of each, policy KL");
  if (const int rc = cli.parseOrExit(argc, argv); rc >= 0) return rc;
  if (a.ref.empty() || a.test.empty()) return cli.fail("-ref and -test are required");
  if (a.positions.empty() == a.golden.empty()) return cli.fail("give either -positions or -golden");
  return cli.guard([&] {
    quant::compareModels(a);
    return 0;
  });
}

}  // namespace hoshi::app
