// libFuzzer target: the GTP line parser and the command handlers. The input
// is split into lines, each fed to a gtp::Session over an Engine with the
// weightless fake network (random mode), exactly as a transport would.
// Every response must be framed ("=" or "?", id, text, one closing blank
// line) and no handler may fail with "internal error" (an exception the
// handler let escape).
//
// Kept fast (a million inputs must run in well under an hour on one core
// with the sanitizers) and self-contained: one visit per search, one search
// thread, no pondering, a small NN cache, at most kMaxLines commands. Lines
// the harness skips (they are not sent at all):
//  - quit: ends the conversation; nothing to fuzz after it.
//  - loadsgf, and printsgf with a file argument: they open or create files
//    named by the input (the SGF reader has its own target, fuzz_sgf).
//  - kata-analyze, lz-analyze, kata-genmove_analyze, lz-genmove_analyze:
//    background searches that stream on a timer (tests/gtp covers them).
//  - kata-set-param of the keys in kPinned: search size and time, threads,
//    pondering, backend and logging choices would make one input slow, or
//    write files.
//  - the commands in kSearching (searches and network evaluations) while the board is larger than
//  5x5, and any
//    beyond the first kMaxSearches of an input: a search on 19x19 costs more
//    than a hundred other inputs under the sanitizers (they are fuzzed on
//    small boards; tests/gtp runs them on 19x19).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/options.h"
#include "fuzz_common.h"
#include "gtp/session.h"
#include "nn/backend.h"
#include "nn/builtin/builtin_backends.h"
#include "nn/evaluator.h"
#include "search/engine.h"

using namespace hoshi;
using fuzz::require;

namespace {

constexpr size_t kMaxLines = 24;
constexpr int kMaxSearches = 1;

const std::set<std::string> kSkipped = {
    "quit", "loadsgf", "kata-analyze", "lz-analyze", "kata-genmove_analyze", "lz-genmove_analyze"};
const std::set<std::string> kSearching = {
    "genmove",           "reg_genmove",         "final_score",
    "final_status_list", "place_free_handicap", "kata-raw-nn"};
const std::set<std::string> kPinned = {"maxVisits",
                                       "maxPlayouts",
                                       "maxTime",
                                       "numSearchThreads",
                                       "ponderingEnabled",
                                       "nnBackend",
                                       "nnPrecision",
                                       "nnThreads",
                                       "nnMaxBatchSize",
                                       "cudaDevice",
                                       "nnCacheSizePowerOfTwo",
                                       "maxMemoryMiB",
                                       "logFile",
                                       "logToStderr",
                                       "logAllGTPCommunication",
                                       "gtpListen",
                                       "gtpSerial",
                                       "lagBuffer"};

class StringSink : public gtp::Sink {
 public:
  void write(const std::string& response) override { text += response; }
  std::string text;
};

// Whether the harness leaves this line out (see the list above). It looks at
// every token rather than re-deriving which one the session takes as the
// command name, so an id it parses differently cannot sneak a command past.
bool skipped(const std::string& line, const Board& board, int& searches) {
  const bool bigBoard = board.xSize() * board.ySize() > 25;
  std::istringstream in(gtp::cleanLine(line));
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  bool setParam = false, print = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i < 2 && kSkipped.count(tokens[i])) return true;
    if (i < 2 && kSearching.count(tokens[i]) && (bigBoard || searches++ >= kMaxSearches))
      return true;
    if (i < 2 && tokens[i] == "printsgf") print = true;
    if (i < 2 && tokens[i] == "kata-set-param") setParam = true;
    if (setParam && kPinned.count(tokens[i])) return true;
  }
  // "printsgf" alone or after an id prints to the response; more tokens name a file.
  if (print && tokens.size() > 1 && !(tokens.size() == 2 && tokens[1] == "printsgf")) return true;
  return false;
}

// One well-framed response: "=" or "?", optional id, text, ending in exactly
// one blank line, with no blank line inside.
void checkFraming(const std::string& response) {
  require(response.size() >= 3, "response has a status and a closing blank line");
  require(response[0] == '=' || response[0] == '?', "response starts with = or ?");
  require(response.compare(response.size() - 2, 2, "\n\n") == 0, "response ends in a blank line");
  require(response.find("\n\n") == response.size() - 2, "no blank line inside a response");
  // The session answers "?[id] internal error: ..." for an exception a
  // handler let escape (the text itself may quote the input, so only the
  // start counts).
  const size_t text = response.find(' ');
  require(text == std::string::npos || response.compare(text + 1, 15, "internal error:") != 0,
          "no handler lets an exception escape");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  config::OptionSet options{hoshi::app::programOptions()};
  options.set("maxVisits", "1", "fuzz");
  options.set("numSearchThreads", "1", "fuzz");
  options.set("ponderingEnabled", "false", "fuzz");
  options.set("searchRandSeed", "fuzz", "fuzz");
  options.set("nnCacheSizePowerOfTwo", "8", "fuzz");
  Engine engine(options.params());
  nn::BackendOptions bo;
  bo.fakeMode = "random";
  nn::EvaluatorOptions eo;
  eo.backend = "fake";
  nn::registerBuiltinBackends();  // once; later calls do nothing
  engine.setEvaluator(
      std::make_shared<nn::Evaluator>(nn::createBackend("fake", nullptr, bo), nullptr, eo));
  std::ostringstream log;
  gtp::Session session(engine, options, log);

  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  size_t lines = 0;
  int searches = 0;
  for (std::string line; lines < kMaxLines && std::getline(in, line); ++lines) {
    if (skipped(line, engine.board(), searches)) continue;
    StringSink sink;
    session.processLine(line, sink);
    if (gtp::cleanLine(line).empty()) {
      require(sink.text.empty(), "an empty line gets no response");
    } else {
      checkFraming(sink.text);
    }
  }
  return 0;
}
