#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hoshi::config {

// `-config auto`: the board's config file chosen from the device-tree model
// string the kernel exposes on Arm boards.

constexpr const char* kDeviceTreeModelPath = "/proc/device-tree/model";

// The file in configs/ for a device-tree model string such as
// "Raspberry Pi 4 Model B Rev 1.4"; "" when the board is not one we know.
std::string boardConfigForModel(std::string_view model);

// The model string at `path` without its trailing NUL; "" when unreadable.
std::string readBoardModel(const std::string& path = kDeviceTreeModelPath);

// Where config files are looked for, in order: $HOSHI_CONFIG_DIR, /etc/hoshi,
// and beside the binary (../share/hoshi/configs for an install, ../configs
// for a build directory inside the source tree).
std::vector<std::string> defaultConfigDirs();

struct BoardChoice {
  std::string model;  // as read; empty without a device tree
  std::string file;   // e.g. "rpi4.cfg"
  std::string path;   // the file found in the search dirs; empty if none had it
  std::string why;    // one line for the log, naming the model and the file
};

// Picks the config for the model at `modelPath` and finds it in `dirs`.
// Without a device tree (a PC) the choice is x86-desktop.cfg; an Arm board we
// do not know gets base.cfg. Throws ConfigError when the file is in no dir.
BoardChoice chooseBoardConfig(const std::vector<std::string>& dirs,
                              const std::string& modelPath = kDeviceTreeModelPath);

}  // namespace hoshi::config
