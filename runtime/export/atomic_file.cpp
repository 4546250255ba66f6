#include "export/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace hoshi::exporter {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write '" + path + "': " + why);
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  if (path.empty()) fail(path, "no file name");
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fail(path, "it is a folder");
  std::vector<char> name(path.begin(), path.end());
  const char suffix[] = ".tmp-XXXXXX";
  name.insert(name.end(), suffix, suffix + sizeof(suffix));
  const int fd = mkstemp(name.data());
  if (fd < 0) fail(path, std::strerror(errno));
  fchmod(fd, 0644);  // mkstemp makes it 0600
  close(fd);
  temp_ = name.data();
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    std::remove(temp_.c_str());
    fail(path, "cannot open a temporary file beside it");
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::remove(temp_.c_str());
}

void AtomicFile::commit() {
  out_.flush();
  if (!out_) fail(path_, "write failed (disk full?)");
  out_.close();
  if (out_.fail()) fail(path_, "closing failed (disk full?)");
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) fail(path_, std::strerror(errno));
  committed_ = true;
}

}  // namespace hoshi::exporter
