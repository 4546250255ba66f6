#include "config/board_detect.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/options.h"

namespace hoshi::config {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

std::string raspberryPiConfig(const std::string& m) {
  // Zero 2 W before "pi 3": its model string has no "3", but checking it
  // first keeps the order obvious. The first Zero (ARMv6) cannot run our
  // armhf or arm64 builds and is deliberately not matched.
  if (has(m, "zero 2")) return "rpi-zero2w.cfg";
  // "Raspberry Pi 500" and "Compute Module 5" are Pi 5 boards; the Pi 400
  // and CM4 are Pi 4 boards.
  if (has(m, "pi 5") || has(m, "compute module 5")) return "rpi5.cfg";
  if (has(m, "pi 4") || has(m, "compute module 4")) return "rpi4.cfg";
  // A 3 A+ has only 512 MB: the Zero 2 W's settings fit it.
  if (has(m, "pi 3 model a")) return "rpi-zero2w.cfg";
  if (has(m, "pi 3") || has(m, "compute module 3")) return "rpi3.cfg";
  return "";
}

std::string jetsonConfig(const std::string& m) {
  if (has(m, "orin")) return has(m, "agx") ? "jetson-agx-orin.cfg" : "jetson-orin-nano.cfg";
  // AGX Xavier has more RAM and cores than the NX; the NX file is the safe
  // lower bound for both.
  if (has(m, "xavier")) return "jetson-xavier-nx.cfg";
  if (has(m, "nano")) return "jetson-nano.cfg";
  return "";
}

}  // namespace

std::string boardConfigForModel(std::string_view model) {
  std::string m = lower(model);
  if (has(m, "raspberry pi")) return raspberryPiConfig(m);
  if (has(m, "jetson")) return jetsonConfig(m);
  return "";
}

std::string readBoardModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The device tree stores a C string: cut at the NUL, and trim line ends.
  text = text.substr(0, text.find('\0'));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::vector<std::string> defaultConfigDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("HOSHI_CONFIG_DIR"); env && *env) dirs.push_back(env);
  dirs.push_back("/etc/hoshi");
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path bin = exe.parent_path();
    dirs.push_back((bin / ".." / "share" / "hoshi" / "configs").lexically_normal().string());
    dirs.push_back((bin / ".." / "configs").lexically_normal().string());
  }
  return dirs;
}

BoardChoice chooseBoardConfig(const std::vector<std::string>& dirs, const std::string& modelPath) {
  BoardChoice c;
  c.model = readBoardModel(modelPath);
  if (c.model.empty()) {
    c.file = "x86-desktop.cfg";
    c.why = "no board model in " + modelPath + ", assuming a desktop: " + c.file;
  } else {
    c.file = boardConfigForModel(c.model);
    if (c.file.empty()) {
      c.file = "base.cfg";
      c.why = "board '" + c.model + "' is not one we have settings for: " + c.file;
    } else {
      c.why = "board '" + c.model + "': " + c.file;
    }
  }
  std::string tried;
  for (const std::string& d : dirs) {
    fs::path p = fs::path(d) / c.file;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      c.path = p.string();
      c.why += " (" + c.path + ")";
      return c;
    }
    tried += (tried.empty() ? "" : ", ") + d;
  }
  throw ConfigError("-config auto: " + c.why + ", but " + c.file + " is in none of: " + tried);
}

}  // namespace hoshi::config
