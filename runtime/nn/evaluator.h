#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/features.h"

namespace hoshi {
class GameState;
namespace nn {

struct ModelDesc;
class Backend;

// What the network says about one position, post-processed the way KataGo's
// kata-raw-nn reports it: every value is from WHITE's point of view, policy is
// a probability over legal moves (illegal points are -1), rows top to bottom.
struct NetOutput {
  int xSize = 0;
  int ySize = 0;
  float whiteWin = 0;
  float whiteLoss = 0;
  float noResult = 0;
  float whiteLead = 0;
  float whiteScoreSelfplay = 0;
  float whiteScoreSelfplaySq = 0;
  float varTimeLeft = -1;
  float shorttermWinlossError = -1;
  float shorttermScoreError = -1;
  std::vector<float> policy;  // [y * xSize + x], -1 where illegal
  float policyPass = 0;
  std::vector<float> whiteOwnership;  // [y * xSize + x], in [-1, 1]
};

struct EvaluatorOptions {
  // A name in nn/registry, or "auto" (with precision "auto" too, maybe):
  // the fastest path that meets the accuracy bars (nn/auto_select.h).
  std::string backend = "eigen";
  int threads = 1;
  int maxBatch = 1;
  // Evaluations that may run at once (BackendOptions::lanes). 0: one per
  // search thread on a GPU; on a CPU one per search thread but never more
  // than the cores this process may use (defaultLanes), so that N search
  // threads never make more than N runnable threads and the threads past
  // the cores batch their positions instead of fighting for a core.
  int lanes = 1;
  int searchThreads = 1;           // for "auto": positions the search keeps in flight
  std::string autoCacheDir;        // for "auto": "" = defaultAutoCacheDir()
  std::string precision = "fp32";  // passed to the backend (cuda: fp16 | fp32)
  int device = 0;                  // GPU index for the cuda backend
  double policyOptimism = 0.0;     // KataGo's rootPolicyOptimism; 0 = plain policy head
  // Lets search threads outnumber the cores on a CPU backend (tests that
  // need threads to collide; see Evaluator::usefulSearchThreads).
  bool threadsPastCores = false;
};

// Cores this process may run on (its CPU affinity mask; at least 1).
int usableCores();
// The lanes `lanes = 0` resolves to for `searchThreads` on `backend`.
int defaultLanes(const std::string& backend, int searchThreads);

// A position turned into network inputs, plus what post-processing needs
// (legal moves and side to move). Produced by Evaluator::encode so a search
// can collect many and run them in one batch.
struct EncodedPosition {
  int xSize = 0;
  int ySize = 0;
  int symmetry = 0;
  bool whiteToMove = false;
  bool noResultPossible = true;  // false under superko area rules
  double policyOptimism = 0.0;   // from EvaluatorOptions unless overridden
  bool capPassPolicy = false;    // InputOptions::enablePassingHacks
  std::vector<float> spatial;    // [channel][y][x] in the symmetry's frame
  std::vector<float> global;     // [channel]
  std::vector<uint8_t> legal;    // [y * xSize + x] then pass, original frame
};

// Features -> backend -> post-processing. encode() only reads the model and
// may run on many threads at once; computeBatch()/evaluate() take a fresh
// backend computation per call, so they are as thread-safe as the backend
// (the Eigen and fake backends are).
class Evaluator {
 public:
  // Loads a KataGo .bin/.bin.gz model and creates the named backend.
  // Throws std::runtime_error with a message naming the file on failure.
  static std::unique_ptr<Evaluator> load(const std::string& modelPath,
                                         const EvaluatorOptions& options);
  // Wraps an existing backend (e.g. a fake one in tests).
  Evaluator(std::unique_ptr<Backend> backend, std::shared_ptr<const ModelDesc> model,
            const EvaluatorOptions& options);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  const ModelDesc& model() const;
  const EvaluatorOptions& options() const { return options_; }
  // Computations the backend really runs at once (1 unless it has lanes).
  int lanes() const;
  // Search threads worth running for `requested`: all of them on a GPU
  // (positions in flight fill its batches), at most one per core (or lane)
  // on a CPU backend, where a batch costs about as much per position as a
  // single evaluation and the threads past the cores would only wait for
  // a lane (issue 18: 4 and 8 threads ran at 0.83x and 0.76x of 2).
  int usefulSearchThreads(int requested) const;
  // What "auto" chose and measured, one line; "" when nothing was auto.
  const std::string& autoSummary() const { return autoSummary_; }

  // symmetry is 0..7 in KataGo's numbering; `options`: what a search tells
  // the net besides the position.
  NetOutput evaluate(const GameState& state, int symmetry, const InputOptions& options = {});

  EncodedPosition encode(const GameState& state, int symmetry,
                         const InputOptions& options = {}) const;
  std::vector<NetOutput> computeBatch(const std::vector<EncodedPosition>& inputs);

 private:
  std::unique_ptr<Backend> backend_;
  std::shared_ptr<const ModelDesc> model_;
  EvaluatorOptions options_;  // as resolved: never "auto"
  std::string autoSummary_;
};

}  // namespace nn
}  // namespace hoshi
