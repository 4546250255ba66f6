// The backend registry: backends add themselves (nn/registry.h), the program
// registers the compiled-in ones (nn/builtin), createBackend finds them.

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "nn/backend.h"
#include "nn/builtin/builtin_backends.h"
#include "nn/eigen/eigen_backend.h"
#include "nn/fake/fake_backend.h"
#include "nn/registry.h"

using namespace hoshi;

TEST_CASE("registry keeps the order, ignores a repeat, refuses a second factory under a name",
          "[nn][backend][registry]") {
  nn::BackendRegistry registry;
  nn::registerEigenBackend(registry);
  nn::registerFakeBackend(registry);
  nn::registerEigenBackend(registry);
  auto entries = registry.entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].name == "eigen");
  CHECK(entries[0].transformers);
  CHECK(entries[0].listed);
  CHECK(entries[1].name == "fake");
  CHECK_FALSE(entries[1].listed);
  nn::BackendEntry found;
  REQUIRE(registry.find("fake", &found));
  CHECK(found.create == &nn::createFakeBackend);
  CHECK_FALSE(registry.find("cuda", &found));
  CHECK_THROWS_AS(registry.add({"eigen", &nn::createFakeBackend, true, true}), std::logic_error);
  CHECK_THROWS_AS(registry.add({"", &nn::createFakeBackend, true, true}), std::logic_error);
  CHECK_THROWS_AS(registry.add({"none", nullptr, true, true}), std::logic_error);
  CHECK(registry.entries().size() == 2);
}

TEST_CASE("the built-in backends register once, in the order users see them",
          "[nn][backend][registry]") {
  // The test main registered them already; a second call changes nothing.
  const auto before = nn::backendRegistry().entries();
  nn::registerBuiltinBackends();
  const auto after = nn::backendRegistry().entries();
  REQUIRE(after.size() == before.size());
  REQUIRE(after.size() >= 2);
  CHECK(after[0].name == "eigen");
  CHECK(after[1].name == "fake");
  std::string names;
  for (const auto& e : after) names += (names.empty() ? "" : ", ") + e.name;
  CHECK_THROWS_WITH(nn::createBackend("nonexistent", nullptr, {}),
                    "unknown backend 'nonexistent' (compiled in: " + names + ")");
}
