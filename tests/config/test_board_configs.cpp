// Every file in configs/ is loaded through the real config loader and checked
// against what we know of the board it is for; broken copies of them must be
// refused with the file and line of the fault.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/board_detect.h"
#include "config/config_file.h"
#include "config/options.h"

using namespace hoshi::config;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(HOSHI_SOURCE_DIR) / "configs";

// Published figures of each board: cores, RAM of the model the file is sized
// for, and whether the network runs on a GPU.
struct BoardFacts {
  int cores;
  int ramMiB;
  bool gpu;
};

const std::map<std::string, BoardFacts> kBoards = {
    {"rpi-zero2w.cfg", {4, 512, false}},        {"rpi3.cfg", {4, 1024, false}},
    {"rpi4.cfg", {4, 2048, false}},             {"rpi5.cfg", {4, 4096, false}},
    {"jetson-nano.cfg", {4, 4096, true}},       {"jetson-xavier-nx.cfg", {6, 8192, true}},
    {"jetson-orin-nano.cfg", {6, 8192, true}},  {"jetson-agx-orin.cfg", {12, 32768, true}},
    {"x86-desktop.cfg", {8, 16384, false}},
};
const std::set<std::string> kBases = {"base.cfg", "rpi-base.cfg", "jetson-base.cfg"};

// One cache entry: policy and ownership, 2 x 362 floats plus bookkeeping.
constexpr double kCacheEntryBytes = 3 * 1024;

struct Loaded {
  OptionSet options{hoshi::app::programOptions()};
  std::vector<std::string> warnings;
};

Loaded load(const fs::path& path) {
  Loaded l;
  loadConfigFile(l.options, path.string(), l.warnings);
  return l;
}

std::string firstInclude(const fs::path& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("@include", 0) == 0) {
      std::istringstream words(line.substr(8));
      std::string name;
      words >> name;
      return name;
    }
  }
  return "";
}

std::string loadError(const fs::path& path, std::vector<std::string>* warnings = nullptr) {
  OptionSet o{hoshi::app::programOptions()};
  std::vector<std::string> w;
  try {
    loadConfigFile(o, path.string(), w);
  } catch (const ConfigError& e) {
    return e.what();
  }
  if (warnings) *warnings = w;
  return "";
}

// A copy of configs/ in the build tree that a test may break.
fs::path scratchCopy(const std::string& name) {
  fs::path dir = fs::path(HOSHI_BINARY_DIR) / "test-board-configs" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(kConfigs)) fs::copy(e.path(), dir / e.path().filename());
  return dir;
}

// Replaces the line that starts with `key` in `file`; returns its 1-based number.
int replaceLine(const fs::path& file, const std::string& key, const std::string& text) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  int found = 0;
  for (std::string line; std::getline(in, line);) {
    if (!found && line.rfind(key, 0) == 0) {
      line = text;
      found = static_cast<int>(lines.size()) + 1;
    }
    lines.push_back(line);
  }
  in.close();
  std::ofstream out(file);
  for (const std::string& l : lines) out << l << "\n";
  REQUIRE(found > 0);
  return found;
}

}  // namespace

TEST_CASE("every file in configs/ loads without errors or warnings") {
  int boards = 0;
  for (const auto& e : fs::directory_iterator(kConfigs)) {
    std::string name = e.path().filename().string();
    INFO(name);
    REQUIRE(e.path().extension() == ".cfg");
    // A new file must be described above, so that the checks below see it.
    REQUIRE((kBoards.count(name) + kBases.count(name)) == 1);
    Loaded l = load(e.path());
    CHECK(l.warnings.empty());
    boards += kBoards.count(name) ? 1 : 0;
  }
  CHECK(boards == static_cast<int>(kBoards.size()));
}

TEST_CASE("board configs fit their board") {
  for (const auto& [name, facts] : kBoards) {
    INFO(name);
    Loaded l = load(kConfigs / name);
    const Params& p = l.options.params();
    // Each value comes from a file, none from a built-in default we forgot.
    for (const char* key : {"numSearchThreads", "nnThreads", "nnMaxBatchSize", "maxVisits",
                            "nnCacheSizePowerOfTwo", "nnBackend", "nnPrecision", "maxMemoryMiB"}) {
      INFO(key);
      CHECK(l.options.origin(key) != "default");
    }
    // The board measures its fastest path; its file says what it expects.
    CHECK(p.nnBackend == "auto");
    CHECK(p.nnPrecision == "auto");
    std::ifstream file(kConfigs / name);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    CHECK(text.find(facts.gpu ? "# auto is expected to choose cuda fp16"
                              : "# auto ") != std::string::npos);
    if (facts.gpu) {
      CHECK(p.nnThreads == 1);
    } else {
      CHECK(p.nnThreads <= facts.cores);
      CHECK(p.numSearchThreads <= facts.cores);
    }
    // A batch larger than the search threads could never be filled.
    CHECK(p.nnMaxBatchSize <= p.numSearchThreads);
    // Leave at least a quarter of RAM to the OS (and on a Jetson the GPU).
    CHECK(p.maxMemoryMiB > 0);
    CHECK(p.maxMemoryMiB <= facts.ramMiB * 3 / 4);
    double cacheMiB = std::ldexp(kCacheEntryBytes, static_cast<int>(p.nnCacheSizePowerOfTwo)) /
                      (1024 * 1024);
    CHECK(cacheMiB <= p.maxMemoryMiB / 2.0);
    CHECK(p.maxVisits >= 32);
    CHECK(p.maxTime <= 30);
  }
}

TEST_CASE("board configs only hold what differs from their base") {
  for (const auto& [name, facts] : kBoards) {
    INFO(name);
    std::string base = firstInclude(kConfigs / name);
    REQUIRE(kBases.count(base) == 1);
    Loaded board = load(kConfigs / name);
    Loaded parent = load(kConfigs / base);
    std::string own = (kConfigs / name).string() + ":";
    int differences = 0;
    for (const OptionSpec& d : hoshi::app::programOptions().specs()) {
      if (board.options.origin(d.name).rfind(own, 0) != 0) continue;
      INFO(d.name);
      // Restating a built-in default is fine (it documents a board decision);
      // restating what an included file already says is not.
      if (parent.options.origin(d.name) != "default")
        CHECK(board.options.get(d.name) != parent.options.get(d.name));
      ++differences;
    }
    CHECK(differences > 0);
  }
}

TEST_CASE("broken board configs are refused with file and line") {
  fs::path dir = scratchCopy("broken");

  SECTION("a value out of range in the board file") {
    int line = replaceLine(dir / "rpi4.cfg", "maxMemoryMiB", "maxMemoryMiB = -5");
    std::string err = loadError(dir / "rpi4.cfg");
    CHECK(err == (dir / "rpi4.cfg").string() + ":" + std::to_string(line) +
                     ": maxMemoryMiB: '-5' is out of range [0, 1073741824]");
  }
  SECTION("a bad value two includes down names that file") {
    int line = replaceLine(dir / "base.cfg", "nnPrecision", "nnPrecision = fp8");
    std::string err = loadError(dir / "rpi3.cfg");
    CHECK(err == (dir / "base.cfg").string() + ":" + std::to_string(line) +
                     ": nnPrecision: 'fp8' is not one of fp32, fp16, int8, auto");
  }
  SECTION("a threads count of zero") {
    int line = replaceLine(dir / "jetson-nano.cfg", "numSearchThreads", "numSearchThreads = 0");
    std::string err = loadError(dir / "jetson-nano.cfg");
    CHECK(err == (dir / "jetson-nano.cfg").string() + ":" + std::to_string(line) +
                     ": numSearchThreads: '0' is out of range [1, 1024]");
  }
  SECTION("a missing base") {
    fs::remove(dir / "jetson-base.cfg");
    std::string err = loadError(dir / "jetson-agx-orin.cfg");
    CHECK(err.rfind((dir / "jetson-agx-orin.cfg").string() + ":3: cannot open config file", 0) == 0);
  }
  SECTION("a misspelt key is a warning with file and line, not an error") {
    int line = replaceLine(dir / "rpi5.cfg", "maxVisits", "maxVisit = 400");
    std::vector<std::string> warnings;
    CHECK(loadError(dir / "rpi5.cfg", &warnings).empty());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == (dir / "rpi5.cfg").string() + ":" + std::to_string(line) +
                             ": unknown key 'maxVisit' ignored");
  }
  SECTION("a line without '='") {
    int line = replaceLine(dir / "x86-desktop.cfg", "maxTime", "maxTime 10");
    std::string err = loadError(dir / "x86-desktop.cfg");
    CHECK(err == (dir / "x86-desktop.cfg").string() + ":" + std::to_string(line) +
                     ": expected 'key = value', got 'maxTime 10'");
  }
}
