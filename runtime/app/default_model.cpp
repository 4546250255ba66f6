#include "app/default_model.h"

#include <filesystem>
#include <system_error>

namespace hoshi::app {

namespace fs = std::filesystem;

std::vector<std::string> defaultModelCandidates() {
  std::vector<std::string> out;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((self.parent_path() / kDefaultModelName).string());
  out.push_back(std::string("/usr/share/hoshi/") + kDefaultModelName);
#ifdef HOSHI_SOURCE_MODEL
  out.push_back(HOSHI_SOURCE_MODEL);
#endif
  return out;
}

std::string findDefaultModel(const std::vector<std::string>& candidates) {
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c;
  }
  return "";
}

}  // namespace hoshi::app
