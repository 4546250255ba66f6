#pragma once

// A file written whole or not at all: the bytes go to a temporary file in the
// destination's folder, renamed over the destination by commit(). Destroyed
// without commit() (an exception on the way), the temporary is removed.

#include <fstream>
#include <string>

namespace hoshi::exporter {

class AtomicFile {
 public:
  // Throws std::runtime_error "cannot write 'PATH': REASON" when the folder
  // is missing or not writable, or PATH is a folder.
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  // Flushes, checks every write succeeded and renames into place.
  void commit();

 private:
  std::string path_;
  std::string temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace hoshi::exporter
