#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>

#include "app/options.h"
#include "config/options.h"
#include "config/version.h"
#include "gtp/session.h"
#include "search/engine.h"
#include "session_fixture.h"

using namespace hoshi;

namespace {

struct Fixture : test::SessionFixture {
  Fixture() : SessionFixture("session-test") {}
};

}  // namespace

TEST_CASE("every GTP v2 and required KataGo command is in the table") {
  Fixture f;
  std::string list = f.send("list_commands");
  REQUIRE(list.rfind("= ", 0) == 0);
  std::istringstream in(list.substr(2));
  std::vector<std::string> names;
  for (std::string n; std::getline(in, n);)
    if (!n.empty()) names.push_back(n);
  for (const char* required : {"protocol_version",
                               "name",
                               "version",
                               "known_command",
                               "list_commands",
                               "quit",
                               "boardsize",
                               "clear_board",
                               "komi",
                               "play",
                               "genmove",
                               "undo",
                               "showboard",
                               "fixed_handicap",
                               "place_free_handicap",
                               "set_free_handicap",
                               "final_score",
                               "final_status_list",
                               "loadsgf",
                               "printsgf",
                               "time_settings",
                               "time_left",
                               "reg_genmove",
                               "kgs-time_settings",
                               "kgs-rules",
                               "kata-set-rules",
                               "kata-get-rules",
                               "kata-set-param",
                               "kata-get-param",
                               "kata-list-params"}) {
    INFO(required);
    CHECK(std::count(names.begin(), names.end(), required) == 1);
    CHECK(f.send(std::string("known_command ") + required) == "= true\n\n");
  }
}

TEST_CASE("responses are framed as GTP v2 says") {
  Fixture f;
  CHECK(f.send("version") == std::string("= ") + kVersion + "\n\n");
  CHECK(f.send("42 name") == "=42 Hoshi\n\n");
  CHECK(f.send("") == "");
  CHECK(f.send("   # a comment line") == "");
  CHECK(f.send("\tname\r") == "= Hoshi\n\n");
  CHECK(f.send("9 bogus") == "?9 unknown command\n\n");
  // A multi-line answer has no empty line inside and ends with exactly one.
  std::string board = f.send("1 showboard");
  CHECK(board.rfind("=1 \n", 0) == 0);
  CHECK(board.find("\n\n") == board.size() - 2);
  CHECK_FALSE(f.session->quitRequested());
  CHECK(f.send("quit") == "= \n\n");
  CHECK(f.session->quitRequested());
}

TEST_CASE("kata-list-params lists the runtime options and no startup-only one") {
  Fixture f;
  std::string list = f.send("kata-list-params");
  for (const config::OptionSpec& d : hoshi::app::programOptions().specs()) {
    std::string name(d.name);
    bool listed =
        (" " + list.substr(2, list.size() - 4) + " ").find(" " + name + " ") != std::string::npos;
    INFO(name);
    CHECK(listed == d.changeableAtRuntime);
  }
}

TEST_CASE("kata-set-param reaches the engine's params") {
  Fixture f;
  REQUIRE(f.send("kata-set-param maxVisits 77") == "= \n\n");
  CHECK(f.engine->params().maxVisits == 77);
  CHECK(f.options.origin("maxVisits") == "kata-set-param");
  REQUIRE(f.send("kata-set-param gtpTolerantPlay true") == "= \n\n");
  CHECK(f.engine->params().gtpTolerantPlay);
}

TEST_CASE("time commands set the engine's clocks") {
  Fixture f;
  REQUIRE(f.send("time_settings 300 30 5") == "= \n\n");
  CHECK(f.engine->timeControls().kind == TimeControls::Kind::kCanadian);
  CHECK(f.engine->timeControls().mainTime == 300);
  CHECK(f.engine->timeControls().periodTime == 30);
  CHECK(f.engine->timeControls().periodStones == 5);
  REQUIRE(f.send("time_settings 0 1 0") == "= \n\n");
  CHECK(f.engine->timeControls().kind == TimeControls::Kind::kNone);
  REQUIRE(f.send("kgs-time_settings byoyomi 600 30 5") == "= \n\n");
  CHECK(f.engine->timeControls().kind == TimeControls::Kind::kByoYomi);
  CHECK(f.engine->timeControls().periods == 5);
  REQUIRE(f.send("time_left w 12.5 3") == "= \n\n");
  CHECK(f.engine->timeLeft(Color::kWhite).seconds == 12.5);
  CHECK(f.engine->timeLeft(Color::kWhite).stones == 3);
  CHECK(f.engine->timeLeft(Color::kBlack).seconds < 0);
  // A refused command changes nothing.
  REQUIRE(f.send("time_settings 1 2") ==
          "? syntax error: expected time_settings MAIN_TIME BYO_YOMI_TIME BYO_YOMI_STONES\n\n");
  CHECK(f.engine->timeControls().kind == TimeControls::Kind::kByoYomi);
}

TEST_CASE("gtpTolerantPlay accepts what strict play refuses") {
  Fixture f;
  f.send("boardsize 5");
  f.send("kata-set-rules japanese");
  // White E5 would leave the three white stones C5 D5 E5 without a liberty:
  // multi-stone suicide, illegal under Japanese rules.
  for (const char* m : {"b b5", "b c4", "b d4", "b e4", "w c5", "w d5"})
    REQUIRE(f.send(std::string("play ") + m) == "= \n\n");
  CHECK(f.send("play w e5") == "? illegal move\n\n");
  f.send("kata-set-param gtpTolerantPlay true");
  CHECK(f.send("play w e5") == "= \n\n");
  // The suicided stones are gone.
  CHECK(f.engine->board().at(parseLoc("d5", f.engine->board())) == Color::kEmpty);
  // Occupied points stay illegal even when tolerant.
  CHECK(f.send("play w b5") == "? illegal move\n\n");
}

TEST_CASE("genmove plays a legal move for the requested colour") {
  Fixture f;
  f.send("boardsize 9");
  for (int i = 0; i < 30; ++i) {
    const char* color = i % 2 ? "w" : "b";
    std::string r = f.send(std::string("genmove ") + color);
    REQUIRE(r.rfind("= ", 0) == 0);
  }
  CHECK(f.engine->state().moves().size() == 30);
  CHECK(f.send("genmove") == "? syntax error\n\n");
  CHECK(f.send("genmove purple") == "? invalid color\n\n");
  // reg_genmove does not play.
  f.send("reg_genmove b");
  CHECK(f.engine->state().moves().size() == 30);
}
