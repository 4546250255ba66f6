#pragma once

// Progress of the long offline steps (sampling, calibration, sensitivity).

#include <string>

namespace hoshi::quant {

// Progress on stderr: a bar redrawn in place when stderr is a terminal,
// otherwise a plain line at every tenth of the way ("label: 120/400 (30%)"),
// so that logs and pipes see it too.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(int done, int total);

 private:
  std::string label_;
  bool tty_;
  int lastShown_ = -1;
};

}  // namespace hoshi::quant
