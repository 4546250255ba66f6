// Hand-checked positions for GameState: ko cycles under each ko rule, a seki
// under each scoring and tax rule, pass-alive (Benson) regions, passes and
// the encore, handicap bonus, undo. The triple-ko and sending-two-returning-one
// positions are the ones KataGo's rules tests use (testrules.cpp).

#include <catch2/catch.hpp>

#include "game/game_state.h"

using namespace hoshi;

namespace {

Rules withKo(KoRule ko, ScoringRule scoring = ScoringRule::kArea) {
  Rules r;
  r.ko = ko;
  r.scoring = scoring;
  r.tax = scoring == ScoringRule::kTerritory ? TaxRule::kSeki : TaxRule::kNone;
  r.multiStoneSuicideLegal = false;
  r.komi = 0.5f;
  return r;
}

void play(GameState& s, int x, int y) {
  Loc l = s.board().loc(x, y);
  INFO("move " << locToString(l, s.board()) << " by " << colorChar(s.toMove()));
  REQUIRE(s.play(l, s.toMove()));
}

void pass(GameState& s) {
  REQUIRE(s.play(kPassLoc, s.toMove()));
}

bool legal(const GameState& s, int x, int y) {
  return s.isLegal(s.board().loc(x, y), s.toMove());
}

// Three kos; each capture flips one of them, so six moves repeat the position.
const char* kTripleKo =
    "ooooooo\n"
    "oxo.o.o\n"
    "x.xoxox\n"
    "xxxxxxx\n"
    "ooooooo\n"
    ".......\n";

// A ko at the right and a sending-two-returning-one shape at the top left.
const char* kSendingTwo =
    ".o.xxo\n"
    "oxxxo.\n"
    "o.x.oo\n"
    "xx.oo.\n"
    "oooo.o\n";

// A seki at the bottom: black A (A2 B2 B1, eye A1) and white B (C2 D2 E2 D1,
// eye E1) share the liberty C1; filling it is self-atari for either side.
// White's wall (top left, eyes A6 A4) and black's (right, eyes E6 and D4-E4)
// are pass-alive.
const char* kSeki =
    ".oxx.\n"
    "ooxxx\n"
    ".ox..\n"
    "ooxxx\n"
    "xxooo\n"
    ".x.o.\n";

}  // namespace

TEST_CASE("triple ko: simple ko cycles to no result, superko bans the repetition") {
  for (KoRule ko : {KoRule::kSimple, KoRule::kPositional, KoRule::kSituational}) {
    INFO("ko rule " << toString(ko));
    GameState s(Board::parse(7, 6, kTripleKo), Color::kBlack, withKo(ko));
    play(s, 3, 1);
    play(s, 1, 2);
    play(s, 5, 1);
    play(s, 3, 2);
    play(s, 1, 1);
    // White's sixth move at (5,2) would recreate the starting position, black to move.
    CHECK_FALSE(legal(s, 1, 2));  // Simple ko: black just took there.
    if (ko != KoRule::kSimple) {
      CHECK(s.superKoBanned(s.board().loc(5, 2)));
      CHECK_FALSE(legal(s, 5, 2));
      continue;
    }
    CHECK(legal(s, 5, 2));
    play(s, 5, 2);
    for (int cycle = 0; cycle < 6; cycle++) {
      CHECK_FALSE(s.isGameFinished());
      const int xs[] = {3, 1, 5, 3, 1, 5}, ys[] = {1, 2, 1, 2, 1, 2};
      play(s, xs[cycle], ys[cycle]);
    }
    // Third occurrence of the same position under simple ko: no result.
    CHECK(s.isGameFinished());
    CHECK(s.isNoResult());
    CHECK(s.winner() == Color::kEmpty);
  }
}

TEST_CASE("sending two returning one under positional and situational superko") {
  for (KoRule ko : {KoRule::kSimple, KoRule::kPositional, KoRule::kSituational}) {
    INFO("ko rule " << toString(ko));
    GameState s(Board::parse(6, 5, kSendingTwo), Color::kBlack,
                withKo(ko, ScoringRule::kTerritory));
    play(s, 5, 1);  // Black takes the ko.
    CHECK_FALSE(legal(s, 5, 0));
    pass(s);
    play(s, 3, 2);
    play(s, 2, 0);  // White sends two.
    play(s, 0, 0);  // Black captures them.
    // White retaking at (1,0) repeats an earlier position with black to move
    // instead of white: only positional superko forbids it.
    CHECK(legal(s, 1, 0) == (ko != KoRule::kPositional));
    play(s, 5, 0);  // White retakes the other ko instead.
    CHECK_FALSE(legal(s, 5, 1));
    pass(s);
    play(s, 1, 0);  // White returns one.
    pass(s);
    play(s, 2, 0);  // White sends two again.
    CHECK(s.encorePhase() == 0);
    // Black capturing again would repeat the position after its own earlier capture.
    CHECK(legal(s, 0, 0) == (ko == KoRule::kSimple));
    CHECK(legal(s, 5, 1) == (ko != KoRule::kPositional));
    // GTP `play` is tolerant (KataGo's makeMove): the superko violation is accepted.
    CHECK(s.isLegalTolerant(s.board().loc(0, 0), Color::kBlack));
  }
}

TEST_CASE("seki: area and territory scores under each tax rule") {
  const Board b = Board::parse(5, 6, kSeki);
  // Black 12 stones (9 wall + 3 seki), white 10 (6 wall + 4 seki).
  REQUIRE(b.numStones(Color::kBlack) == 12);
  REQUIRE(b.numStones(Color::kWhite) == 10);
  struct Case {
    ScoringRule scoring;
    TaxRule tax;
    float whiteMinusBlack;
  };
  // Area: white 6 stones + 2 eyes + seki 4 stones (+ seki eye E1 unless taxed) vs
  // black 9 + 3 eyes + seki 3 (+ seki eye A1 unless taxed): 13-16 or 12-15.
  // Territory: eyes only (white 2, black 3), seki eyes unless taxed: 3-4 or 2-3.
  // One independent region per side, so the group tax (ALL) cancels out.
  const Case cases[] = {
      {ScoringRule::kArea, TaxRule::kNone, -3.0f},
      {ScoringRule::kArea, TaxRule::kSeki, -3.0f},
      {ScoringRule::kArea, TaxRule::kAll, -3.0f},
      {ScoringRule::kTerritory, TaxRule::kNone, -1.0f},
      {ScoringRule::kTerritory, TaxRule::kSeki, -1.0f},
      {ScoringRule::kTerritory, TaxRule::kAll, -1.0f},
  };
  for (const Case& c : cases) {
    Rules r;
    r.scoring = c.scoring;
    r.tax = c.tax;
    r.komi = 0.0f;
    GameState s(b, Color::kBlack, r);
    s.endAndScoreNow();
    INFO(toString(c.scoring) << " tax " << toString(c.tax));
    CHECK(s.finalWhiteMinusBlackScore() == c.whiteMinusBlack);
    CHECK(s.winner() == Color::kBlack);
    AreaMap area = s.areaNow();
    Loc c1 = b.loc(2, 5), a1 = b.loc(0, 5), e1 = b.loc(4, 5);
    CHECK(area[c1] == Color::kEmpty);  // The shared liberty is dame.
    bool sekiEyesCount = c.tax == TaxRule::kNone;
    CHECK(area[a1] == (sekiEyesCount ? Color::kBlack : Color::kEmpty));
    CHECK(area[e1] == (sekiEyesCount ? Color::kWhite : Color::kEmpty));
  }
  // The seki groups are not independent life: the region count is one each.
  int regions = 99;
  calculateIndependentLifeArea(b, regions, false, false, false);
  CHECK(regions == 0);
}

TEST_CASE("pass-alive regions (Benson)") {
  const Board b = Board::parse(5, 6, kSeki);
  AreaMap pa = calculateArea(b, false, false, false, false);
  auto at = [&](int x, int y) { return pa[b.loc(x, y)]; };
  // Walls and their eyes are pass-alive; the seki groups and their eyes are not.
  CHECK(at(1, 0) == Color::kWhite);
  CHECK(at(0, 0) == Color::kWhite);
  CHECK(at(0, 2) == Color::kWhite);
  CHECK(at(2, 0) == Color::kBlack);
  CHECK(at(4, 0) == Color::kBlack);
  CHECK(at(3, 2) == Color::kBlack);
  CHECK(at(4, 2) == Color::kBlack);
  CHECK(at(0, 4) == Color::kEmpty);
  CHECK(at(0, 5) == Color::kEmpty);
  CHECK(at(3, 4) == Color::kEmpty);
  CHECK(at(4, 5) == Color::kEmpty);
  CHECK(at(2, 5) == Color::kEmpty);

  // One eye is not enough; two are.
  const Board oneEye = Board::parse(4, 4,
                                    ".x..\n"
                                    "xx..\n"
                                    "....\n"
                                    "....\n");
  CHECK(calculateArea(oneEye, false, false, false, false)[oneEye.loc(0, 0)] == Color::kEmpty);
  const Board twoEyes = Board::parse(4, 4,
                                     ".x.x\n"
                                     "xxxx\n"
                                     "oooo\n"
                                     "....\n");
  AreaMap t = calculateArea(twoEyes, false, false, false, false);
  CHECK(t[twoEyes.loc(0, 0)] == Color::kBlack);
  CHECK(t[twoEyes.loc(2, 0)] == Color::kBlack);
  CHECK(t[twoEyes.loc(1, 1)] == Color::kBlack);
  // White's stones below are not pass-alive, but with everything else on the
  // board pass-dead for white, the empty bottom row is white's unsafe territory.
  CHECK(t[twoEyes.loc(0, 2)] == Color::kEmpty);
  AreaMap u = calculateArea(twoEyes, true, false, true, false);
  CHECK(u[twoEyes.loc(0, 3)] == Color::kWhite);
  CHECK(u[twoEyes.loc(0, 2)] == Color::kWhite);
}

TEST_CASE("passes end the game or start the encore, the button, friendly passes") {
  Board b(5, 5);
  GameState tt(b, Color::kBlack, Rules::parse("tromp-taylor"));
  CHECK_FALSE(tt.passWouldEndGame(Color::kBlack));
  pass(tt);
  CHECK(tt.passWouldEndGame(Color::kWhite));
  pass(tt);
  CHECK(tt.isGameFinished());
  CHECK(tt.finalWhiteMinusBlackScore() == 7.5f);

  Rules chinese = Rules::parse("chinese");
  GameState ch(b, Color::kBlack, chinese);
  pass(ch);
  CHECK(ch.shouldSuppressEndGameFromFriendlyPass(Color::kWhite));

  GameState jp(b, Color::kBlack, Rules::parse("japanese"));
  pass(jp);
  CHECK(jp.passWouldEndPhase(Color::kWhite));
  CHECK_FALSE(jp.passWouldEndGame(Color::kWhite));
  pass(jp);
  CHECK(jp.encorePhase() == 1);
  CHECK_FALSE(jp.isGameFinished());
  pass(jp);
  pass(jp);
  CHECK(jp.encorePhase() == 2);
  pass(jp);
  pass(jp);
  CHECK(jp.isGameFinished());
  CHECK(jp.finalWhiteMinusBlackScore() == 6.5f);

  // AGA button: the first pass takes it, worth half a point.
  GameState ab(b, Color::kBlack, Rules::parse("aga-button"));
  CHECK(ab.hasButton());
  CHECK(ab.komi() == 7.0f);
  pass(ab);
  CHECK_FALSE(ab.hasButton());
  CHECK(ab.whiteBonusScore() == -0.5f);
  CHECK(ab.currentSelfKomi(Color::kWhite) == 6.5f);
  pass(ab);
  CHECK_FALSE(ab.isGameFinished());  // Passes after taking the button count afresh.
  pass(ab);
  CHECK(ab.isGameFinished());
  CHECK(ab.finalWhiteMinusBlackScore() == 6.5f);
}

TEST_CASE("handicap bonus and self komi") {
  Board b(9, 9);
  b.setStone(parseLoc("C3", b), Color::kBlack);
  b.setStone(parseLoc("G7", b), Color::kBlack);
  b.setStone(parseLoc("G3", b), Color::kBlack);
  CHECK(GameState::numHandicapStonesOnBoard(b) == 3);
  Rules chinese = Rules::parse("chinese");  // White gets N points.
  chinese.komi = 0.5f;
  GameState s(b, Color::kWhite, chinese);
  CHECK(s.numHandicapStones() == 3);
  CHECK(s.whiteHandicapBonusScore() == 3.0f);
  CHECK(s.currentSelfKomi(Color::kWhite) == 3.5f);
  CHECK(s.currentSelfKomi(Color::kBlack) == -3.5f);
  Rules aga = Rules::parse("aga");  // N-1.
  aga.komi = 0.5f;
  GameState a(b, Color::kWhite, aga);
  CHECK(a.whiteHandicapBonusScore() == 2.0f);
  // Free handicap played as black moves with white passing in between.
  GameState m(Board(9, 9), Color::kBlack, chinese);
  m.setAssumeMultipleStartingBlackMovesAreHandicap(true);
  REQUIRE(m.playAsGtp(parseLoc("C3", m.board()), Color::kBlack));
  REQUIRE(m.playAsGtp(kPassLoc, Color::kWhite));
  REQUIRE(m.playAsGtp(parseLoc("G7", m.board()), Color::kBlack));
  CHECK(m.numHandicapStones() == 2);
  CHECK(m.whiteHandicapBonusScore() == 2.0f);
  // Draw value shifts komi only when integer results are possible.
  Rules integerKomi = Rules::trompTaylor();
  integerKomi.komi = 7.0f;
  GameState d(Board(9, 9), Color::kBlack, integerKomi);
  CHECK(d.currentSelfKomi(Color::kWhite, 1.0) == 7.5f);
  CHECK(d.currentSelfKomi(Color::kWhite, 0.5) == 7.0f);
}

TEST_CASE("GTP play out of turn restarts the history and undo steps back over it") {
  GameState s(Board(9, 9), Color::kBlack, Rules::trompTaylor());
  REQUIRE(s.playAsGtp(parseLoc("E5", s.board()), Color::kBlack));
  REQUIRE(s.playAsGtp(parseLoc("C3", s.board()), Color::kBlack));  // Black again.
  CHECK(s.moves().size() == 1);
  CHECK(s.toMove() == Color::kWhite);
  CHECK(s.initialBoard().at(parseLoc("E5", s.board())) == Color::kBlack);
  REQUIRE(s.undo());
  CHECK(s.moves().size() == 1);
  CHECK(s.board().at(parseLoc("C3", s.board())) == Color::kEmpty);
  CHECK(s.toMove() == Color::kWhite);
  REQUIRE(s.undo());
  CHECK(s.board().isEmpty());
  CHECK_FALSE(s.undo());
  // Occupied points are refused even by GTP play.
  REQUIRE(s.playAsGtp(parseLoc("E5", s.board()), Color::kBlack));
  CHECK_FALSE(s.playAsGtp(parseLoc("E5", s.board()), Color::kWhite));
}

TEST_CASE("rules: presets, aliases, JSON and short forms, kgs names") {
  CHECK(Rules::parse("Japanese") == Rules::parse("korean"));
  CHECK(Rules::parse("japanese").komi == 6.5f);
  CHECK(Rules::parse("tromp-taylor") == Rules::trompTaylor());
  CHECK(Rules::parse("stone_scoring").tax == TaxRule::kAll);
  CHECK(Rules::parse("NZ").multiStoneSuicideLegal);
  CHECK(Rules::parse("aga-button").hasButton);
  CHECK(Rules::parse("bga") == Rules::parse("aga"));
  CHECK(Rules::parse("chinese-kgs") == Rules::parse("chinese-ogs"));
  CHECK(Rules::parse("japanese").toJson() ==
        "{\"friendlyPassOk\":false,\"hasButton\":false,\"ko\":\"SIMPLE\",\"scoring\":\"TERRITORY\","
        "\"suicide\":false,\"tax\":\"SEKI\",\"whiteHandicapBonus\":\"0\"}");
  CHECK(Rules::parse("aga").toJson(true).find("\"komi\":7.5,") != std::string::npos);
  Rules j = Rules::parse(R"({"ko":"POSITIONAL","scoring":"TERRITORY","komi":5})");
  CHECK(j.ko == KoRule::kPositional);
  CHECK(j.tax == TaxRule::kSeki);  // Default tax follows the scoring rule.
  CHECK(j.komi == 5.0f);
  CHECK(Rules::parse(R"({"scoring":"TERRITORY"})").komi == 6.5f);
  Rules sf = Rules::parse("koSITUATIONALscoreAREAtaxNONEsui0button1whbN-1fpok1komi7");
  CHECK(sf == Rules::parse("aga-button"));
  CHECK(Rules::parse(sf.toShortString()) == sf);
  CHECK(sf.niceName() == sf.toShortString(false));
  CHECK(Rules::parse("japanese").niceName() == "Japanese");
  CHECK(Rules::parseKgs("chinese", 7.5f) == Rules::parse("chinese-kgs"));
  CHECK(Rules::parseKgs("new_zealand", 7.0f) == Rules::parse("nz"));
  CHECK(Rules::parse("chinese").withSetting("ko", "positional").ko == KoRule::kPositional);
  CHECK(Rules::parse("chinese").withSetting("hasButton", "true").hasButton);
  std::string err;
  Rules out;
  CHECK_FALSE(Rules::tryParse("martian", out, &err));
  CHECK(err.find("martian") != std::string::npos);
  CHECK_FALSE(Rules::tryParse(R"({"ko":"SIMPLE","komi":7.25})", out, &err));
  CHECK_FALSE(Rules::tryParse(R"({"bogus":1})", out, &err));
  CHECK(err.find("unknown rules option: bogus") != std::string::npos);
  CHECK_THROWS_AS(Rules::parseWithoutKomi(R"({"komi":7})", 6.5f), std::invalid_argument);
  CHECK_THROWS_AS(Rules::parseKgs("martian", 7.5f), std::invalid_argument);
  CHECK_THROWS_AS(Rules().withSetting("nonsense", "1"), std::invalid_argument);
  CHECK(Rules::parse("japanese").gameResultWillBeInteger() == false);
  CHECK(Rules::parse("aga-button").gameResultWillBeInteger() == false);
  CHECK(Rules::parse("new-zealand").gameResultWillBeInteger() == true);
}
