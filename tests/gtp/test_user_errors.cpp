// Every error a user can cause through GTP: the exact message, and the
// engine's state (board, history, komi, rules, size, params) unchanged.

#include <catch2/catch.hpp>

#include <pty.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/options.h"
#include "gtp/serve.h"
#include "gtp/session.h"
#include "gtp/transport_serial.h"
#include "search/engine.h"
#include "session_fixture.h"
#include "test_transport_util.h"

using namespace hoshi;
namespace fs = std::filesystem;

namespace {

struct Fixture : test::SessionFixture {
  Fixture() : SessionFixture("user-errors", {{"maxVisits", "8"}}) {}
  // Everything a front end can observe, plus what only the engine knows.
  std::string snapshot() {
    std::ostringstream s;
    for (const char* q : {"showboard", "printsgf", "kata-get-rules", "kata-get-param maxVisits",
                          "kata-get-param gtpTolerantPlay", "final_score"})
      s << q << ": " << send(q);
    s << "moves " << engine->state().moves().size() << " size " << engine->board().xSize() << "x"
      << engine->board().ySize() << " komi " << engine->state().komi() << " hash "
      << engine->board().positionHash().hi << ":" << engine->board().positionHash().lo
      << " params.maxVisits " << engine->params().maxVisits;
    return s.str();
  }
  // A game in progress on 9x9 with non-default komi and rules.
  void setUpGame() {
    for (const char* c : {"boardsize 9", "komi 6.5", "kata-set-rules japanese", "play b e5",
                          "play w c3", "play b g7", "play w d4"})
      REQUIRE(send(c) == "= \n\n");
  }
};

struct Case {
  const char* command;
  const char* response;
};

void checkRefusedUnchanged(Fixture& f, const std::vector<Case>& cases) {
  const std::string before = f.snapshot();
  for (const Case& c : cases) {
    INFO(c.command);
    CHECK(f.send(c.command) == c.response);
    REQUIRE(f.snapshot() == before);
  }
}

}  // namespace

TEST_CASE("user errors: bad coordinates and colours change nothing") {
  Fixture f;
  f.setUpGame();
  checkRefusedUnchanged(f, {{"play b Z99", "? invalid coordinate\n\n"},
                            {"play b A0", "? invalid coordinate\n\n"},
                            {"play b A10", "? invalid coordinate\n\n"},
                            {"play b J10", "? invalid coordinate\n\n"},
                            {"play b I5", "? invalid coordinate\n\n"},
                            {"play b -1", "? invalid coordinate\n\n"},
                            {"play b 5e", "? invalid coordinate\n\n"},
                            {"play x D4", "? invalid color\n\n"},
                            {"play b E5", "? illegal move\n\n"},
                            {"play b", "? syntax error\n\n"},
                            {"7 play b c2 d2", "?7 syntax error\n\n"},
                            {"genmove purple", "? invalid color\n\n"},
                            {"reg_genmove purple", "? invalid color\n\n"},
                            {"set_free_handicap A0", "? invalid coordinate\n\n"},
                            {"fixed_handicap 2", "? board not empty\n\n"},
                            {"final_status_list maybe", "? syntax error\n\n"}});
}

TEST_CASE("user errors: bad board sizes change nothing") {
  Fixture f;
  f.setUpGame();
  checkRefusedUnchanged(f,
                        {{"boardsize 0", "? unacceptable size: each side must be 2 to 19\n\n"},
                         {"boardsize 1", "? unacceptable size: each side must be 2 to 19\n\n"},
                         {"boardsize 26", "? unacceptable size: each side must be 2 to 19\n\n"},
                         {"boardsize -19", "? unacceptable size: each side must be 2 to 19\n\n"},
                         {"boardsize 99999999999", "? syntax error\n\n"},
                         {"boardsize abc", "? syntax error\n\n"},
                         {"boardsize 9.5", "? syntax error\n\n"},
                         {"boardsize 9 9 9", "? syntax error\n\n"},
                         {"boardsize 9 20", "? unacceptable size: each side must be 2 to 19\n\n"},
                         {"boardsize", "? syntax error\n\n"}});
}

TEST_CASE("user errors: bad komi changes nothing") {
  Fixture f;
  f.setUpGame();
  checkRefusedUnchanged(f,
                        {{"komi abc", "? syntax error\n\n"},
                         {"komi nan", "? unacceptable komi: 'nan' is not a finite number\n\n"},
                         {"komi NaN", "? unacceptable komi: 'NaN' is not a finite number\n\n"},
                         {"komi inf", "? unacceptable komi: 'inf' is not a finite number\n\n"},
                         {"komi -inf", "? unacceptable komi: '-inf' is not a finite number\n\n"},
                         {"komi 1e400", "? unacceptable komi: '1e400' is not a finite number\n\n"},
                         {"komi 0x", "? syntax error\n\n"},
                         {"komi 1.25", "? unacceptable komi: must be a whole or half number\n\n"},
                         {"komi 400.5", "? unacceptable komi: must be within -400 to 400\n\n"},
                         {"komi -1e300", "? unacceptable komi: must be within -400 to 400\n\n"},
                         {"komi", "? syntax error\n\n"}});
  // And a good one still works afterwards.
  CHECK(f.send("komi 7") == "= \n\n");
  CHECK(f.engine->state().komi() == 7.0f);
}

TEST_CASE("user errors: unknown rules change nothing") {
  Fixture f;
  f.setUpGame();
  const std::string rules = f.send("kata-get-rules");
  REQUIRE(rules.find("\"scoring\":\"TERRITORY\"") != std::string::npos);
  checkRefusedUnchanged(
      f, {{"kata-set-rules foo", "? Unknown rules 'foo', could not parse rules: foo\n\n"},
          {"kata-set-rules {\"ko\":\"NOPE\"}",
           "? Unknown rules '{\"ko\":\"NOPE\"}', invalid ko rule: NOPE\n\n"},
          {"kgs-rules bar", "? Unknown rules 'bar'\n\n"},
          {"kgs-rules tromp-taylor", "? Unknown rules 'tromp-taylor'\n\n"},
          {"kata-set-rules", "? syntax error\n\n"}});
  CHECK(f.send("kata-get-rules") == rules);
}

TEST_CASE("user errors: bad runtime parameters change nothing") {
  Fixture f;
  f.setUpGame();
  checkRefusedUnchanged(
      f, {{"kata-set-param bogusKey 1", "? Invalid parameter: bogusKey\n\n"},
          {"kata-set-param maxVisits 0",
           "? Could not set params: maxVisits: '0' is out of range [1, ...]\n\n"},
          {"kata-set-param maxVisits many",
           "? Could not set params: maxVisits: expected an integer, got 'many'\n\n"},
          {"kata-set-param gtpTolerantPlay sometimes",
           "? Could not set params: gtpTolerantPlay: expected true or false, got 'sometimes'\n\n"},
          {"kata-set-param", "? syntax error\n\n"},
          {"kata-set-param maxVisits", "? kata-set-param maxVisits needs a value\n\n"},
          {"kata-set-param koRule nonsense",
           "? Could not set params: koRule: 'nonsense' is not one of SIMPLE, POSITIONAL, "
           "SITUATIONAL\n\n"},
          {"kata-set-param rules klingon",
           "? Could not set params: rules: unknown rules 'klingon': could not parse rules: "
           "klingon\n\n"}});
  CHECK(f.options.origin("maxVisits") == "test");
}

TEST_CASE("user errors: unreadable SGF files change nothing and say why in the log") {
  Fixture f;
  f.setUpGame();
  fs::path dir = fs::path(HOSHI_BINARY_DIR) / ("test-user-errors-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  std::string garbage = write("garbage.sgf", std::string("\x01\x02\xff\xfe not an sgf", 16));
  std::string bigBoard = write("big.sgf", "(;GM[1]FF[4]SZ[25];B[aa])");
  std::string badRules = write("rules.sgf", "(;GM[1]FF[4]SZ[9]RU[klingon];B[ee])");
  std::string cut = write("cut.sgf", "(;GM[1]FF[4]SZ[9];B[ee];W[");
  std::string empty = write("empty.sgf", "");
  std::string missing = (dir / "missing.sgf").string();
  // The answer says why: the parse error's line and column, the size, a folder.
  const std::string loadFailed = "? cannot load file: ";
  const std::string garbageWhy = loadFailed + garbage +
                                 ": SGF error at line 1, column 17: no game tree found "
                                 "(expected '(')\n\n";
  const std::string bigWhy =
      loadFailed + bigBoard + ": root: board size SZ[25] is not supported (2 to 19)\n\n";
  const std::string cutWhy = loadFailed + cut +
                             ": SGF error at line 1, column 27: unterminated property value "
                             "(missing ']')\n\n";
  const std::string emptyWhy =
      loadFailed + empty + ": SGF error at line 1, column 1: no game tree found (expected '(')\n\n";
  const std::string writeWhy = "? cannot write file '" + missing + "/x.sgf'\n\n";
  checkRefusedUnchanged(f,
                        {{("loadsgf " + missing).c_str(), "? cannot load file: no such file\n\n"},
                         {("loadsgf " + garbage).c_str(), garbageWhy.c_str()},
                         {("loadsgf " + bigBoard).c_str(), bigWhy.c_str()},
                         {("loadsgf " + cut).c_str(), cutWhy.c_str()},
                         {("loadsgf " + empty).c_str(), emptyWhy.c_str()},
                         {("loadsgf " + dir.string()).c_str(),
                          "? cannot load file: that is a folder, not an SGF file\n\n"},
                         {("loadsgf " + garbage + " 0").c_str(), "? syntax error\n\n"},
                         {("printsgf " + missing + "/x.sgf").c_str(), writeWhy.c_str()}});
  // The reason is in the log, naming the file.
  const std::string log = f.log.str();
  for (const std::string& p : {missing, garbage, bigBoard, cut, empty}) {
    INFO(p);
    CHECK(log.find("loadsgf " + p + ": ") != std::string::npos);
  }
  // Unknown RU is not an error: the game loads under the current rules.
  CHECK(f.send("loadsgf " + badRules) == "= \n\n");
  CHECK(f.engine->rules().niceName() == "Japanese");
  CHECK(f.engine->state().moves().size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("user errors: refused commands leave undo history intact") {
  Fixture f;
  f.setUpGame();
  f.send("play b Z99");
  f.send("boardsize 0");
  f.send("komi nan");
  f.send("kata-set-rules foo");
  // Four moves were played; exactly four undos succeed.
  for (int i = 0; i < 4; ++i) CHECK(f.send("undo") == "= \n\n");
  CHECK(f.send("undo") == "? cannot undo\n\n");
  CHECK(f.engine->board().xSize() == 9);
  CHECK(f.engine->state().komi() == 6.5f);
}

namespace {

// A pty standing in for a USB serial adapter, opened by Hoshi through a link.
struct SerialLine {
  SerialLine() {
    dir = fs::path(HOSHI_BINARY_DIR) / ("test-user-errors-serial-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    link = (dir / "ttyUSB0").string();
  }
  ~SerialLine() { fs::remove_all(dir); }
  std::unique_ptr<gtp::testing::FdClient> plug() {
    int master = -1, slave = -1;
    REQUIRE(openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    std::string path = ttyname(slave);
    close(slave);
    fs::remove(link + ".new");
    fs::create_symlink(path, link + ".new");
    fs::rename(link + ".new", link);
    return std::make_unique<gtp::testing::FdClient>(master, false);
  }
  fs::path dir;
  std::string link;
};

// The serial device vanishing: logged, the conversation ended, the device
// reopened when back. Returns the printsgf seen after the replug.
std::string unplugAndReplug(bool keepState, std::string& before, std::string& log) {
  config::OptionSet options{hoshi::app::programOptions()};
  options.set("searchRandSeed", "user-errors", "test");
  Engine engine(options.params());
  SerialLine line;
  gtp::testing::LockedLog serverLog;
  gtp::SessionConversation conversation(engine, options, serverLog, keepState,
                                        [&engine] { engine.stopSearch(); });
  gtp::SerialOptions serialOptions;
  serialOptions.device = line.link;
  serialOptions.reopenIntervalMs = 50;
  gtp::SerialServer server(serialOptions, conversation, serverLog);
  auto client = line.plug();
  gtp::testing::ServerThread<gtp::SerialServer> running(server);
  REQUIRE(gtp::testing::eventually([&] { return server.opens() == 1; }));
  for (const char* c : {"boardsize 9", "komi 3.5", "play b e5", "play w c3"})
    REQUIRE(client->command(c) == "= \n\n");
  before = client->command("printsgf");
  REQUIRE(before.rfind("= (;", 0) == 0);

  client.reset();  // the master side closes: the adapter is gone
  fs::remove(line.link);
  CHECK(gtp::testing::eventually([&] { return serverLog.contains("went away"); }, 5));
  auto again = line.plug();
  REQUIRE(gtp::testing::eventually([&] { return server.opens() == 2; }));
  std::string after = again->command("printsgf");
  log = serverLog.text();
  return after;
}

}  // namespace

TEST_CASE("user errors: the serial device going away is reported and the game kept as asked") {
  std::string before, log;
  SECTION("gtpKeepStateOnDisconnect: the same game after the replug") {
    CHECK(unplugAndReplug(true, before, log) == before);
  }
  SECTION("default: a cleared board after the replug, as designed") {
    std::string after = unplugAndReplug(false, before, log);
    CHECK(after != before);
    CHECK(after.find(";B[") == std::string::npos);
  }
  CHECK(log.find("went away") != std::string::npos);
  CHECK(log.find("went away; waiting for it to return") != std::string::npos);
}
