// The two version 17 test nets KataGo ships: what the loader reads from them
// (hand-checked against the files' text headers), the errors for variants we
// do not compute, and one full evaluation against KataGo's golden output.

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "game/game_state.h"
#include "nn/evaluator.h"
#include "nn/model.h"
#include "nn/transformer_desc.h"
#include "test_model_common.h"

using namespace hoshi;

namespace {

const char* const kRopeNet = "b7c96h3tfrs-test5-cnorm";
const char* const kGqaNet = "b7c96h6kv3qk32v16tflrs-fson-bnh";

std::string modelFile(const std::string& net) {
  return test::sharedDir() + "/models/" + net + ".bin.gz";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string modelBytes(const std::string& net) {
  return nn::gunzip(readFile(modelFile(net)), size_t(1) << 30);
}

// The model with the first `from` (a run of text fields) replaced.
std::string edited(const std::string& net, const std::string& from, const std::string& to) {
  std::string bytes = modelBytes(net);
  size_t at = bytes.find(from);
  REQUIRE(at != std::string::npos);
  return bytes.replace(at, from.size(), to);
}

void requireRefused(const std::string& bytes, const std::string& message) {
  try {
    nn::parseModel(bytes, true);
    FAIL("model accepted");
  } catch (const std::runtime_error& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find(message) != std::string::npos);
  }
}

// Numbers of a "field":[...] or "field":x entry of a golden JSON line.
std::vector<double> goldenField(const std::string& line, const std::string& field) {
  const nlohmann::json rec = nlohmann::json::parse(line);
  REQUIRE(rec.contains(field));
  const nlohmann::json& v = rec.at(field);
  if (v.is_array()) return v.get<std::vector<double>>();
  return {v.get<double>()};
}

bool haveNets() {
  return std::ifstream(modelFile(kRopeNet)).good() && std::ifstream(modelFile(kGqaNet)).good();
}

}  // namespace

TEST_CASE("version 17 nets load with their transformer layers", "[nn][transformer][model]") {
  if (!haveNets()) return;
  nn::ModelDesc rope = nn::parseModel(modelBytes(kRopeNet), true);
  CHECK(rope.modelVersion == 17);
  CHECK(rope.hasTransformerLayers());
  REQUIRE(rope.trunk.blocks.size() == 14);
  CHECK(rope.blockSummary() == "14 blocks (7 attention, 7 feed-forward)");
  const nn::BlockDesc& b0 = rope.trunk.blocks[0];
  REQUIRE(b0.kind == nn::BlockKind::kAttention);
  REQUIRE(b0.attention);
  CHECK(b0.attention->heads == 3);
  CHECK(b0.attention->kvHeads == 3);
  CHECK(b0.attention->qkHeadDim == 32);
  CHECK(b0.attention->vHeadDim == 32);
  CHECK(b0.attention->rope == nn::RopeKind::kFixed);
  CHECK(b0.attention->ropeTheta == 100.0f);
  CHECK(b0.attention->preNorm.epsilon == Approx(1e-6));
  const nn::BlockDesc& b1 = rope.trunk.blocks[1];
  REQUIRE(b1.kind == nn::BlockKind::kFeedForward);
  CHECK(b1.feedForward->hiddenChannels == 256);
  REQUIRE(rope.trunk.tipRmsNorm);
  CHECK_FALSE(rope.trunk.tipRmsNorm->spatial);
  CHECK(rope.trunk.tipRmsNorm->activation == nn::Activation::kSilu);
  CHECK(rope.numPolicyChannels == 2);
  CHECK(rope.postProcess.shorttermScoreErrorMultiplier == 150.0);

  nn::ModelDesc gqa = nn::parseModel(modelBytes(kGqaNet), true);
  const nn::AttentionDesc& a = *gqa.trunk.blocks[12].attention;
  CHECK(a.heads == 6);
  CHECK(a.kvHeads == 3);
  CHECK(a.qkHeadDim == 32);
  CHECK(a.vHeadDim == 16);
  CHECK(a.rope == nn::RopeKind::kLearned);
  CHECK(a.ropeFreqs.size() == 3 * 16 * 2);
  // A batch-norm tip (trunk norm kind 0) with a transformer trunk.
  CHECK_FALSE(gqa.trunk.tipRmsNorm);
  CHECK(gqa.trunk.tipNorm.activation == nn::Activation::kRelu);
  CHECK(gqa.hasTransformerLayers());
}

TEST_CASE("version 17 variants we do not compute are refused by name", "[nn][transformer][model]") {
  if (!haveNets()) return;
  requireRefused(edited(kRopeNet, "model.blocks.1\n96\n256\n1\n", "model.blocks.1\n96\n256\n0\n"),
                 "model.blocks.1: feed-forward blocks without a SwiGLU gate are not supported");
  requireRefused(edited(kRopeNet, "model.norm_trunkfinal\n96\n1e-06\n0\n0\n",
                        "model.norm_trunkfinal\n96\n1e-06\n0\n4\n"),
                 "model.norm_trunkfinal: grouped RMS norms");
  requireRefused(edited(kGqaNet, "model.blocks.0\n6\n3\n", "model.blocks.0\n6\n4\n"),
                 "model.blocks.0: attention heads (6) not a multiple of kv heads (4)");
  requireRefused(edited(kRopeNet, "model.policy_head\n2\n", "model.policy_head\n3\n"),
                 "3 policy output channels");
  requireRefused(edited(kRopeNet, "model.value_head\n0\n", "model.value_head\n1\n"),
                 "reserved value head option");
  // Transformer blocks only exist from version 17 on.
  requireRefused(edited(kRopeNet, "b7c96h3tfrs-test5-cnorm\n17\n", "b7c96h3tfrs-test5-cnorm\n16\n"),
                 "");
}

TEST_CASE("version 17 nets reproduce KataGo on the empty board", "[nn][transformer][golden]") {
  if (!haveNets()) return;
  for (const char* net : {kRopeNet, kGqaNet}) {
    INFO(net);
    std::ifstream golden(test::sharedDir() + "/golden/" + net + "-raw-nn.jsonl");
    std::string line;
    REQUIRE(std::getline(golden, line));
    REQUIRE(line.find("\"id\":\"g01000-policy-19x19-chinese-m0\"") != std::string::npos);
    nn::EvaluatorOptions options;
    options.threads = 2;
    options.policyOptimism = 0.2;  // what KataGo's kata-raw-nn uses by default
    auto ev = nn::Evaluator::load(modelFile(net), options);
    GameState empty(Board(19, 19), Color::kBlack, Rules::parseWithoutKomi("chinese", 6.5f));
    nn::NetOutput out = ev->evaluate(empty, 0);
    CHECK(out.whiteWin == Approx(goldenField(line, "whiteWin")[0]).margin(2e-4));
    CHECK(out.whiteLoss == Approx(goldenField(line, "whiteLoss")[0]).margin(2e-4));
    CHECK(out.whiteLead == Approx(goldenField(line, "whiteLead")[0]).margin(0.02));
    CHECK(out.whiteScoreSelfplaySq ==
          Approx(goldenField(line, "whiteScoreSelfplaySq")[0]).margin(0.5));
    CHECK(out.policyPass == Approx(goldenField(line, "policyPass")[0]).margin(2e-4));
    const std::vector<double> policy = goldenField(line, "policy");
    const std::vector<double> owner = goldenField(line, "whiteOwnership");
    REQUIRE(policy.size() == 361);
    double policyErr = 0, ownerErr = 0;
    for (int i = 0; i < 361; ++i) {
      policyErr = std::max(policyErr, std::fabs(out.policy[i] - policy[i]));
      ownerErr = std::max(ownerErr, std::fabs(out.whiteOwnership[i] - owner[i]));
    }
    CHECK(policyErr < 2e-4);
    CHECK(ownerErr < 5e-4);
  }
}
