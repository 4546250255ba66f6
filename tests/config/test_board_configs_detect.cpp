// `-config auto`: device-tree model strings as the boards report them, mapped
// to the files in configs/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "config/board_detect.h"
#include "config/options.h"

using namespace hoshi::config;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(HOSHI_SOURCE_DIR) / "configs";

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(HOSHI_BINARY_DIR) / "test-board-detect" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The kernel's file holds the string with its terminating NUL.
fs::path writeModel(const fs::path& dir, const std::string& model) {
  fs::path p = dir / ("model-" + std::to_string(std::hash<std::string>()(model)));
  std::ofstream(p, std::ios::binary) << model << '\0';
  return p;
}

}  // namespace

TEST_CASE("device-tree models map to board files") {
  // Strings as found in /proc/device-tree/model on the boards.
  const std::pair<const char*, const char*> cases[] = {
      {"Raspberry Pi Zero 2 W Rev 1.0", "rpi-zero2w.cfg"},
      {"Raspberry Pi 3 Model B Rev 1.2", "rpi3.cfg"},
      {"Raspberry Pi 3 Model B Plus Rev 1.3", "rpi3.cfg"},
      {"Raspberry Pi 3 Model A Plus Rev 1.0", "rpi-zero2w.cfg"},
      {"Raspberry Pi 4 Model B Rev 1.5", "rpi4.cfg"},
      {"Raspberry Pi 400 Rev 1.0", "rpi4.cfg"},
      {"Raspberry Pi Compute Module 4 Rev 1.0", "rpi4.cfg"},
      {"Raspberry Pi 5 Model B Rev 1.0", "rpi5.cfg"},
      {"Raspberry Pi 500 Rev 1.0", "rpi5.cfg"},
      {"NVIDIA Jetson Nano Developer Kit", "jetson-nano.cfg"},
      {"NVIDIA Jetson Xavier NX Developer Kit", "jetson-xavier-nx.cfg"},
      {"NVIDIA Jetson Orin Nano Developer Kit", "jetson-orin-nano.cfg"},
      {"NVIDIA Jetson AGX Orin Developer Kit", "jetson-agx-orin.cfg"},
      {"Raspberry Pi Model B Rev 2", ""},  // ARMv6: our builds cannot run there
      {"Raspberry Pi Zero W Rev 1.1", ""},
      {"Pine64 RockPro64 v2.1", ""},
  };
  for (const auto& [model, file] : cases) {
    INFO(model);
    CHECK(boardConfigForModel(model) == file);
    if (*file) CHECK(fs::is_regular_file(kConfigs / file));
  }
}

TEST_CASE("the model file is read without its NUL") {
  fs::path dir = scratch("read");
  CHECK(readBoardModel(writeModel(dir, "Raspberry Pi 5 Model B Rev 1.0").string()) ==
        "Raspberry Pi 5 Model B Rev 1.0");
  CHECK(readBoardModel((dir / "absent").string()).empty());
}

TEST_CASE("config auto finds the board file and says why") {
  fs::path dir = scratch("choose");
  fs::path model = writeModel(dir, "Raspberry Pi 4 Model B Rev 1.4");
  BoardChoice c = chooseBoardConfig({(dir / "nowhere").string(), kConfigs.string()}, model.string());
  CHECK(c.model == "Raspberry Pi 4 Model B Rev 1.4");
  CHECK(c.file == "rpi4.cfg");
  CHECK(c.path == (kConfigs / "rpi4.cfg").string());
  CHECK(c.why == "board 'Raspberry Pi 4 Model B Rev 1.4': rpi4.cfg (" + c.path + ")");

  BoardChoice pc = chooseBoardConfig({kConfigs.string()}, (dir / "absent").string());
  CHECK(pc.file == "x86-desktop.cfg");
  CHECK(pc.model.empty());

  BoardChoice other =
      chooseBoardConfig({kConfigs.string()}, writeModel(dir, "Pine64 RockPro64 v2.1").string());
  CHECK(other.file == "base.cfg");

  CHECK_THROWS_WITH(chooseBoardConfig({(dir / "nowhere").string()}, model.string()),
                    "-config auto: board 'Raspberry Pi 4 Model B Rev 1.4': rpi4.cfg, but rpi4.cfg "
                    "is in none of: " + (dir / "nowhere").string());
}

TEST_CASE("config dirs: environment first, then /etc/hoshi, then beside the binary") {
  setenv("HOSHI_CONFIG_DIR", "/opt/boards", 1);
  std::vector<std::string> dirs = defaultConfigDirs();
  unsetenv("HOSHI_CONFIG_DIR");
  REQUIRE(dirs.size() == 4);
  CHECK(dirs[0] == "/opt/boards");
  CHECK(dirs[1] == "/etc/hoshi");
  CHECK(dirs[3] == (fs::path(HOSHI_BINARY_DIR) / "configs").lexically_normal().string());
}
