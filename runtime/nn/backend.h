#pragma once

// The one interface every network backend implements (lc0 style): a Backend
// made from a model, handing out Computation objects; a computation collects
// positions with addInput, runs them in one compute(), then exposes the raw
// head outputs per entry.
//
// INPUT, per position (agreed with nn/features, do not change):
//   spatial: float [numInputChannels][ySize][xSize], y from the top row,
//            x from the left; channel 0 is the on-board mask (all 1 here,
//            since we compute at exactly the board size).
//   global:  float [numInputGlobalChannels].
// All positions of one computation share xSize, ySize (2..19).
//
// OUTPUT, per entry: RAW head outputs, exactly what the net computes (no
// softmax, no tanh, no scaling), in KataGo's channel order:
//   policy(i)     [numPolicyChannels][ySize][xSize] logits
//   policyPass(i) [numPolicyChannels] logits
//        channel 0: the policy; channel 1 (v12+): the optimistic policy;
//        channels 2, 3 (v16 only): q-value predictions, unused by KataGo.
//   value(i)      [3] logits: win, loss, no-result, for the side to move.
//   scoreValue(i) [numScoreValueChannels], side to move's perspective:
//        0 score mean, 1 score mean squared, 2 lead, 3 variance of time left,
//        4 (v9+) short-term win/loss error, 5 (v9+) short-term score error;
//        all before the model's post-process multipliers / softplus.
//   ownership(i)  [ySize][xSize], pre-tanh, side to move's perspective.

#include <memory>
#include <string>
#include <vector>

namespace hoshi::nn {

struct ModelDesc;
struct QuantTable;

struct BackendOptions {
  int threads = 1;   // worker threads in all, shared by the lanes
  int maxBatch = 8;  // most positions one computation may hold
  // Computations that may run at once (CPU backends that implement it: eigen),
  // each on max(1, threads / lanes) workers; other backends run one at a time
  // whatever this says.
  int lanes = 1;
  // Arithmetic precision (config nnPrecision): "fp32", "fp16" (cuda), "int8";
  // a backend refuses one it does not implement.
  std::string precision = "fp32";
  int device = 0;  // GPU index (config cudaDevice), cuda only
  // Fake backend only: "uniform" (all logits 0) or "random" (deterministic
  // pseudo-random logits derived from a hash of the inputs).
  std::string fakeMode = "random";
  // INT8 only: activation scales and the INT8 layers (nn/quant.h), from a
  // Hoshi model file (nn/hoshi_model.h).
  std::shared_ptr<const QuantTable> quant;
};

// Shapes a caller needs without looking at the model.
struct BackendAttributes {
  std::string name;  // registry name, e.g. "eigen"
  int modelVersion = 0;
  int numInputChannels = 0;
  int numInputGlobalChannels = 0;
  int numPolicyChannels = 0;
  int numValueChannels = 3;
  int numScoreValueChannels = 0;
  int maxBatch = 1;
  int threads = 1;
  int lanes = 1;  // computations that really run at once
  // What the backend really runs, for reports (benchmark, logs): e.g.
  // "fp16" and "NVIDIA Orin (sm_87, 7.4 GiB, integrated, zero-copy)".
  std::string precision = "fp32";
  std::string device = "cpu";
  // Search threads past the cores still add throughput: a GPU fills its
  // batches with them, the weightless fake backend costs nothing a position.
  // A CPU backend leaves it false (Evaluator::usefulSearchThreads).
  bool threadsPastCoresHelp = false;
};

// The attributes every backend shares: name, the model's shapes, maxBatch
// and threads from the options (lanes 1, fp32 on the cpu until the backend
// says otherwise).
BackendAttributes modelAttributes(const std::string& name, const ModelDesc& model,
                                  const BackendOptions& options);

class Computation {
 public:
  virtual ~Computation() = default;
  // Copies one position's inputs. Throws std::length_error past maxBatch.
  virtual void addInput(const float* spatial, const float* global) = 0;
  virtual int size() const = 0;
  // Evaluates every added position; outputs are valid until the next
  // addInput / clear on this computation.
  virtual void compute() = 0;
  // Forgets the inputs so the computation (and its buffers) can be reused.
  virtual void clear() = 0;

  virtual int xSize() const = 0;
  virtual int ySize() const = 0;
  virtual const float* policy(int i) const = 0;
  virtual const float* policyPass(int i) const = 0;
  virtual const float* value(int i) const = 0;
  virtual const float* scoreValue(int i) const = 0;
  virtual const float* ownership(int i) const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const BackendAttributes& attributes() const = 0;
  // Throws std::invalid_argument if a size is outside 2..19. A computation
  // must not outlive its backend.
  virtual std::unique_ptr<Computation> newComputation(int xSize, int ySize) = 0;
};

// A backend by name from the registry (nn/registry.h), which the backends
// fill when the program starts (nn/builtin: registerBuiltinBackends).
// model may be null for the fake backend (it then mimics a version-8 net's
// shapes: 22 spatial + 19 global inputs, 1 policy channel, 4 score values).
// Throws std::runtime_error for an unknown name or a missing model.
std::unique_ptr<Backend> createBackend(const std::string& name,
                                       std::shared_ptr<const ModelDesc> model,
                                       const BackendOptions& options);
// The backends a user chooses from (the test-only fake one left out).
std::vector<std::string> backendNames();

}  // namespace hoshi::nn
