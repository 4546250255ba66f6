#include "game/board.h"
#include "game/boardhistory.h"
#include "core/rand.h"
#include <iostream>
#include <sstream>
using namespace std;
static const char* kRules[] = {"japanese","chinese","tromp-taylor","aga","aga-button","new-zealand","stone-scoring",
  "chinese-ogs","ancient-territory","koSPIGHTscoreAREAtaxNONEsui1","koSITUATIONALscoreTERRITORYtaxALLsui1",
  "koPOSITIONALscoreTERRITORYtaxNONEsui0","koSIMPLEscoreAREAtaxSEKIsui1button1","koSPIGHTscoreTERRITORYtaxSEKIsui0whbN"};
string state(const Board& b, const BoardHistory& h) {
  ostringstream o;
  Player p = h.presumedNextMovePla;
  o << h.encorePhase << " " << h.isGameFinished << h.isNoResult << h.isScored << h.isPastNormalPhaseEnd << " w" << (int)h.winner
    << " s" << h.finalWhiteMinusBlackScore << " b" << h.whiteBonusScore << " hb" << h.whiteHandicapBonusScore << " btn" << h.hasButton
    << " cp" << h.consecutiveEndingPasses << " av" << h.numApproxValidTurnsThisPhase << " cv" << h.numConsecValidTurnsThisGame
    << " tp" << h.numTurnsThisPhase << " pe" << h.passWouldEndPhase(b,p) << h.passWouldEndGame(b,p) << h.shouldSuppressEndGameFromFriendlyPass(b,p)
    << " k" << h.currentSelfKomi(p,0.5) << " k2 " << h.currentSelfKomi(getOpp(p),0.75) << " nh" << h.computeNumHandicapStones() << " ko" << b.ko_loc << " ";
  for (int y = 0; y < b.y_size; y++) for (int x = 0; x < b.x_size; x++) {
    Loc l = Location::getLoc(x,y,b.x_size);
    o << (int)b.colors[l] << h.isLegal(b,l,p) << h.superKoBanned[l] << h.koRecapBlocked[l] << (int)h.secondEncoreStartColors[l];
  }
  o << h.isLegal(b,Board::PASS_LOC,p);
  Color area[Board::MAX_ARR_SIZE]; h.getAreaNow(b, area);
  o << " a";
  for (int y = 0; y < b.y_size; y++) for (int x = 0; x < b.x_size; x++) o << (int)area[Location::getLoc(x,y,b.x_size)];
  return o.str();
}
int main(int argc, char** argv) {
  Board::initHash();
  int games = atoi(argv[1]);
  Rand rand((uint64_t)atoi(argv[2]));
  for (int g = 0; g < games; g++) {
    int maxLen = argc > 3 ? atoi(argv[3]) : 6; int xs = 2 + rand.nextUInt(maxLen), ys = rand.nextUInt(3) == 0 ? 2 + rand.nextUInt(maxLen) : xs;
    string rname = kRules[rand.nextUInt(sizeof(kRules)/sizeof(kRules[0]))];
    Rules rules = Rules::parseRules(rname);
    rules.komi = 0.5f * ((int)rand.nextUInt(30) - 10);
    Board b(xs, ys);
    int nh = rand.nextUInt(4) == 0 ? rand.nextUInt(4) : 0;
    vector<Loc> hs;
    for (int i = 0; i < nh; i++) { Loc l = Location::getLoc(rand.nextUInt(xs), rand.nextUInt(ys), xs); if (b.colors[l]==C_EMPTY && b.setStoneFailIfNoLibs(l, P_BLACK)) hs.push_back(l); }
    Player pla = hs.empty() ? P_BLACK : P_WHITE;
    bool assume = rand.nextBool(0.5);
    BoardHistory h(b, pla, rules, 0, false);
    h.setAssumeMultipleStartingBlackMovesAreHandicap(assume);
    cout << "G " << xs << " " << ys << " " << rname << " " << rules.komi << " " << assume << " " << hs.size();
    for (Loc l : hs) cout << " " << Location::getX(l,xs) << " " << Location::getY(l,xs);
    cout << " " << (int)pla << "\n";
    double passProb = 0.02 + 0.3 * rand.nextDouble();
    for (int m = 0; m < 6 * xs * ys && !h.isGameFinished; m++) {
      Player p = h.presumedNextMovePla;
      vector<Loc> legal;
      for (int y = 0; y < ys; y++) for (int x = 0; x < xs; x++) {
        Loc l = Location::getLoc(x,y,xs);
        if (h.isLegal(b,l,p) && !b.isSimpleEye(l,p)) legal.push_back(l);
      }
      Loc mv = (legal.empty() || rand.nextBool(passProb)) ? Board::PASS_LOC : legal[rand.nextUInt(legal.size())];
      bool prevent = rand.nextUInt(20) == 0;
      h.makeBoardMoveAssumeLegal(b, mv, p, NULL, prevent);
      cout << "M " << (mv == Board::PASS_LOC ? -1 : Location::getX(mv,xs)) << " " << (mv == Board::PASS_LOC ? -1 : Location::getY(mv,xs)) << " " << (int)p << " " << prevent << " | " << state(b,h) << "\n";
    }
    if (!h.isGameFinished) { h.endAndScoreGameNow(b); cout << "E | " << state(b,h) << "\n"; }
  }
}
