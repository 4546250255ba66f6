#include "search/policy_optimism.h"

#include <cstring>

namespace hoshi::search {

Hash128 optimismKey(const Hash128& key, double optimism) {
  if (optimism == 0) return key;
  uint64_t bits = 0;
  std::memcpy(&bits, &optimism, sizeof bits);
  // splitmix64 of the value's bits, salted so it cannot cancel another mix.
  auto mix = [](uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  return key ^ Hash128(mix(bits ^ 0x6f7074696d69736dULL), mix(bits + 0x706f6c6963790000ULL));
}

}  // namespace hoshi::search
