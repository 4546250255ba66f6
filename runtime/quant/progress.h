#pragma once

// Progress of the long offline steps (sampling, calibration, sensitivity).

#include <string>

namespace hoshi::quant {

// A progress bar on stderr when it is a terminal (nothing otherwise).
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
