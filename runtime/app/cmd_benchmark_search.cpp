// `hoshi benchmark` without --nn-only: the full search, like `katago
// benchmark`. Positions every few moves of a real professional game (Kato
// Shin - Sekiyama Riichi, 1941, from the goban package's collection) are
// searched from scratch at each thread count; visits/s, network
// evaluations/s and the average batch are reported, and the thread count to
// use is recommended.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/benchmark.h"
#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"
#include "game/sgf.h"
#include "nn/evaluator.h"
#include "nn/options.h"
#include "search/search.h"
#include "search/search_params.h"

namespace hoshi::app {
namespace {

constexpr const char* kGameSgf =
    "(;GM[1]FF[4]SZ[19]KM[6.5]PB[Kato Shin]PW[Sekiyama Riichi]"
    ";B[pd];W[dc];B[pp];W[fp];B[de];W[ee];B[ef];W[ed];B[dg];W[co];B[cc];W[cd];B[dd];W[ce];B[df]"
    ";W[bc];B[ec];W[cb];B[db];W[cc];B[fd];W[po];B[op];W[qp];B[qq];W[qo];B[fe];W[rq];B[pr];W[qr]"
    ";B[pq];W[rr];B[lq];W[nd];B[ld];W[pg];B[oe];W[le];B[ke];W[me];B[kd];W[ng];B[qe];W[oc];B[pc]"
    ";W[lg];B[rg];W[jq];B[nn];W[eq];B[kh];W[kg];B[jg];W[lh];B[ki];W[dk];B[li];W[fk];B[kf];W[nh]"
    ";B[jp];W[ip];B[jo];W[kq];B[lp];W[qh];B[rh];W[qj];B[cn];W[bo];B[fm];W[en];B[dl];W[cl];B[ck]"
    ";W[el];B[dm];W[em];B[dj];W[ek];B[bl];W[cj];B[bk];W[bj];B[bn];W[di];B[an];W[dn];B[cm];W[lr]"
    ";B[mr];W[gi];B[iq];W[hq];B[ir];W[hr];B[io];W[hp];B[hh];W[ob];B[qb];W[mb];B[kb];W[gh];B[hg]"
    ";W[ao];B[pm];W[ok];B[ol];W[nk];B[rn];W[ro];B[ri];W[mi];B[qi];W[pi];B[qk];W[pk];B[rj];W[ql]"
    ";B[pj];W[qm];B[rl];W[oj];B[eb];W[bg];B[hm];W[qj];B[rk];W[mm];B[nm];W[ml];B[ks];W[kr];B[ls]"
    ";W[is];B[kp];W[jr];B[pl];W[qn];B[rm];W[sn];B[ij];W[mn];B[mo];W[ps];B[os];W[qs];B[nq];W[lb]"
    ";B[ka];W[lj];B[kj];W[lk];B[pf];W[kk];B[lc]"
    ")";

struct ThreadResult {
  int threads = 0;
  int ran = 0;  // search threads that ran: a CPU backend runs at most one per core
  int lanes = 0;
  double seconds = 0;
  int64_t visits = 0;
  int64_t evals = 0;
  int64_t batches = 0;
  int64_t collisions = 0;
  double netOnly = 0;   // evals/s of the network alone with the same lanes
  std::string backend;  // as resolved, e.g. "eigen fp32"
};

// Evaluations per second of the network alone (features, backend and
// post-processing, no tree) with `lanes` threads each sending batches of
// `batch` positions: what the search could reach if it cost nothing.
double netOnlyRate(nn::Evaluator& evaluator, const std::vector<GameState>& positions, int lanes,
                   int batch, double seconds) {
  std::vector<nn::EncodedPosition> inputs;
  for (int i = 0; i < batch; ++i)
    inputs.push_back(evaluator.encode(positions[size_t(i) % positions.size()], i % 8));
  std::atomic<int64_t> evals{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int l = 0; l < lanes; ++l)
    threads.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        evaluator.computeBatch(inputs);
        evals.fetch_add(batch, std::memory_order_relaxed);
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(0.3 * seconds));  // warm up
  const int64_t before = evals.load();
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const int64_t counted = evals.load() - before;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stop = true;
  for (std::thread& t : threads) t.join();
  return double(counted) / elapsed;
}

ThreadResult benchThreads(const SearchBenchArgs& a, const config::Params& base, int threads,
                          int lanes, const std::vector<GameState>& positions) {
  ThreadResult r;
  nn::EvaluatorOptions eo = nn::evaluatorOptionsFrom(base);
  eo.searchThreads = threads;
  // One core per lane: the search threads past the lanes batch instead of
  // running more threads than cores.
  eo.threads = lanes;
  eo.maxBatch = static_cast<int>(base.nnMaxBatchSize);
  eo.lanes = lanes;
  auto evaluator = std::shared_ptr<nn::Evaluator>(nn::Evaluator::load(a.model, eo));
  if (!evaluator->autoSummary().empty())
    std::printf("threads %3d: network %s\n", threads, evaluator->autoSummary().c_str());
  r.backend = evaluator->options().backend + " " + evaluator->options().precision;
  search::SearchParams sp = search::searchParamsFrom(base);
  sp.numThreads = threads;
  sp.maxBatch = eo.maxBatch;
  sp.maxVisits = a.visits;
  sp.maxTime = 1e20;
  r.threads = threads;
  r.lanes = lanes;
  search::Search warm(evaluator, sp);  // first evaluations pay for allocations
  warm.setPosition(positions.front());
  search::SearchLimits few;
  few.maxVisits = 8;
  warm.run(few);
  for (const GameState& pos : positions) {
    search::Search s(evaluator, sp);  // fresh tree and cache: no reuse between positions
    s.setPosition(pos);
    search::SearchStats st = s.run(search::SearchLimits());
    r.seconds += st.seconds;
    r.visits += st.playouts;
    r.evals += st.eval.evaluations;
    r.batches += st.eval.batches;
    r.collisions += st.collisions;
    r.ran = st.threads;
  }
  const int batch = std::max(1, (r.ran + lanes - 1) / lanes);
  // A quarter of the search's time (0.5..3 s) is enough to time the net.
  const double netSeconds = std::clamp(r.seconds / 4, 0.5, a.netSeconds);
  r.netOnly = netOnlyRate(*evaluator, positions, lanes, std::min(batch, eo.maxBatch), netSeconds);
  return r;
}

// The lane layouts worth timing at a thread count: nnLanes when the config
// sets it; on a GPU a lane per thread; on a CPU one lane per thread up to
// the cores (the default, nn::defaultLanes), and one lane of all of them
// when that differs (cores that share caches may like it better). Never
// more lanes than cores: more runnable threads than cores only fight.
std::vector<int> laneLayouts(const config::Params& base, int threads) {
  if (base.nnLanes > 0) return {static_cast<int>(base.nnLanes)};
  const int lanes = nn::defaultLanes(base.nnBackend, threads);
  if (base.nnBackend == "cuda" || lanes == 1) return {lanes};
  return {lanes, 1};
}

double visitsPerSecond(const ThreadResult& r) {
  return r.visits / r.seconds;
}

}  // namespace

int runSearchBenchmark(const SearchBenchArgs& a) {
  try {
    config::OptionSet options(programOptions());
    std::vector<std::string> warnings;
    if (!a.config.empty()) config::loadConfigFile(options, a.config, warnings);
    for (const std::string& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    for (const std::string& o : a.overrides) config::applyOverrides(options, o);
    const sgf::Game game = sgf::parseGame(kGameSgf);
    std::vector<GameState> positions;
    for (int move = 10; move <= game.numMoves(); move += 15)
      positions.push_back(sgf::replay(game, Rules::parse("japanese"), move));
    std::printf(
        "benchmark: %zu positions of a 19x19 game, %d visits each, nnBackend %s, nnPrecision %s\n",
        positions.size(), a.visits, options.params().nnBackend.c_str(),
        options.params().nnPrecision.c_str());
    std::vector<ThreadResult> results;  // the best lane layout of each thread count
    for (int t : a.threads) {
      ThreadResult best;
      for (int lanes : laneLayouts(options.params(), t)) {
        ThreadResult r = benchThreads(a, options.params(), t, lanes, positions);
        const double vps = visitsPerSecond(r);
        if (r.ran != t)
          std::printf("threads %3d: %d ran (more threads than cores only wait on a CPU)\n", t,
                      r.ran);
        std::printf(
            "threads %3d, lanes %2d: %8.1f visits/s  %8.1f nnEvals/s  avg batch %5.2f  "
            "collisions/visit %.2f  (%lld visits in %.1f s, %s)\n",
            t, lanes, vps, r.evals / r.seconds, r.batches ? double(r.evals) / r.batches : 0.0,
            r.visits ? double(r.collisions) / r.visits : 0.0, static_cast<long long>(r.visits),
            r.seconds, r.backend.c_str());
        // Scaling from the first thread count's best layout (or this one).
        const ThreadResult& ref = !results.empty() ? results.front() : best.threads ? best : r;
        std::printf(
            "                        x%.2f of %d thread(s), %.2f of the net alone "
            "(%.1f evals/s, same lanes)\n",
            vps / visitsPerSecond(ref), ref.threads, r.netOnly > 0 ? vps / r.netOnly : 0.0,
            r.netOnly);
        std::fflush(stdout);
        if (best.threads == 0 || vps > visitsPerSecond(best)) best = r;
      }
      results.push_back(best);
    }
    // More threads are worth it only while they add visits clearly (KataGo
    // also charges a small strength cost per thread: wider, shallower trees).
    const ThreadResult* best = &results.front();
    for (const ThreadResult& r : results) {
      const double gain = visitsPerSecond(r) / visitsPerSecond(*best);
      if (r.threads > best->threads && gain > 1.0 + 0.05 * (r.threads - best->threads)) best = &r;
    }
    std::printf("recommended numSearchThreads = %d, nnLanes = %d\n", best->threads, best->lanes);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hoshi benchmark: %s\n", e.what());
    return 1;
  }
}

}  // namespace hoshi::app
