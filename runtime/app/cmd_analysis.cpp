// hoshi analysis: KataGo's JSON analysis engine (analysis/), on stdin and
// stdout or as a TCP service for several clients at once.

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "analysis/server.h"
#include "app/cli.h"
#include "app/commands.h"
#include "app/default_model.h"
#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"
#include "nn/evaluator.h"
#include "nn/options.h"

namespace hoshi::app {
namespace {

struct AnalysisArgs {
  std::string model, config, listen, analysisThreads;
  bool quitWithoutWaiting = false;
  std::vector<std::string> overrides;
};

// KataGo's analysis flags (-model, -config, -override-config,
// -analysis-threads, -quit-without-waiting) and --listen; app/cli.h takes
// each as -name or --name.
Cli analysisCli(AnalysisArgs& a) {
  Cli cli("hoshi analysis",
          "[-model FILE] [-config FILE] [-override-config key=value,...]\n"
          "                      [--listen HOST:PORT]");
  cli.about(
         "\nKataGo's JSON analysis engine: one query a line on stdin, one response a line on\n"
         "stdout, many queries in flight (docs: README, section \"Analysis engine\").\n")
      .text("model", &a.model, "FILE", "KataGo network (.bin or .bin.gz); default: as hoshi gtp")
      .text("config", &a.config, "FILE",
            "KataGo-style config (analysis_example.cfg works):\n"
            "numAnalysisThreads, numSearchThreadsPerAnalysisThread, ...")
      .repeated("override-config", &a.overrides, "KVS",
                "comma-separated key=value pairs applied after the file")
      .text("analysis-threads", &a.analysisThreads, "N",
            "positions searched at once (numAnalysisThreads)")
      .flag("quit-without-waiting", &a.quitWithoutWaiting,
            "at the end of stdin, drop the queries still queued")
      .text("listen", &a.listen, "HOST:PORT",
            "serve TCP clients, several at once (analysisListen);\n"
            "PORT alone binds 127.0.0.1")
      .section("  -help, -h          this text\nEach flag may also be spelled with two dashes.");
  return cli;
}

int parseArgs(int argc, char** argv, AnalysisArgs& out) {
  Cli cli = analysisCli(out);
  if (int early = cli.parseOrExit(argc, argv); early >= 0) return early;
  if (out.model.empty()) {
    // As `hoshi gtp` (and KataGo): the first default network found.
    const std::vector<std::string> candidates = defaultModelCandidates();
    out.model = findDefaultModel(candidates);
    if (out.model.empty()) {
      return cli.fail("no -model given and no default network found; put one at " +
                      candidates.front() + " (or /usr/share/hoshi/" + kDefaultModelName +
                      ") or pass -model FILE");
    }
    std::cerr << "hoshi analysis: no -model given, loading the default network " << out.model
              << "\n";
  }
  return -1;
}

// -override-config as KataGo's analysis takes it from front ends (KaTrain
// adds homeDataDir=...): keys Hoshi does not have are warned about, as in a
// config file; a bad value of a known key is still an error.
void applyOverridesLeniently(config::OptionSet& options, const std::string& text) {
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    const size_t eq = item.find('=');
    auto trim = [](std::string t) {
      const size_t a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
      return a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
    };
    if (trim(item).empty()) continue;
    if (eq == std::string::npos)
      throw config::ConfigError("-override-config: expected key=value, got '" + item + "'");
    const std::string key = trim(item.substr(0, eq)), value = trim(item.substr(eq + 1));
    if (!options.isKnown(key)) {
      std::cerr << "warning: -override-config: unknown key '" << key << "' ignored\n";
      continue;
    }
    try {
      options.set(key, value, "-override-config");
    } catch (const config::ConfigError& e) {
      throw config::ConfigError(std::string("-override-config: ") + e.what());
    }
  }
}

std::string baseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// SIGTERM and SIGINT as a readable descriptor, so the TCP loop ends cleanly.
int signalFd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return -1;
  return signalfd(-1, &set, SFD_CLOEXEC);
}

}  // namespace

int runAnalysis(int argc, char** argv) {
  AnalysisArgs args;
  if (int early = parseArgs(argc, argv, args); early >= 0) return early;
  config::OptionSet options(programOptions());
  try {
    std::vector<std::string> warnings;
    if (!args.config.empty()) config::loadConfigFile(options, args.config, warnings);
    for (const std::string& w : warnings) std::cerr << "warning: " << w << "\n";
    for (const std::string& o : args.overrides) applyOverridesLeniently(options, o);
    if (!args.analysisThreads.empty())
      options.set("numAnalysisThreads", args.analysisThreads, "-analysis-threads");
    if (!args.listen.empty()) options.set("analysisListen", args.listen, "command line");
  } catch (const config::ConfigError& e) {
    std::cerr << "hoshi analysis: config error:\n" << e.what() << "\n";
    return 2;
  }
  const config::Params& p = options.params();
  analysis::EngineConfig ec;
  ec.analysisThreads = static_cast<int>(p.numAnalysisThreads);
  ec.searchThreadsPerAnalysisThread = static_cast<int>(p.numSearchThreadsPerAnalysisThread);
  ec.maxQueuedPositions = static_cast<size_t>(p.analysisMaxQueuedPositions);
  ec.maxBatch = static_cast<int>(p.nnMaxBatchSize);
  ec.cacheSizePowerOfTwo = static_cast<int>(p.nnCacheSizePowerOfTwo);
  const int searchThreads = ec.analysisThreads * ec.searchThreadsPerAnalysisThread;

  nn::EvaluatorOptions eo = nn::evaluatorOptionsFrom(p);  // nnLanes 0: nn::defaultLanes
  eo.searchThreads = searchThreads;
  // TCP: SIGTERM and SIGINT are blocked before any thread starts (the
  // network's included), so that only the server's signalfd sees them.
  const int sfd = !p.analysisListen.empty() || std::getenv("LISTEN_FDS") ? signalFd() : -1;
  std::shared_ptr<nn::Evaluator> evaluator;
  try {
    evaluator = nn::Evaluator::load(args.model, eo);
  } catch (const std::exception& e) {
    std::cerr << "hoshi analysis: cannot load model: " << e.what() << "\n";
    return 1;
  }

  analysis::ServerConfig sc;
  sc.maxLineLength = static_cast<size_t>(p.analysisMaxLineLength);
  sc.maxClients = static_cast<int>(p.analysisMaxClients);
  sc.modelName = baseName(args.model);
  sc.quitWithoutWaiting = args.quitWithoutWaiting;
  sc.precision = evaluator->options().precision;
  analysis::ParseContext ctx;
  ctx.base = &options;
  int listenFd = analysis::systemdListenFd();
  if (listenFd < 0 && !p.analysisListen.empty()) {
    try {
      listenFd = analysis::openListener(p.analysisListen, std::cerr);
    } catch (const std::exception& e) {
      std::cerr << "hoshi analysis: " << e.what() << "\n";
      return 2;
    }
  }
  analysis::AnalysisEngine engine(evaluator, ec);
  analysis::QueryHandler handler(engine, ctx, sc);
  std::cerr << "hoshi analysis: ready (model " << sc.modelName << ", "
            << evaluator->options().backend << " " << sc.precision << ", " << ec.analysisThreads
            << " x " << ec.searchThreadsPerAnalysisThread << " search threads)";
  if (listenFd >= 0) std::cerr << ", listening on port " << analysis::boundPort(listenFd);
  std::cerr << std::endl;
  if (listenFd < 0) return analysis::serveStdio(handler, engine, sc, 0, 1);
  const int rc = analysis::serveTcp(handler, engine, sc, listenFd, sfd, std::cerr);
  if (sfd >= 0) ::close(sfd);
  return rc;
}

}  // namespace hoshi::app
