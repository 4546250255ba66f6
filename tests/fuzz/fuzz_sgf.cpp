// libFuzzer target: the SGF reader (runtime/game/sgf*.cpp). Parses the input
// as a collection and as a game; a game that parses is written back and must
// read again to the same game, then is replayed into a GameState (whole, and
// up to a move chosen from the input) and turned back into a record.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "game/sgf.h"

using namespace hoshi;
using fuzz::refused;
using fuzz::require;

namespace {

void replayAndWrite(const sgf::Game& game, int untilMove) {
  Rules rules = sgf::rulesFor(game, Rules::trompTaylor());
  GameState state = sgf::replay(game, rules, untilMove);
  sgf::Game back = sgf::fromGameState(state);
  std::string text = sgf::writeGame(back);
  sgf::Game again = sgf::parseGame(text);
  require(again.xSize == state.board().xSize() && again.ySize == state.board().ySize(),
          "record of a replayed game keeps the board size");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  refused([&] { sgf::parseCollection(text); });
  sgf::Game game;
  if (refused([&] { game = sgf::parseGame(text); })) return 0;

  // What we write we must read back: a throw here escapes and is a bug.
  const std::string written = sgf::writeGame(game);
  const sgf::Game reread = sgf::parseGame(written);
  require(reread.xSize == game.xSize && reread.ySize == game.ySize, "round trip keeps SZ");
  require(reread.steps.size() == game.steps.size(), "round trip keeps the main line");
  require(reread.setup.size() == game.setup.size(), "round trip keeps the setup");
  require(sgf::writeGame(reread) == written, "writing is stable after one round trip");

  refused([&] { replayAndWrite(game, 0); });
  const int untilMove = size > 0 ? data[size - 1] % 16 : 0;
  if (untilMove > 0) refused([&] { replayAndWrite(game, untilMove); });
  return 0;
}
