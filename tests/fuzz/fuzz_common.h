#pragma once

// Shared by the libFuzzer harnesses: how a harness tells "bad input, clear
// error" (the normal path) from a bug.
//
// A harness calls the code under test inside `if (!refused([&] { ... }))`.
// An exception derived from std::exception is a refusal and is what bad
// input should produce. Two kinds are bugs all the same: std::bad_alloc and
// std::length_error mean the code tried to allocate what the input cannot
// back, which every reader here promises never to do. They abort, so
// libFuzzer records the input. Anything else (crashes, sanitizer reports,
// other throws) is not caught at all.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <stdexcept>

namespace hoshi::fuzz {

// Runs f; true when it threw a std::exception other than the two above.
template <class F>
bool refused(F&& f) {
  try {
    f();
    return false;
  } catch (const std::bad_alloc& e) {
    std::fprintf(stderr, "fuzz: allocation failure on fuzz input: %s\n", e.what());
    std::abort();
  } catch (const std::length_error& e) {
    std::fprintf(stderr, "fuzz: length_error on fuzz input: %s\n", e.what());
    std::abort();
  } catch (const std::exception&) {
    return true;
  }
}

// Aborts with a message when a property the harness checks does not hold.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: check failed: %s\n", what);
  std::abort();
}

}  // namespace hoshi::fuzz
