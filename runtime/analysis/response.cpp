#include "analysis/response.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "search/search_result.h"

namespace hoshi::analysis {
namespace {

using nlohmann::json;

// KataGo rounds to 8 significant digits; so do we, keeping lines short.
double round8(double v) {
  if (!std::isfinite(v) || v == 0) return std::isfinite(v) ? v : 0.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", v);
  return std::strtod(buf, nullptr);
}

std::string hex(const Hash128& h) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llX%016llX", static_cast<unsigned long long>(h.hi),
                static_cast<unsigned long long>(h.lo));
  return buf;
}

// +1 when values from pla's view are reported as they are, -1 when flipped.
double flipFor(Color pla, Color perspective) {
  return perspective != Color::kEmpty && perspective != pla ? -1.0 : 1.0;
}

json ownershipJson(const std::vector<float>& whiteOwnership, Color perspective, Color pla) {
  // White's view to the reported one.
  const Color view = perspective == Color::kEmpty ? pla : perspective;
  const double sign = view == Color::kWhite ? 1.0 : -1.0;
  json a = json::array();
  for (float o : whiteOwnership) a.push_back(round8(sign * o));
  return a;
}

json stdevJson(const std::vector<float>& v) {
  json a = json::array();
  for (float o : v) a.push_back(round8(o));
  return a;
}

json moveInfoJson(const search::MoveInfo& m, const Board& b, const ReportOptions& r, Color pla) {
  const double f = flipFor(pla, r.perspective);
  json j;
  j["move"] = locToString(m.move, b);
  j["visits"] = m.visits;
  j["edgeVisits"] = m.edgeVisits;
  j["weight"] = round8(m.weight);
  j["edgeWeight"] = round8(m.edgeWeight);
  j["utility"] = round8(f * m.utility);
  j["winrate"] = round8(f > 0 ? m.winrate : 1.0 - m.winrate);
  j["scoreMean"] = round8(f * m.scoreLead);
  j["scoreSelfplay"] = round8(f * m.scoreMean);
  j["scoreLead"] = round8(f * m.scoreLead);
  j["scoreStdev"] = round8(m.scoreStdev);
  j["prior"] = round8(m.prior);
  j["lcb"] = round8(f > 0 ? m.lcb : 1.0 - m.lcb);
  j["utilityLcb"] = round8(f * m.utilityLcb);
  j["order"] = m.order;
  j["playSelectionValue"] = round8(m.playSelectionValue);
  if (r.noResultValue) j["noResultValue"] = round8(m.noResult);
  json pv = json::array();
  for (Loc l : m.pv) pv.push_back(locToString(l, b));
  j["pv"] = pv;
  if (r.pvVisits) {
    j["pvVisits"] = m.pvVisits;
    j["pvEdgeVisits"] = m.pvEdgeVisits;
  }
  if (r.movesOwnership) j["ownership"] = ownershipJson(m.whiteOwnership, r.perspective, pla);
  if (r.movesOwnershipStdev) j["ownershipStdev"] = stdevJson(m.ownershipStdev);
  return j;
}

// The net output of the root: the search's, else the one given.
const nn::NetOutput* rootNet(const search::Search& s, const nn::NetOutput* fallback) {
  const search::Node* root = s.root();
  if (root && root->state() == search::Node::State::kExpanded && root->nnOutput())
    return root->nnOutput().get();
  return fallback;
}

json rootInfoJson(const search::Search& s, const search::SearchResult& res, const ReportOptions& r,
                  const nn::NetOutput* nn) {
  const GameState& state = s.rootState();
  const Color pla = state.toMove();
  const double f = flipFor(pla, r.perspective);
  const search::RootInfo& ri = res.root;
  json j;
  j["currentPlayer"] = pla == Color::kBlack ? "B" : "W";
  j["visits"] = ri.visits;
  j["weight"] = round8(ri.weight);
  j["winrate"] = round8(f > 0 ? ri.winrate : 1.0 - ri.winrate);
  j["scoreLead"] = round8(f * ri.scoreLead);
  j["scoreSelfplay"] = round8(f * ri.scoreMean);
  j["scoreStdev"] = round8(ri.scoreStdev);
  j["utility"] = round8(f * ri.utility);
  j["thisHash"] = thisHashText(state);
  j["symHash"] = symHashText(state);
  if (nn) {
    // Raw values are white's view; the reported one is r.perspective or pla.
    const Color view = r.perspective == Color::kEmpty ? pla : r.perspective;
    const double w = view == Color::kWhite ? 1.0 : -1.0;
    const double sm = nn->whiteScoreSelfplay;
    j["rawWinrate"] = round8(0.5 + 0.5 * w * (nn->whiteWin - nn->whiteLoss));
    j["rawLead"] = round8(w * nn->whiteLead);
    j["rawScoreSelfplay"] = round8(w * sm);
    j["rawScoreSelfplayStdev"] =
        round8(std::sqrt(std::max(0.0, nn->whiteScoreSelfplaySq - sm * sm)));
    j["rawNoResultProb"] = round8(nn->noResult);
    j["rawStWrError"] = round8(nn->shorttermWinlossError * 0.5);
    j["rawStScoreError"] = round8(nn->shorttermScoreError);
    j["rawVarTimeLeft"] = round8(nn->varTimeLeft);
  }
  return j;
}

Hash128 symmetricHash(const GameState& state, int sym) {
  const Board& b = state.board();
  const bool transpose = sym & 4;
  const int xs = transpose ? b.ySize() : b.xSize(), ys = transpose ? b.xSize() : b.ySize();
  Board t(xs, ys);
  for (int y = 0; y < b.ySize(); ++y) {
    for (int x = 0; x < b.xSize(); ++x) {
      const Color c = b.at(b.loc(x, y));
      if (c == Color::kEmpty) continue;
      int tx = (sym & 2) ? b.xSize() - 1 - x : x;
      int ty = (sym & 1) ? b.ySize() - 1 - y : y;
      if (transpose) std::swap(tx, ty);
      t.setStone(t.loc(tx, ty), c);
    }
  }
  return t.situationHashWithKo(state.toMove());
}

}  // namespace

std::string thisHashText(const GameState& state) {
  return hex(state.situationHash());
}

std::string symHashText(const GameState& state) {
  const Board& b = state.board();
  const int n = b.xSize() == b.ySize() ? 8 : 4;  // a rectangle keeps only its own shape
  Hash128 best = symmetricHash(state, 0);
  for (int sym = 1; sym < n; ++sym) {
    const Hash128 h = symmetricHash(state, sym);
    if (h.hi < best.hi || (h.hi == best.hi && h.lo < best.lo)) best = h;
  }
  return hex(best);
}

std::string noResultsResponse(const std::string& id, int turnNumber) {
  json j;
  j["id"] = id;
  j["isDuringSearch"] = false;
  j["noResults"] = true;
  j["turnNumber"] = turnNumber;
  return j.dump();
}

std::string formatResponse(const search::Search& s, const std::string& id, int turnNumber,
                           const ReportOptions& r, bool duringSearch,
                           const nn::NetOutput* rootOutput) {
  const nn::NetOutput* nn = rootNet(s, rootOutput);
  search::ResultOptions o;
  o.ownership = r.ownership;
  o.ownershipStdev = r.ownershipStdev || r.movesOwnershipStdev;
  o.movesOwnership = r.movesOwnership || r.movesOwnershipStdev;
  o.maxPvLength = r.pvLength + 1;
  const search::SearchResult res = search::collectResult(s, o);
  const GameState& state = s.rootState();
  const Board& b = state.board();
  const Color pla = state.toMove();
  json j;
  j["id"] = id;
  j["turnNumber"] = turnNumber;
  j["isDuringSearch"] = duringSearch;
  json infos = json::array();
  for (const search::MoveInfo& m : res.moves) infos.push_back(moveInfoJson(m, b, r, pla));
  j["moveInfos"] = infos;
  j["rootInfo"] = rootInfoJson(s, res, r, nn);
  if (r.ownership) j["ownership"] = ownershipJson(res.root.whiteOwnership, r.perspective, pla);
  if (r.ownershipStdev) j["ownershipStdev"] = stdevJson(res.root.ownershipStdev);
  if (r.policy) {
    json p = json::array();
    if (nn) {
      for (float v : nn->policy) p.push_back(v < 0 ? -1.0 : round8(v));
      p.push_back(round8(nn->policyPass));
    }
    j["policy"] = p;
  }
  return j.dump();
}

}  // namespace hoshi::analysis
