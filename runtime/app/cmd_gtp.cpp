#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/commands.h"
#include "app/default_model.h"
#include "app/options.h"
#include "config/board_detect.h"
#include "config/config_file.h"
#include "config/options.h"
#include "gtp/serve.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/options.h"
#include "search/engine.h"

namespace hoshi::app {
namespace {

struct GtpArgs {
  std::string model;
  std::string config;
  std::vector<std::string> overrides;
  // Flags that set an option (transport, version), as (option, value),
  // applied after the config file.
  std::vector<std::pair<std::string, std::string>> flagOptions;
  bool helpOptions = false;
};

// KataGo's flags (-model, -config, -override-config, -override-version) and
// Hoshi's transports; app/cli.h takes each as -name or --name.
Cli gtpCli(GtpArgs& a) {
  auto setting = [&a](const char* option) {
    return [&a, option](const std::string& v) {
      a.flagOptions.emplace_back(option, v);
      return std::string();
    };
  };
  Cli cli("hoshi gtp",
          "[-model FILE] [-config FILE] [-override-config key=value,...]\n"
          "                 [--listen HOST:PORT | --serial DEVICE [--baud N]]");
  cli.about("\nSpeaks GTP v2 (with KataGo's extensions) on stdin/stdout, TCP or a serial line.\n")
      .text("model", &a.model, "FILE",
            "KataGo network (.bin or .bin.gz) or Hoshi file; without\n"
            "it: default_model.bin.gz beside the binary, then\n"
            "/usr/share/hoshi/default_model.bin.gz, then the net the\n"
            "source tree ships; 'none': no net (random legal moves\n"
            "that do not fill own eyes)")
      .text("config", &a.config, "FILE",
            "KataGo-style config file (key = value, @include other.cfg);\n"
            "'auto' picks the board's file from /proc/device-tree/model")
      .repeated("override-config", &a.overrides, "KVS",
                "comma-separated key=value pairs applied after the file")
      .custom("listen", "HOST:PORT",
              "serve one front end at a time over TCP (gtpListen);\nPORT alone binds 127.0.0.1",
              setting("gtpListen"))
      .custom("serial", "DEVICE", "serve on a serial line, e.g. /dev/ttyGS0 (gtpSerial)",
              setting("gtpSerial"))
      .custom("baud", "N", "serial speed, default 115200 (gtpSerialBaud)", setting("gtpSerialBaud"))
      .custom("override-version", "V",
              "what GTP version answers (gtpVersion); as with KataGo,\n"
              "Lizzie then takes the engine for KataGo and uses\n"
              "kata-analyze",
              setting("gtpVersion"))
      .flag("help-options", &a.helpOptions, "every config key: type, default, help")
      .section("  -help, -h          this text\nEach flag may also be spelled with two dashes.");
  return cli;
}

// Diagnostics go to the log file (logFile, or a new file in logDir) and to
// stderr when logToStderr is set or, unless it says false, when there is no
// log file. GTP answers never pass here.
class TeeBuf : public std::streambuf {
 public:
  TeeBuf(std::streambuf* a, std::streambuf* b) : a_(a), b_(b) {}

 protected:
  int overflow(int c) override {
    if (c == EOF) return 0;
    if (a_) a_->sputc(static_cast<char>(c));
    if (b_) b_->sputc(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (a_) a_->sputn(s, n);
    if (b_) b_->sputn(s, n);
    return n;
  }
  int sync() override {
    if (a_) a_->pubsync();
    if (b_) b_->pubsync();
    return 0;
  }

 private:
  std::streambuf* a_;
  std::streambuf* b_;
};

// A new file per run in logDir, as KataGo names its GTP logs by start time;
// "" when logDir is empty or cannot be made (opening then reports it).
std::string logPathInDir(const std::string& dir) {
  if (dir.empty()) return "";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return (std::filesystem::path(dir) /
          ("hoshi-" + std::string(stamp) + "-" + std::to_string(getpid()) + ".log"))
      .string();
}

// -model as given, "none" (no net: cleared), or without it the first default
// network found (app/default_model.h). Says on stderr what it chose.
void resolveModel(std::string& model) {
  if (model == "none") {
    model.clear();
    std::cerr << "hoshi gtp: -model none: playing without a network\n";
    return;
  }
  if (!model.empty()) return;
  const std::vector<std::string> candidates = defaultModelCandidates();
  model = findDefaultModel(candidates);
  if (!model.empty()) {
    std::cerr << "hoshi gtp: no -model given, loading the default network " << model << "\n";
    return;
  }
  std::cerr << "hoshi gtp: no -model given and no default network found; put one at "
            << candidates.front() << " (or /usr/share/hoshi/" << kDefaultModelName
            << ") or pass -model FILE. Playing without a network: random legal moves that "
               "keep own eyes\n";
}

// One line on stderr once the engine can take commands, as KataGo's
// "GTP ready" says: what plays and on what.
std::string readyLine(const std::string& model, const Engine& engine, const config::Params& p) {
  std::string line = "hoshi gtp: ready: model ";
  const auto& evaluator = engine.evaluator();
  if (!evaluator) return line + "none (no network), threads 1";
  const nn::EvaluatorOptions& o = evaluator->options();
  const int requested = static_cast<int>(p.numSearchThreads);
  const int ran = evaluator->usefulSearchThreads(requested);
  std::string threads = std::to_string(ran);
  // numSearchThreads past the cores of a CPU backend would only wait for a lane.
  if (ran != requested)
    threads += " (of numSearchThreads " + std::to_string(requested) + ": one per core on a CPU)";
  return line + model + " (" + evaluator->model().name + "), backend " + o.backend +
         ", precision " + o.precision + ", search threads " + threads + ", nn threads " +
         std::to_string(p.nnThreads);
}

}  // namespace

int runGtp(int argc, char** argv) {
  GtpArgs args;
  if (int early = gtpCli(args).parseOrExit(argc, argv); early >= 0) return early;
  if (args.helpOptions) {
    std::cout << programOptions().helpText();
    return 0;
  }

  config::OptionSet options(programOptions());
  try {
    std::vector<std::string> warnings;
    if (args.config == "auto") {
      // The board's own file, from the device-tree model (configs/).
      config::BoardChoice board = config::chooseBoardConfig(config::defaultConfigDirs());
      std::cerr << "hoshi gtp: -config auto: " << board.why << "\n";
      args.config = board.path;
    }
    if (!args.config.empty()) config::loadConfigFile(options, args.config, warnings);
    for (const std::string& w : warnings) std::cerr << "warning: " << w << "\n";
    for (const std::string& o : args.overrides) config::applyOverrides(options, o);
    for (const auto& [name, value] : args.flagOptions) options.set(name, value, "command line");
  } catch (const config::ConfigError& e) {
    std::cerr << "hoshi gtp: config error:\n" << e.what() << "\n";
    return 2;
  }

  if (std::string why = Engine::checkResources(options.params()); !why.empty()) {
    std::cerr << "hoshi gtp: config error: " << why << " (set at "
              << options.origin("nnCacheSizePowerOfTwo") << ")\n";
    return 2;
  }
  std::unique_ptr<Engine> engine;
  try {
    engine = std::make_unique<Engine>(options.params());
  } catch (const std::invalid_argument& e) {
    std::cerr << "hoshi gtp: " << e.what() << " (rules set at " << options.origin("rules") << ")\n";
    return 2;
  }
  resolveModel(args.model);
  if (!args.model.empty()) {
    try {
      auto evaluator = nn::Evaluator::load(args.model, nn::evaluatorOptionsFrom(options.params()));
      if (!evaluator->autoSummary().empty())
        std::cerr << "hoshi gtp: network " << evaluator->autoSummary() << "\n";
      engine->setEvaluator(std::move(evaluator));
      engine->setModelFile(args.model);
    } catch (const std::exception& e) {
      std::cerr << "hoshi gtp: cannot load model: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << readyLine(args.model, *engine, options.params()) << std::endl;

  const config::Params& p = options.params();
  std::ofstream logFile;
  std::string logPath = p.logFile.empty() ? logPathInDir(p.logDir) : p.logFile;
  if (!logPath.empty()) {
    logFile.open(logPath, std::ios::app);
    if (!logFile) {
      const char* key = p.logFile.empty() ? "logDir" : "logFile";
      std::cerr << "hoshi gtp: cannot open log file '" << logPath << "' (" << key << " set at "
                << options.origin(key) << ")\n";
      return 2;
    }
  }
  // With no log file the log goes to stderr unless logToStderr = false says not to.
  const bool toStderr = p.logToStderr || (!logFile.is_open() && !options.isSet("logToStderr"));
  TeeBuf tee(logFile.is_open() ? logFile.rdbuf() : nullptr, toStderr ? std::cerr.rdbuf() : nullptr);
  std::ostream log(&tee);

  // stdin/stdout, TCP or serial, as the options say (gtp/serve.h).
  return gtp::serve(*engine, options, log);
}

}  // namespace hoshi::app
