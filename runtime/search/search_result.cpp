#include "search/search_result.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "search/play_selection.h"
#include "search/puct.h"

namespace hoshi::search {
namespace {

// The child of `node` with the most visits through its edge (utility for
// `pla` breaking ties).
const Node* mostVisitedChild(const Node& node, Color pla, int* edgeIndex = nullptr) {
  const Node* best = nullptr;
  double bestKey = -1;
  double bestUtility = -1e300;
  for (int i = 0; i < node.numEdges(); ++i) {
    const NodeStats st = node.childStats(i);
    if (st.visits <= 0) continue;
    const double v = static_cast<double>(st.visits);
    const double u = sideSign(pla) * st.utility;
    if (v > bestKey || (v == bestKey && u > bestUtility)) {
      best = node.edge(i).node.load(std::memory_order_acquire);
      bestKey = v;
      bestUtility = u;
      if (edgeIndex) *edgeIndex = i;
    }
  }
  return best;
}

// The line from `parent`'s edge `edge` on, `pla` to play at `parent`. The
// moves are the edges' (a graph node may have been reached by another move).
void principalVariation(const Node& parent, int edge, Color pla, int maxLength, MoveInfo& m) {
  const Node* from = &parent;
  int i = edge;
  while (from && i >= 0 && static_cast<int>(m.pv.size()) < maxLength) {
    const Node* node = from->edge(i).node.load(std::memory_order_acquire);
    if (!node) break;
    m.pv.push_back(from->edge(i).move);
    m.pvVisits.push_back(node->visits());
    m.pvEdgeVisits.push_back(from->edgeVisits(i));
    if (node->state() != Node::State::kExpanded) break;
    pla = opponent(pla);
    i = -1;
    from = mostVisitedChild(*node, pla, &i) ? node : nullptr;
  }
}

void fillValues(const NodeStats& st, Color pla, double& utility, double& winrate, double& scoreMean,
                double& scoreStdev, double& lead) {
  const double s = sideSign(pla);
  utility = s * st.utility;
  winrate = std::clamp(0.5 * (1.0 + s * st.winLoss), 0.0, 1.0);
  scoreMean = s * st.scoreMean;
  scoreStdev = std::sqrt(std::max(0.0, st.scoreMeanSq - st.scoreMean * st.scoreMean));
  lead = s * st.lead;
}

// Visit-weighted average of the net's ownership over the subtree: each node
// contributes its own evaluation with weight 1 of its visits, the rest is
// split among its children by their visits.
void accumulateOwnership(const Node& node, double weight, std::vector<double>& acc,
                         std::vector<double>& accSq, double& total, int depth) {
  // Only published nodes: a node being expanded is still being written.
  if (node.state() != Node::State::kExpanded) return;
  const int64_t visits = node.visits();
  const auto& nn = node.nnOutput();
  if (!nn || visits <= 0) return;
  double selfShare = 1.0 / static_cast<double>(visits);
  if (depth >= 3) selfShare = 1.0;  // deep enough: stop splitting
  for (size_t i = 0; i < acc.size() && i < nn->whiteOwnership.size(); ++i) {
    const double o = nn->whiteOwnership[i];
    acc[i] += weight * selfShare * o;
    accSq[i] += weight * selfShare * o * o;
  }
  total += weight * selfShare;
  if (selfShare >= 1.0) return;
  for (int i = 0; i < node.numEdges(); ++i) {
    const Node* c = node.edge(i).node.load(std::memory_order_acquire);
    const int64_t edgeVisits = node.edgeVisits(i);
    if (c && edgeVisits > 0)
      accumulateOwnership(*c, weight * static_cast<double>(edgeVisits) / visits, acc, accSq, total,
                          depth + 1);
  }
}

// Ownership (white's view) averaged over the subtree below `node`, and its
// standard deviation under the same weights.
void subtreeOwnership(const Node& node, size_t area, std::vector<float>& mean,
                      std::vector<float>* stdev) {
  std::vector<double> acc(area, 0.0), accSq(area, 0.0);
  double total = 0;
  accumulateOwnership(node, 1.0, acc, accSq, total, 0);
  mean.assign(area, 0.0f);
  if (stdev) stdev->assign(area, 0.0f);
  if (total <= 0) return;
  for (size_t i = 0; i < area; ++i) {
    const double m = acc[i] / total;
    mean[i] = static_cast<float>(m);
    if (stdev) (*stdev)[i] = static_cast<float>(std::sqrt(std::max(0.0, accSq[i] / total - m * m)));
  }
}

}  // namespace

SearchResult collectResult(const Search& search, bool withOwnership, int maxMoves,
                           int maxPvLength) {
  ResultOptions o;
  o.ownership = withOwnership;
  o.maxMoves = maxMoves;
  o.maxPvLength = maxPvLength;
  return collectResult(search, o);
}

SearchResult collectResult(const Search& search, const ResultOptions& options) {
  const int maxMoves = options.maxMoves;
  SearchResult r;
  const Node* root = search.root();
  const GameState& state = search.rootState();
  r.root.pla = state.toMove();
  if (!root) return r;
  const Color pla = r.root.pla;
  const NodeStats rootStats = root->stats();
  r.root.visits = rootStats.visits;
  r.root.weight = rootStats.weight;
  r.root.noResult = rootStats.noResult;
  const size_t area = size_t(state.board().xSize()) * state.board().ySize();
  fillValues(rootStats, pla, r.root.utility, r.root.winrate, r.root.scoreMean, r.root.scoreStdev,
             r.root.scoreLead);
  if (root->state() == Node::State::kExpanded) {
    for (int i = 0; i < root->numEdges(); ++i) {
      const Node* c = root->edge(i).node.load(std::memory_order_acquire);
      const NodeStats st = root->childStats(i);  // as many visits as the edge's
      if (!c || st.visits <= 0) continue;
      MoveInfo m;
      m.move = root->edge(i).move;
      m.visits = c->visits();
      m.prior = root->edge(i).prior;
      fillValues(st, pla, m.utility, m.winrate, m.scoreMean, m.scoreStdev, m.scoreLead);
      const double n = static_cast<double>(st.visits);
      const double wrStdev =
          std::sqrt(std::max(0.0, 0.25 * (1.0 - st.winLoss * st.winLoss))) + 0.05;
      m.lcb = m.winrate - 1.96 * wrStdev / std::sqrt(n);
      const double uStdev = std::sqrt(std::max(0.0, st.utilitySq - st.utility * st.utility)) + 0.05;
      m.utilityLcb = m.utility - 1.96 * uStdev / std::sqrt(n);
      principalVariation(*root, i, pla, options.maxPvLength, m);
      m.edgeVisits = st.visits;
      m.weight = c->stats().weight;
      m.edgeWeight = st.weight;
      m.noResult = st.noResult;
      if (options.movesOwnership)
        subtreeOwnership(*c, area, m.whiteOwnership,
                         options.ownershipStdev ? &m.ownershipStdev : nullptr);
      r.moves.push_back(std::move(m));
    }
  }
  if (root->state() == Node::State::kExpanded &&
      static_cast<int>(r.moves.size()) < options.minMoves) {
    // Edges are sorted by prior, so the first unvisited ones are the likeliest.
    for (int i = 0; i < root->numEdges() && static_cast<int>(r.moves.size()) < options.minMoves;
         ++i) {
      if (root->edgeVisits(i) > 0) continue;
      MoveInfo m;
      m.move = root->edge(i).move;
      m.prior = root->edge(i).prior;
      m.utility = r.root.utility;
      m.winrate = r.root.winrate;
      m.scoreMean = r.root.scoreMean;
      m.scoreStdev = r.root.scoreStdev;
      m.scoreLead = r.root.scoreLead;
      m.utilityLcb = m.utility - 2.8;  // KataGo's value for a move without visits
      m.lcb = m.winrate - 2.8;
      m.pv = {m.move};
      m.pvVisits = {0};
      m.pvEdgeVisits = {0};
      r.moves.push_back(std::move(m));
    }
  }
  // The order is the move choice's: play selection values (visits, the
  // best lower confidence bound lifted with useLcbForSelection), as KataGo's.
  if (root->state() == Node::State::kExpanded) {
    for (const PlaySelection& p : playSelectionValues(*root, pla, search.params()))
      for (MoveInfo& m : r.moves)
        if (m.move == p.move) m.playSelectionValue = p.value;
  }
  std::stable_sort(r.moves.begin(), r.moves.end(), [](const MoveInfo& a, const MoveInfo& b) {
    if (a.playSelectionValue != b.playSelectionValue)
      return a.playSelectionValue > b.playSelectionValue;
    return a.visits != b.visits ? a.visits > b.visits : a.utility > b.utility;
  });
  for (size_t i = 0; i < r.moves.size(); ++i) r.moves[i].order = static_cast<int>(i);
  if (maxMoves > 0 && static_cast<int>(r.moves.size()) > maxMoves) r.moves.resize(maxMoves);
  if (options.ownership || options.ownershipStdev)
    subtreeOwnership(*root, area, r.root.whiteOwnership,
                     options.ownershipStdev ? &r.root.ownershipStdev : nullptr);
  return r;
}

double chosenMoveTemperature(const SearchParams& p, int movesPlayed, int area) {
  // KataGo scales the halflife with the board's side, not its area.
  const double halflife = p.chosenMoveTemperatureHalflife * std::sqrt(double(area)) / 19.0;
  const double decay = std::pow(0.5, double(movesPlayed) / std::max(halflife, 1e-9));
  return p.chosenMoveTemperature + (p.chosenMoveTemperatureEarly - p.chosenMoveTemperature) * decay;
}

Loc sampleChosenMove(const Search& search, double temperature, double u) {
  const Node* root = search.root();
  if (temperature <= 1e-4 || !root || root->state() != Node::State::kExpanded)
    return bestMove(search);
  std::vector<std::pair<Loc, double>> weights;
  double most = 0;
  for (const PlaySelection& p :
       playSelectionValues(*root, search.rootState().toMove(), search.params())) {
    weights.emplace_back(p.move, p.value);
    most = std::max(most, p.value);
  }
  if (weights.empty()) return bestMove(search);
  double total = 0;
  for (auto& w : weights) total += (w.second = std::pow(w.second / most, 1.0 / temperature));
  double r = u * total;
  for (const auto& w : weights)
    if ((r -= w.second) < 0) return w.first;
  return weights.back().first;
}

Loc bestMove(const Search& search) {
  const Node* root = search.root();
  if (!root || root->state() != Node::State::kExpanded || root->numEdges() == 0) return kPassLoc;
  const Color pla = search.rootState().toMove();
  if (search.params().useLcbForSelection) {
    const PlaySelection* best = nullptr;
    const auto values = playSelectionValues(*root, pla, search.params());
    for (const PlaySelection& p : values) {
      if (!best || p.value > best->value || (p.value == best->value && p.utility > best->utility))
        best = &p;
    }
    if (best) return best->move;
  }
  int index = -1;
  if (mostVisitedChild(*root, pla, &index)) return root->edge(index).move;
  return root->edge(0).move;  // edges are sorted by prior
}

}  // namespace hoshi::search
