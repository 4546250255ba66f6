#pragma once

// KataGo's policyOptimism / rootPolicyOptimism: nets of version 12 and later
// have a second, optimistic policy channel (trained towards moves that
// turned out better than expected); the policy the search uses blends it in
// by this share, rootPolicyOptimism at the root and policyOptimism below.
// Nets with one policy channel ignore it. The blend happens in the net's
// post-processing (nn/postprocess); the search only asks for it, and keeps
// outputs with different optimism apart in the cache.

#include "game/zobrist.h"

namespace hoshi::search {

// The cache key of an evaluation with this optimism (the key itself for 0).
Hash128 optimismKey(const Hash128& key, double optimism);

}  // namespace hoshi::search
