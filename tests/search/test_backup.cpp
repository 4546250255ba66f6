#include <catch2/catch.hpp>

#include <cmath>

#include "search/backup.h"
#include "search/search.h"
#include "search/subtree_bias.h"
#include "search_test_util.h"

using namespace hoshi;
using namespace hoshi::search;
using namespace hoshi::search::testing;

namespace {

const char* const kFive[] = {"E5", "C3", "G7", "C6", "F3"};

Sample sample(double whiteUtility, double weight = 1) {
  Sample s;
  s.utility = whiteUtility;
  s.winLoss = whiteUtility;
  s.scoreMean = 10 * whiteUtility;
  s.scoreMeanSq = 100 * whiteUtility * whiteUtility + 4;
  s.lead = 8 * whiteUtility;
  s.weight = weight;
  return s;
}

ChildValue child(double selfUtility, double weight, double prior) {
  ChildValue c;
  c.selfUtility = selfUtility;
  c.weight = weight;
  c.prior = prior;
  c.stats.visits = 1;
  c.stats.weight = weight;
  return c;
}

// A root (black to move, own net value `own` from white's view) with two
// children made by black; their samples are white's view.
struct Tree {
  Node root{kNullLoc, Color::kEmpty};
  std::atomic<int64_t> nodes{0};
  Board board{9, 9};
  Tree(double own, const std::vector<Sample>& a, const std::vector<Sample>& b) {
    root.setOwnSample(sample(own));
    root.expand({{board.loc(4, 4), 0.6f}, {board.loc(2, 2), 0.4f}}, nullptr);
    for (const Sample& s : a) root.childAt(0, Color::kBlack, nodes)->addSample(s);
    for (const Sample& s : b) root.childAt(1, Color::kBlack, nodes)->addSample(s);
  }
};

SearchParams allOff() {
  SearchParams p;
  p.valueWeightExponent = 0;
  p.useNoisePruning = false;
  p.subtreeValueBiasFactor = 0;
  return p;
}

}  // namespace

TEST_CASE("backup: Student t (3 degrees of freedom) CDF", "[search]") {
  CHECK(studentT3Cdf(0) == Approx(0.5));
  CHECK(studentT3Cdf(1) == Approx(0.804499).epsilon(1e-5));
  CHECK(studentT3Cdf(-1) == Approx(1 - 0.804499).epsilon(1e-5));
  CHECK(studentT3Cdf(3.182446) == Approx(0.975).epsilon(1e-5));  // the 97.5% point
  CHECK(studentT3Cdf(1e6) == Approx(1.0));
}

TEST_CASE("backup: the tabled t CDF interpolates KataGo's grid", "[search]") {
  // Exact on the grid (step 100 / 1999), linear between, 0 and 1 outside.
  const double step = 100.0 / 1999.0;
  for (int i : {1, 500, 999, 1000, 1500, 1998}) {
    const double z = -50.0 + i * step;
    CHECK(studentT3CdfTabled(z) == Approx(studentT3Cdf(z)).epsilon(1e-12));
  }
  const double z0 = -50.0 + 1000 * step, z1 = z0 + step;
  CHECK(studentT3CdfTabled(0.25 * z0 + 0.75 * z1) ==
        Approx(0.25 * studentT3Cdf(z0) + 0.75 * studentT3Cdf(z1)).epsilon(1e-12));
  CHECK(studentT3CdfTabled(-50.0) == 0.0);
  CHECK(studentT3CdfTabled(-60.0) == 0.0);
  CHECK(studentT3CdfTabled(50.0) == 1.0);
  CHECK(studentT3CdfTabled(1e9) == 1.0);
  CHECK(studentT3CdfTabled(std::nan("")) == 0.0);
  // Between grid points it strays from the exact CDF, but little, and
  // stays monotone.
  double worst = 0, last = 0;
  for (double z = -8; z <= 8; z += 0.0137) {
    const double t = studentT3CdfTabled(z);
    worst = std::max(worst, std::abs(t - studentT3Cdf(z)));
    CHECK(t >= last);
    last = t;
  }
  CHECK(worst > 1e-6);
  CHECK(worst < 5e-4);
}

TEST_CASE("backup: valueWeightExponent moves weight to the better child, keeping the sum",
          "[search]") {
  std::vector<ChildValue> cs = {child(0.3, 50, 0.5), child(-0.1, 50, 0.5)};
  downweightBadChildren(cs, 0.0);
  CHECK(cs[0].weight == 50);
  CHECK(cs[1].weight == 50);
  downweightBadChildren(cs, 0.25);
  CHECK(cs[0].weight + cs[1].weight == Approx(100));
  // z = +-0.2 / sqrt(1 / (1.5 sqrt(50))) = +-0.65: P = 0.719 and 0.281.
  const double z = 0.2 / std::sqrt(1e-8 + 1.0 / (1.5 * std::sqrt(50.0)));
  const double good = std::pow(studentT3CdfTabled(z) + 1e-4, 0.25);
  const double bad = std::pow(studentT3CdfTabled(-z) + 1e-4, 0.25);
  CHECK(cs[0].weight == Approx(100 * good / (good + bad)));
  CHECK(cs[0].weight > 55);
}

TEST_CASE("backup: noise pruning cuts a worse child's weight past twice its policy share",
          "[search]") {
  // The second child has 10x its policy share (prior 0.05 against 0.9) and
  // is 0.5 worse: it keeps its lenient share plus exp(-0.5/0.15) of the excess.
  std::vector<ChildValue> cs = {child(0.5, 10, 0.9), child(0.0, 10, 0.05)};
  const double total = pruneNoise(cs, 0.15, 1e50);
  const double lenient = 2.0 * 10 * 0.05 / 0.9;
  const double expected = lenient + (10 - lenient) * std::exp(-0.5 / 0.15);
  CHECK(cs[0].weight == 10);
  CHECK(cs[1].weight == Approx(expected));
  CHECK(total == Approx(10 + expected));
  // A better child, or one within its share, keeps its weight.
  std::vector<ChildValue> better = {child(0.0, 10, 0.9), child(0.5, 10, 0.05)};
  pruneNoise(better, 0.15, 1e50);
  CHECK(better[1].weight == 10);
  std::vector<ChildValue> fair = {child(0.5, 10, 0.5), child(0.0, 10, 0.5)};
  pruneNoise(fair, 0.15, 1e50);
  CHECK(fair[1].weight == 10);
}

TEST_CASE("backup: with the refinements off, recomputing equals the running sums", "[search]") {
  const std::vector<Sample> a = {sample(-0.2), sample(-0.4, 2.0), sample(0.1)};
  const std::vector<Sample> b = {sample(0.3), sample(0.5, 0.5)};
  Tree t(0.05, a, b);
  const SearchParams p = allOff();
  Backup backup(p);
  std::vector<ChildValue> buf;
  backup.recompute(t.root, buf);
  Node sums(kNullLoc, Color::kEmpty);
  sums.addSample(sample(0.05));
  for (const Sample& s : a) sums.addSample(s);
  for (const Sample& s : b) sums.addSample(s);
  const NodeStats got = t.root.stats(), want = sums.stats();
  CHECK(got.visits == 1);  // one backup: visits are counted, not recomputed
  CHECK(got.weight == Approx(want.weight));
  CHECK(got.weightSq == Approx(want.weightSq));
  CHECK(got.utility == Approx(want.utility));
  CHECK(got.utilitySq == Approx(want.utilitySq));
  CHECK(got.winLoss == Approx(want.winLoss));
  CHECK(got.scoreMean == Approx(want.scoreMean));
  CHECK(got.scoreMeanSq == Approx(want.scoreMeanSq));
  CHECK(got.lead == Approx(want.lead));
}

TEST_CASE("backup: valueWeightExponent pulls a node's value towards its best child", "[search]") {
  // Black to move: child 0 is good for black (white's utility -0.4), child 1 bad.
  std::vector<Sample> good(40, sample(-0.4)), bad(40, sample(0.2));
  Tree off(0.0, good, bad), on(0.0, good, bad);
  SearchParams p = allOff();
  std::vector<ChildValue> buf;
  Backup(p).recompute(off.root, buf);
  p.valueWeightExponent = 0.25;
  Backup(p).recompute(on.root, buf);
  CHECK(off.root.stats().utility == Approx((40 * -0.4 + 40 * 0.2) / 81.0));
  CHECK(on.root.stats().utility < off.root.stats().utility - 0.02);  // better for black
  CHECK(on.root.stats().weight == Approx(81));
}

TEST_CASE("backup: subtree value bias corrects a node's own value by its shape's entry",
          "[search]") {
  SearchParams p = allOff();
  p.subtreeValueBiasFactor = 0.45;
  p.subtreeValueBiasWeightExponent = 0.85;
  SubtreeBiasTable table(0.8);
  auto entry = table.get(12345);
  // A searched node whose children say +0.3 for white, its net 0.0.
  Tree searched(0.0, std::vector<Sample>(9, sample(0.3)), {});
  searched.root.setBiasEntry(entry);
  Backup backup(p);
  std::vector<ChildValue> buf;
  backup.recompute(searched.root, buf);
  CHECK(entry->average() == Approx(0.3));
  // Its own value is corrected by 0.45 * 0.3.
  CHECK(searched.root.stats().utility == Approx((9 * 0.3 + 0.135) / 10));
  // A fresh node with the same shape starts from the corrected value.
  Tree fresh(0.1, {}, {});
  fresh.root.setBiasEntry(entry);
  backup.recompute(fresh.root, buf);
  CHECK(fresh.root.stats().utility == Approx(0.1 + 0.135));
  // Without the factor the entry is ignored.
  Tree plain(0.1, {}, {});
  plain.root.setBiasEntry(entry);
  Backup(allOff()).recompute(plain.root, buf);
  CHECK(plain.root.stats().utility == Approx(0.1));
}

TEST_CASE("backup: a discarded node takes subtreeValueBiasFreeProp of its share along",
          "[search]") {
  SubtreeBiasTable table(0.8);
  auto entry = table.get(7);
  entry->update(0, 0, 2.0, 4.0);  // someone else's: average 0.5
  {
    auto node = std::make_unique<Node>(kNullLoc, Color::kBlack);
    node->setBiasEntry(entry);
    node->lockStats();
    BiasLink& link = node->biasLinkLocked();
    CHECK(entry->update(link.lastDelta, link.lastWeight, -4.0, 4.0) == Approx(-0.25));
    link.lastDelta = -4.0;
    link.lastWeight = 4.0;
    node->unlockStats();
    CHECK(table.size() == 1);
  }
  // (2 - 4 + 0.8 * 4) / (4 + 4 - 0.8 * 4) = 1.2 / 4.8: a fifth of it stays.
  CHECK(entry->average() == Approx(0.25));
  entry.reset();
  table.clearUnused();
  CHECK(table.size() == 0);
}

TEST_CASE("backup: the subtree bias key is the move, the move before and the 5x5 around it",
          "[search]") {
  static const char* const kMoves[] = {"C3", "G7"};
  GameState s = stateFromMoves(9, Rules::trompTaylor(), kMoves, 2);
  const Board& b = s.board();
  const Loc prev = b.loc(6, 6);
  const uint64_t k = subtreeBiasKey(b, prev, b.loc(2, 3), Color::kBlack);
  CHECK(k != 0);
  CHECK(subtreeBiasKey(b, prev, b.loc(2, 3), Color::kBlack) == k);
  CHECK(subtreeBiasKey(b, prev, b.loc(2, 3), Color::kWhite) != k);
  CHECK(subtreeBiasKey(b, b.loc(5, 5), b.loc(2, 3), Color::kBlack) != k);
  CHECK(subtreeBiasKey(b, prev, kPassLoc, Color::kBlack) == 0);
  CHECK(subtreeBiasKey(b, kNullLoc, b.loc(2, 3), Color::kBlack) == 0);
  // A stone inside the 5x5 changes it; one outside does not.
  GameState inside = s, outside = s;
  REQUIRE(inside.play(b.loc(3, 4), Color::kBlack));
  REQUIRE(outside.play(b.loc(8, 0), Color::kBlack));
  CHECK(subtreeBiasKey(inside.board(), prev, b.loc(2, 3), Color::kBlack) != k);
  CHECK(subtreeBiasKey(outside.board(), prev, b.loc(2, 3), Color::kBlack) == k);
}

TEST_CASE("backup: a search with the refinements on keeps its visits consistent", "[search]") {
  SearchParams p = deterministicParams(300);
  p.valueWeightExponent = 0.25;
  p.useNoisePruning = true;
  p.subtreeValueBiasFactor = 0.45;
  Search s(fakeEvaluator(), p);
  s.setPosition(stateFromMoves(9, Rules::trompTaylor(), kFive, 5));
  const SearchStats st = s.run(SearchLimits());
  CHECK(st.rootVisits >= 300);
  const NodeStats root = s.root()->stats();
  CHECK(root.visits == st.rootVisits);
  CHECK(std::abs(root.utility) < 1.5);
  CHECK(root.weight > 0);
  // Every visited child's visits are below its parent's.
  int64_t childVisits = 0;
  for (int i = 0; i < s.root()->numEdges(); ++i) {
    const Node* c = s.root()->edge(i).node.load();
    if (c) childVisits += c->visits();
  }
  CHECK(childVisits == root.visits - 1);
  // Off, the same search differs: the refinements change the values.
  SearchParams off = deterministicParams(300);
  off.valueWeightExponent = 0;
  off.useNoisePruning = false;
  off.subtreeValueBiasFactor = 0;
  Search s2(fakeEvaluator(), off);
  s2.setPosition(stateFromMoves(9, Rules::trompTaylor(), kFive, 5));
  s2.run(SearchLimits());
  CHECK(s2.root()->stats().utility != Approx(root.utility).epsilon(1e-9));
}
