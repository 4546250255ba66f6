#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"
#include "gtp/session.h"
#include "search/engine.h"

// GTP transcripts (tests/gtp/transcripts/*.txt): a line "> COMMAND" sends
// COMMAND; the lines after it, up to the next "> " line, are the exact
// expected response without its closing blank line. Lines starting "## " are
// comments, blank lines between exchanges are ignored. A first line
// "## options: k=v,k=v" configures the engine like -override-config.
// "$SHARED" in a command stands for the shared data directory.

namespace fs = std::filesystem;
using namespace hoshi;

namespace {

struct Exchange {
  int line = 0;
  std::string command;
  std::string expected;
};

class StringSink : public gtp::Sink {
 public:
  void write(const std::string& response) override { text += response; }
  std::string text;
};

std::vector<Exchange> readTranscript(const fs::path& path, std::string& options) {
  std::ifstream in(path);
  std::vector<Exchange> out;
  std::vector<std::string> pending;
  int lineNo = 0;
  auto flush = [&]() {
    if (out.empty()) return;
    while (!pending.empty() && pending.back().empty()) pending.pop_back();
    std::string text;
    for (const std::string& l : pending) text += l + "\n";
    out.back().expected = text;
    pending.clear();
  };
  for (std::string line; std::getline(in, line);) {
    ++lineNo;
    if (line.rfind("## options:", 0) == 0) options = line.substr(11);
    if (line.rfind("## ", 0) == 0 || line == "##") continue;
    if (line.rfind("> ", 0) == 0) {
      flush();
      out.push_back({lineNo, line.substr(2), ""});
    } else if (!out.empty()) {
      pending.push_back(line);
    }
  }
  flush();
  return out;
}

// The response as the transcript writes it: without the closing blank line
// and without trailing blanks on any line (editors strip them; the exact
// framing is checked in test_session.cpp).
std::string trimmed(const std::string& response) {
  std::string out;
  std::istringstream in(response);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  while (out.size() >= 2 && out.substr(out.size() - 2) == "\n\n") out.pop_back();
  return out;
}

std::string sharedDir() {
  const char* env = std::getenv("HOSHI_SHARED_DIR");
  return env && *env ? env : HOSHI_SHARED_DIR_DEFAULT;
}

std::string withShared(std::string command) {
  const std::string key = "$SHARED";
  for (size_t at; (at = command.find(key)) != std::string::npos;)
    command.replace(at, key.size(), sharedDir());
  return command;
}

// HOSHI_REGEN_TRANSCRIPTS=1: rewrite the file with the answers given (then
// review the diff): each command's expected lines are replaced, comments and
// blank lines kept.
void rewriteTranscript(const fs::path& path, const std::map<int, std::string>& answers) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ostringstream out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out << lines[i] << "\n";
    auto it = answers.find(static_cast<int>(i) + 1);
    if (it == answers.end()) continue;
    out << it->second;
    while (i + 1 < lines.size() && lines[i + 1].rfind("> ", 0) != 0 &&
           lines[i + 1].rfind("##", 0) != 0 && !lines[i + 1].empty())
      ++i;
  }
  std::ofstream(path) << out.str();
}

void runTranscript(const fs::path& path) {
  std::string overrides;
  std::vector<Exchange> exchanges = readTranscript(path, overrides);
  REQUIRE_FALSE(exchanges.empty());
  config::OptionSet options{hoshi::app::programOptions()};
  config::applyOverrides(options, "searchRandSeed=transcript," + overrides);
  Engine engine(options.params());
  std::ostringstream log;
  gtp::Session session(engine, options, log);
  std::map<int, std::string> answers;
  for (const Exchange& ex : exchanges) {
    StringSink sink;
    session.processLine(withShared(ex.command), sink);
    INFO(path.filename().string() << ":" << ex.line << ": " << ex.command);
    CHECK(trimmed(sink.text) == ex.expected);
    answers[ex.line] = trimmed(sink.text);
  }
  const char* regen = std::getenv("HOSHI_REGEN_TRANSCRIPTS");
  if (regen && std::string(regen) == "1") rewriteTranscript(path, answers);
}

}  // namespace

TEST_CASE("GTP transcripts") {
  fs::path dir = fs::path(HOSHI_SOURCE_DIR) / "tests/gtp/transcripts";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  for (const fs::path& f : files) {
    SECTION(f.filename().string()) {
      runTranscript(f);
    }
  }
}

TEST_CASE("GTP line preprocessing follows the v2 spec") {
  CHECK(gtp::cleanLine("  play\tb  d4  # comment") == "play b  d4");
  CHECK(gtp::cleanLine("# only a comment") == "");
  CHECK(gtp::cleanLine("\r\n") == "");
  CHECK(gtp::cleanLine("na\x01me\r") == "name");
}
