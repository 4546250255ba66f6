#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"

using namespace hoshi::config;
namespace fs = std::filesystem;

namespace {

// A scratch directory under the build tree holding the config files of one test.
struct ConfigDir {
  fs::path dir;
  explicit ConfigDir(const std::string& name) {
    dir = fs::path(HOSHI_BINARY_DIR) / "test-config-files" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  std::string write(const std::string& file, const std::string& text) const {
    fs::path p = dir / file;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

std::string loadError(OptionSet& options, const std::string& path) {
  std::vector<std::string> warnings;
  try {
    loadConfigFile(options, path, warnings);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("defaults come from the declaration table") {
  OptionSet o{hoshi::app::programOptions()};
  CHECK(o.params().maxVisits == 500);
  CHECK(o.params().rules == "tromp-taylor");
  CHECK(o.params().defaultBoardSize == 19);
  CHECK(o.params().nnBackend == "eigen");
  CHECK_FALSE(o.params().gtpTolerantPlay);
  CHECK(o.get("resignThreshold") == "-0.9");
  CHECK(o.origin("maxVisits") == "default");
  for (const OptionSpec& d : hoshi::app::programOptions().specs()) {
    CHECK_FALSE(d.help.empty());
    CHECK(hoshi::app::programOptions().find(d.name) == &d);
  }
}

TEST_CASE("values are parsed, range-checked and normalised") {
  OptionSet o{hoshi::app::programOptions()};
  o.set("maxVisits", "1200", "test");
  CHECK(o.params().maxVisits == 1200);
  CHECK(o.origin("maxVisits") == "test");
  o.set("allowResignation", "TRUE", "test");
  CHECK(o.params().allowResignation);
  o.set("koRule", "positional", "test");
  CHECK(o.params().koRule == "POSITIONAL");
  o.set("lagBuffer", "0.25", "test");
  CHECK(o.params().lagBuffer == 0.25);

  CHECK_THROWS_WITH(o.set("maxVisits", "0", "t"), "maxVisits: '0' is out of range [1, ...]");
  CHECK_THROWS_WITH(o.set("maxVisits", "12x", "t"), "maxVisits: expected an integer, got '12x'");
  CHECK_THROWS_WITH(o.set("defaultBoardSize", "25", "t"),
                    "defaultBoardSize: '25' is out of range [2, 19]");
  CHECK_THROWS_WITH(o.set("ponderingEnabled", "maybe", "t"),
                    "ponderingEnabled: expected true or false, got 'maybe'");
  CHECK_THROWS_WITH(o.set("koRule", "LOOSE", "t"),
                    "koRule: 'LOOSE' is not one of SIMPLE, POSITIONAL, SITUATIONAL");
  CHECK_THROWS_WITH(o.set("noSuchKey", "1", "t"), "unknown option 'noSuchKey'");
  // Refused values leave the old ones in place.
  CHECK(o.params().maxVisits == 1200);
  CHECK(o.params().koRule == "POSITIONAL");
}

TEST_CASE("an on-change hook sees the new value and may veto it") {
  OptionSet o{hoshi::app::programOptions()};
  int64_t seen = 0;
  o.onChange("maxVisits", [&](const Params& p) {
    if (p.maxVisits == 13) throw ConfigError("unlucky");
    seen = p.maxVisits;
  });
  o.set("maxVisits", "40", "t");
  CHECK(seen == 40);
  CHECK_THROWS_WITH(o.set("maxVisits", "13", "t"), "maxVisits: unlucky");
  CHECK(o.params().maxVisits == 40);
}

TEST_CASE("a good config file with comments and an include") {
  ConfigDir d("good");
  d.write("base/common.cfg",
          "# shared settings\n"
          "maxVisits = 800   # inline comment\n"
          "numSearchThreads = 2\n"
          "rules = japanese\n");
  std::string board = d.write("board.cfg",
                              "@include base/common.cfg\n"
                              "\n"
                              "maxVisits = 100\n"
                              "   nnThreads=3\n"
                              "cudaUseFP16 = true\n");
  OptionSet o{hoshi::app::programOptions()};
  std::vector<std::string> warnings;
  loadConfigFile(o, board, warnings);
  CHECK(o.params().maxVisits == 100);  // the including file overrides
  CHECK(o.params().numSearchThreads == 2);
  CHECK(o.params().rules == "japanese");
  CHECK(o.params().nnThreads == 3);
  CHECK(o.origin("maxVisits") == board + ":3");
  CHECK(o.origin("rules") == (d.dir / "base/common.cfg").string() + ":4");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == board + ":5: KataGo key 'cudaUseFP16' ignored: use nnPrecision = fp16");
}

TEST_CASE("broken config files name file and line") {
  ConfigDir d("broken");
  OptionSet o{hoshi::app::programOptions()};
  std::string f = d.write("range.cfg", "maxVisits = 10\n\nnumSearchThreads = 0\n");
  CHECK(loadError(o, f) == f + ":3: numSearchThreads: '0' is out of range [1, 1024]");

  f = d.write("syntax.cfg", "# fine\nmaxVisits 10\nkoRule = SIMPLE\n[gtp]\n");
  CHECK(loadError(o, f) == f + ":2: expected 'key = value', got 'maxVisits 10'\n" + f +
                               ":4: sections are not supported");

  std::string inner = d.write("sub/inner.cfg", "ponderingEnabled = sometimes\n");
  f = d.write("outer.cfg", "maxVisits = 5\n@include sub/inner.cfg\n");
  CHECK(loadError(o, f) == inner + ":1: ponderingEnabled: expected true or false, got 'sometimes'");

  f = d.write("missing.cfg", "@include nowhere.cfg\n");
  CHECK(loadError(o, f) ==
        f + ":1: cannot open config file '" + (d.dir / "nowhere.cfg").string() + "'");

  std::string a = d.write("a.cfg", "@include b.cfg\n");
  d.write("b.cfg", "maxVisits = 7\n@include a.cfg\n");
  CHECK(loadError(o, a) == (d.dir / "b.cfg").string() + ":2: @include cycle through '" +
                               (d.dir / "a.cfg").string() + "'");

  CHECK(loadError(o, (d.dir / "absent.cfg").string()) == (d.dir / "absent.cfg").string() +
                                                             ": cannot open config file '" +
                                                             (d.dir / "absent.cfg").string() + "'");
}

TEST_CASE("override-config items") {
  OptionSet o{hoshi::app::programOptions()};
  applyOverrides(o, "maxVisits=42, allowResignation = true,rules=chinese");
  CHECK(o.params().maxVisits == 42);
  CHECK(o.params().allowResignation);
  CHECK(o.params().rules == "chinese");
  CHECK(o.origin("maxVisits") == "-override-config");
  CHECK_THROWS_WITH(applyOverrides(o, "maxVisits"),
                    "-override-config: expected key=value, got 'maxVisits'");
  CHECK_THROWS_WITH(applyOverrides(o, "bogus=1"), "-override-config: unknown option 'bogus'");
  CHECK_THROWS_WITH(applyOverrides(o, "lagBuffer=-1"),
                    "-override-config: lagBuffer: '-1' is out of range [0, 3600]");
}
