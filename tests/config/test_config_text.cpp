// loadConfigText: config text held in memory (the fuzz target's entry point)
// reads like a file of that name, and refuses @include.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"

using namespace hoshi::config;

TEST_CASE("config text in memory reads like a file") {
  OptionSet options{hoshi::app::programOptions()};
  std::vector<std::string> warnings;
  loadConfigText(options, "maxVisits = 12  # comment\nnoSuchKey = 1\nrules=japanese\n", "mem.cfg",
                 warnings);
  CHECK(options.get("maxVisits") == "12");
  CHECK(options.get("rules") == "japanese");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("mem.cfg:2:", 0) == 0);
}

TEST_CASE("config text in memory refuses @include and names the line") {
  OptionSet options{hoshi::app::programOptions()};
  std::vector<std::string> warnings;
  try {
    loadConfigText(options, "maxVisits = 3\n@include base.cfg\nmaxVisits = x\n", "mem.cfg",
                   warnings);
    FAIL("no error");
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    CHECK(what.find("mem.cfg:2: @include is not allowed here") != std::string::npos);
    CHECK(what.find("mem.cfg:3:") != std::string::npos);
  }
  CHECK(options.get("maxVisits") == "3");
}
