// Weightless backend for search and GTP tests (lc0's trivial network idea):
// "uniform" returns all-zero logits (uniform policy, even value), "random"
// returns logits drawn from a hash of the inputs, so the same position always
// gets the same answer and different positions usually differ.

#include "nn/fake/fake_backend.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "nn/model.h"
#include "util/hash.h"

namespace hoshi::nn {

namespace {

// A value in [-scale, scale) from a hash and an output index.
float draw(uint64_t seed, uint64_t index, float scale) {
  uint64_t r = util::splitmix64(seed ^ util::splitmix64(index));
  return scale * (float((r >> 40) & 0xffffff) / float(1 << 23) - 1.0f);
}

class FakeComputation final : public Computation {
 public:
  FakeComputation(const BackendAttributes& a, bool random, int xSize, int ySize)
      : attr_(a), random_(random), x_(xSize), y_(ySize) {
    const size_t area = size_t(xSize) * ySize;
    policyStride_ = area * a.numPolicyChannels;
    policy_.resize(policyStride_ * a.maxBatch);
    pass_.resize(size_t(a.numPolicyChannels) * a.maxBatch);
    value_.resize(size_t(3) * a.maxBatch);
    score_.resize(size_t(a.numScoreValueChannels) * a.maxBatch);
    ownership_.resize(area * a.maxBatch);
    hashes_.resize(a.maxBatch);
  }

  void addInput(const float* spatial, const float* global) override {
    if (count_ >= attr_.maxBatch) throw std::length_error("fake backend: computation is full");
    // FNV-1a over 32-bit words (the floats' bits), not bytes.
    uint64_t h = util::kFnv1aOffset;
    auto feed = [&h](const float* data, size_t n) {
      for (size_t i = 0; i < n; ++i) {
        uint32_t bits;
        std::memcpy(&bits, &data[i], 4);
        h = util::fnv1aStep(h, bits);
      }
    };
    feed(spatial, size_t(attr_.numInputChannels) * x_ * y_);
    feed(global, size_t(attr_.numInputGlobalChannels));
    hashes_[count_++] = h;
  }
  int size() const override { return count_; }
  void clear() override { count_ = 0; }

  void compute() override {
    const size_t area = size_t(x_) * y_;
    for (int b = 0; b < count_; ++b) {
      uint64_t s = random_ ? hashes_[b] : 0;
      auto fill = [&](float* out, size_t n, uint64_t salt, float scale) {
        for (size_t i = 0; i < n; ++i) out[i] = random_ ? draw(s, salt + i, scale) : 0.0f;
      };
      fill(&policy_[b * policyStride_], policyStride_, 0, 2.0f);
      fill(&pass_[size_t(b) * attr_.numPolicyChannels], attr_.numPolicyChannels, 1u << 20, 2.0f);
      fill(&value_[size_t(b) * 3], 3, 2u << 20, 1.0f);
      fill(&score_[size_t(b) * attr_.numScoreValueChannels], attr_.numScoreValueChannels, 3u << 20,
           0.5f);
      fill(&ownership_[b * area], area, 4u << 20, 1.0f);
    }
  }

  int xSize() const override { return x_; }
  int ySize() const override { return y_; }
  const float* policy(int i) const override { return &policy_[size_t(i) * policyStride_]; }
  const float* policyPass(int i) const override {
    return &pass_[size_t(i) * attr_.numPolicyChannels];
  }
  const float* value(int i) const override { return &value_[size_t(i) * 3]; }
  const float* scoreValue(int i) const override {
    return &score_[size_t(i) * attr_.numScoreValueChannels];
  }
  const float* ownership(int i) const override { return &ownership_[size_t(i) * x_ * y_]; }

 private:
  const BackendAttributes& attr_;
  bool random_;
  int x_, y_;
  int count_ = 0;
  size_t policyStride_;
  std::vector<uint64_t> hashes_;
  std::vector<float> policy_, pass_, value_, score_, ownership_;
};

class FakeBackend final : public Backend {
 public:
  FakeBackend(const ModelDesc* model, const BackendOptions& options) {
    if (options.fakeMode != "uniform" && options.fakeMode != "random")
      throw std::invalid_argument("fake backend: mode must be 'uniform' or 'random'");
    random_ = options.fakeMode == "random";
    attributes_.name = "fake";
    attributes_.modelVersion = model ? model->modelVersion : 8;
    attributes_.numInputChannels = model ? model->numInputChannels : 22;
    attributes_.numInputGlobalChannels = model ? model->numInputGlobalChannels : 19;
    attributes_.numPolicyChannels = model ? model->numPolicyChannels : 1;
    attributes_.numScoreValueChannels = model ? model->numScoreValueChannels : 4;
    attributes_.maxBatch = options.maxBatch < 1 ? 1 : options.maxBatch;
    attributes_.threads = 1;
    attributes_.threadsPastCoresHelp = true;
  }
  const BackendAttributes& attributes() const override { return attributes_; }
  std::unique_ptr<Computation> newComputation(int xSize, int ySize) override {
    if (xSize < 2 || xSize > 19 || ySize < 2 || ySize > 19)
      throw std::invalid_argument("fake backend: board size must be 2..19");
    return std::make_unique<FakeComputation>(attributes_, random_, xSize, ySize);
  }

 private:
  BackendAttributes attributes_;
  bool random_ = true;
};

}  // namespace

std::unique_ptr<Backend> createFakeBackend(std::shared_ptr<const ModelDesc> model,
                                           const BackendOptions& options) {
  return std::make_unique<FakeBackend>(model.get(), options);
}

void registerFakeBackend(BackendRegistry& registry) {
  registry.add({"fake", &createFakeBackend, /*transformers=*/true, /*listed=*/false});
}

}  // namespace hoshi::nn
