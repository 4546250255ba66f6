#include "gtp/parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hoshi::gtp {

bool parseInt(const std::string& s, int& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size() || v < -1000000000L || v > 1000000000L)
    return false;
  out = static_cast<int>(v);
  return true;
}

bool parseFloat(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out);
}

bool parseColor(const std::string& s, Color& out) {
  return tryParseColor(s, out);
}

bool parseVertex(const std::string& s, const Board& board, Loc& out) {
  return tryParseLoc(s, board.xSize(), board.ySize(), out);
}

}  // namespace hoshi::gtp
