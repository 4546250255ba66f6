#include "config/config_file.h"

#include <ini.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace hoshi::config {
namespace {

namespace fs = std::filesystem;

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// State of one file being read. inih pulls lines through `readLine`, which
// lets us strip `#` comments (inih only knows `;` inline), act on `@include`
// exactly where it stands, and know the line number of every key handled.
struct FileReader {
  std::string path;
  std::vector<std::string> lines;
  size_t next = 0;
  OptionSet* options = nullptr;
  std::vector<std::string>* warnings = nullptr;
  std::vector<std::string>* errors = nullptr;
  std::vector<std::string>* includeStack = nullptr;
  bool allowIncludes = true;
  std::map<std::string, int> seenKeys;

  std::string where() const { return path + ":" + std::to_string(next); }
};

void readFile(const std::string& path, OptionSet& options, std::vector<std::string>& warnings,
              std::vector<std::string>& errors, std::vector<std::string>& includeStack,
              const std::string& includedFrom);

void handleInclude(FileReader& r, const std::string& arg) {
  std::string target = trim(arg);
  if (target.size() >= 2 && target.front() == '"' && target.back() == '"')
    target = target.substr(1, target.size() - 2);
  if (target.empty()) {
    r.errors->push_back(r.where() + ": @include needs a file name");
    return;
  }
  if (!r.allowIncludes) {
    r.errors->push_back(r.where() + ": @include is not allowed here");
    return;
  }
  fs::path p(target);
  if (p.is_relative()) p = fs::path(r.path).parent_path() / p;
  readFile(p.lexically_normal().string(), *r.options, *r.warnings, *r.errors, *r.includeStack,
           r.where());
}

char* readLine(char* str, int num, void* stream) {
  auto& r = *static_cast<FileReader*>(stream);
  if (r.next >= r.lines.size()) return nullptr;
  std::string line = r.lines[r.next++];
  size_t hash = line.find('#');
  if (hash != std::string::npos) line.resize(hash);
  // Leading blanks would make inih treat the line as a continuation.
  line = trim(line);
  if (line.rfind("@include", 0) == 0) {
    handleInclude(r, line.substr(8));
    line.clear();
  } else if (!line.empty() && line.front() == '[') {
    r.errors->push_back(r.where() + ": sections are not supported");
    line.clear();
  } else if (!line.empty() && line.find('=') == std::string::npos) {
    r.errors->push_back(r.where() + ": expected 'key = value', got '" + line + "'");
    line.clear();
  } else if (static_cast<int>(line.size()) + 2 > num) {
    r.errors->push_back(r.where() + ": line too long");
    line.clear();
  }
  line += '\n';
  std::memcpy(str, line.c_str(), line.size() + 1);
  return str;
}

// Keys of KataGo's example configs (cpp/configs/gtp_example.cfg,
// analysis_example.cfg) that Hoshi cannot honour, with the reason the
// warning gives.
const char* kataGoOnlyReason(const std::string& key) {
  static const std::pair<const char*, const char*> kKeys[] = {
      {"logSearchInfoForChosenMove", "Hoshi's logSearchInfo already logs the chosen move"},
      {"nnMutexPoolSizePowerOfTwo", "Hoshi's network cache needs no mutex pool"},
      {"homeDataDir", "Hoshi keeps its measurements in nnAutoCacheDir"},
      {"numNNServerThreadsPerModel", "use nnLanes"},
      {"numEigenThreadsPerModel", "use nnThreads"},
      {"cudaDeviceToUse", "use cudaDevice"},
      {"cudaUseFP16", "use nnPrecision = fp16"},
      {"analysisWideRootNoise", "use wideRootNoise (it applies to analysis too)"},
  };
  for (const auto& [name, why] : kKeys) {
    if (key == name) return why;
  }
  return nullptr;
}

int handleKey(void* user, const char*, const char* name, const char* value) {
  auto& r = *static_cast<FileReader*>(user);
  std::string key = name;
  if (!r.options->isKnown(key)) {
    if (const char* why = kataGoOnlyReason(key)) {
      r.warnings->push_back(r.where() + ": KataGo key '" + key + "' ignored: " + why);
    } else {
      r.warnings->push_back(r.where() + ": unknown key '" + key + "' ignored");
    }
    return 1;
  }
  auto seen = r.seenKeys.find(key);
  if (seen != r.seenKeys.end()) {
    r.warnings->push_back(r.where() + ": '" + key + "' already set on line " +
                          std::to_string(seen->second) + ", this one wins");
  }
  r.seenKeys[key] = static_cast<int>(r.next);
  try {
    r.options->set(key, value, r.where());
  } catch (const ConfigError& e) {
    r.errors->push_back(r.where() + ": " + e.what());
  }
  return 1;
}

void readFile(const std::string& path, OptionSet& options, std::vector<std::string>& warnings,
              std::vector<std::string>& errors, std::vector<std::string>& includeStack,
              const std::string& includedFrom) {
  std::string prefix = includedFrom.empty() ? path : includedFrom;
  std::error_code dirEc;
  if (fs::is_directory(path, dirEc)) {
    errors.push_back(prefix + ": '" + path + "' is a folder, not a config file");
    return;
  }
  std::ifstream in(path);
  if (!in) {
    errors.push_back(prefix + ": cannot open config file '" + path + "'");
    return;
  }
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(path, ec).string();
  for (const std::string& open : includeStack) {
    if (open == canonical) {
      errors.push_back(prefix + ": @include cycle through '" + path + "'");
      return;
    }
  }
  FileReader r;
  r.path = path;
  for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  r.options = &options;
  r.warnings = &warnings;
  r.errors = &errors;
  r.includeStack = &includeStack;
  includeStack.push_back(canonical);
  ini_parse_stream(readLine, &r, handleKey, &r);
  includeStack.pop_back();
}

void throwErrors(const std::vector<std::string>& errors) {
  if (errors.empty()) return;
  std::string all;
  for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
  throw ConfigError(all);
}

}  // namespace

void loadConfigFile(OptionSet& options, const std::string& path,
                    std::vector<std::string>& warnings) {
  std::vector<std::string> errors;
  std::vector<std::string> includeStack;
  readFile(path, options, warnings, errors, includeStack, "");
  throwErrors(errors);
}

void loadConfigText(OptionSet& options, const std::string& text, const std::string& name,
                    std::vector<std::string>& warnings) {
  std::vector<std::string> errors;
  std::vector<std::string> includeStack;
  FileReader r;
  r.path = name;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  r.options = &options;
  r.warnings = &warnings;
  r.errors = &errors;
  r.includeStack = &includeStack;
  r.allowIncludes = false;
  ini_parse_stream(readLine, &r, handleKey, &r);
  throwErrors(errors);
}

void applyOverrides(OptionSet& options, const std::string& overrides, const std::string& origin) {
  size_t pos = 0;
  while (pos <= overrides.size()) {
    size_t comma = overrides.find(',', pos);
    if (comma == std::string::npos) comma = overrides.size();
    std::string item = trim(overrides.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string::npos)
      throw ConfigError(origin + ": expected key=value, got '" + item + "'");
    std::string key = trim(item.substr(0, eq));
    std::string value = trim(item.substr(eq + 1));
    try {
      options.set(key, value, origin);
    } catch (const ConfigError& e) {
      throw ConfigError(origin + ": " + e.what());
    }
  }
}

}  // namespace hoshi::config
