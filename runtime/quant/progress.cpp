#include "quant/progress.h"

#include <unistd.h>

#include <cstdio>

namespace hoshi::quant {

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)), tty_(isatty(2) != 0) {}

ProgressBar::~ProgressBar() {
  if (tty_ && lastShown_ >= 0) std::fputc('\n', stderr);
}

void ProgressBar::update(int done, int total) {
  if (total <= 0) return;
  const int percent = int(100LL * done / total);
  if (!tty_) {
    if (percent / 10 == lastShown_) return;
    lastShown_ = percent / 10;
    const size_t end = label_.find_last_not_of(' ');
    std::fprintf(stderr, "%s: %d/%d (%d%%)\n", label_.substr(0, end + 1).c_str(), done, total,
                 percent);
    return;
  }
  constexpr int kWidth = 40;
  if (percent == lastShown_) return;
  lastShown_ = percent;
  const int filled = kWidth * done / total;
  std::fprintf(stderr, "\r%s [%s%s] %3d%% %d/%d", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, ' ').c_str(), percent, done, total);
  std::fflush(stderr);
}

}  // namespace hoshi::quant
