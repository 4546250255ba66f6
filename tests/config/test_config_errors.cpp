// Config mistakes a user can make: an unknown key is a warning naming file
// and line, and the rest of the file applies; a bad value, a malformed line
// or a bad -override-config item is refused naming where, and leaves every
// option as it was.

#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"

using namespace hoshi::config;

namespace {

// Every option's value and origin, to compare before and after.
std::string snapshot(const OptionSet& o) {
  std::string out;
  for (const OptionSpec& d : hoshi::app::programOptions().specs())
    out += std::string(d.name) + "=" + o.get(d.name) + " (" + o.origin(d.name) + ")\n";
  return out;
}

// A config file with `text` under the build tree; its path.
std::string configFile(const std::string& text) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(HOSHI_BINARY_DIR) / "test-config-errors";
  fs::create_directories(dir);
  fs::path p = dir / ("user-" + std::to_string(getpid()) + ".cfg");
  std::ofstream(p) << text;
  return p.string();
}

std::string textError(OptionSet& o, const std::string& text) {
  std::vector<std::string> warnings;
  try {
    loadConfigFile(o, configFile(text), warnings);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string overrideError(OptionSet& o, const std::string& items) {
  try {
    applyOverrides(o, items);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("config errors: unknown keys warn with file:line, the rest applies") {
  OptionSet o{hoshi::app::programOptions()};
  std::vector<std::string> warnings;
  const std::string path =
      configFile("maxVisits = 5\nnoSuchKey = 1\n# fine\nnumSearchThreads = 2\n");
  loadConfigFile(o, path, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == path + ":2: unknown key 'noSuchKey' ignored");
  CHECK(o.params().maxVisits == 5);
  CHECK(o.params().numSearchThreads == 2);
}

// A refused line sets nothing. (Lines before it in the same file have been
// applied: hoshi exits with status 2 on any config error, see
// tests/e2e/cli_flags.py, so no half-read config is ever served.)
TEST_CASE("config errors: a refused line changes no option") {
  OptionSet o{hoshi::app::programOptions()};
  o.set("maxVisits", "77", "test");
  const std::string before = snapshot(o);
  struct Case {
    std::string text, error;
  } cases[] = {
      {"numSearchThreads = 0\n", ":1: numSearchThreads: '0' is out of range [1, 1024]"},
      {"# a comment\nponderingEnabled = sometimes\n",
       ":2: ponderingEnabled: expected true or false, got 'sometimes'"},
      {"maxVisits ten\n", ":1: expected 'key = value', got 'maxVisits ten'"},
      {"maxVisits = 1e99\n", ":1: maxVisits: expected an integer, got '1e99'"},
      {"maxVisits = -5\n", ":1: maxVisits: '-5' is out of range [1, ...]"},
      {"[gtp]\n", ":1: sections are not supported"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(textError(o, c.text) == configFile("") + c.error);
    CHECK(snapshot(o) == before);
  }
}

TEST_CASE("config errors: a refused -override-config item changes no option") {
  OptionSet o{hoshi::app::programOptions()};
  const std::string before = snapshot(o);
  CHECK(overrideError(o, "bogus=1") == "-override-config: unknown option 'bogus'");
  CHECK(overrideError(o, "lagBuffer=-1") ==
        "-override-config: lagBuffer: '-1' is out of range [0, 3600]");
  CHECK(overrideError(o, "novalue") == "-override-config: expected key=value, got 'novalue'");
  CHECK(overrideError(o, "maxVisits=lots") ==
        "-override-config: maxVisits: expected an integer, got 'lots'");
  CHECK(snapshot(o) == before);
}
