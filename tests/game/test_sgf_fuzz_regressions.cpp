// Regressions found by tests/fuzz/fuzz_sgf; each input is also kept in
// tests/fuzz/corpus/sgf.

#include <catch2/catch.hpp>

#include <string>

#include "game/sgf.h"

using namespace hoshi;

// A finite KM too large for a float became inf: writeGame then printed
// KM[inf], which parseGame refuses, so a record we read could not be read
// back after writing (and the double to float conversion was undefined).
TEST_CASE("SGF: KM beyond float range is refused, not turned into inf", "[sgf]") {
  const std::string big = "(;GM[1]SZ[9]KM[5" + std::string(100, '1') + ".5];B[ee])";
  CHECK_THROWS_AS(sgf::parseGame(big), sgf::SgfError);
  CHECK_THROWS_WITH(sgf::parseGame(big), Catch::Contains("bad KM value"));
  CHECK_THROWS_AS(sgf::parseGame("(;SZ[9]KM[-1e39])"), sgf::SgfError);
  // The largest komi a float holds still reads, and writes back readably.
  sgf::Game g = sgf::parseGame("(;SZ[9]KM[1e38];B[ee])");
  REQUIRE(g.komi);
  sgf::Game again = sgf::parseGame(sgf::writeGame(g));
  REQUIRE(again.komi);
  CHECK(*again.komi == *g.komi);
}
