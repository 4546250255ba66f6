// nnBackend / nnPrecision = auto: the accuracy gate, the measured choice and
// its cache.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "nn/auto_select.h"
#include "nn/model_loader.h"
#include "nn/test_model_common.h"

using namespace hoshi;

TEST_CASE("auto trusts INT8 only with a recorded accuracy inside the bars", "[nn][auto]") {
  std::string why;
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars({}, &why));
  CHECK(why.find("no accuracy record") != std::string::npos);
  std::map<std::string, std::string> meta = {
      {"check.top1", "0.9712"}, {"check.winrateMAE", "0.004"}, {"check.leadMAE", "0.21"}};
  // A check on too few held-out positions (or none recorded) is not trusted.
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars(meta, &why));
  CHECK(why.find("fewer than 500") != std::string::npos);
  meta["check.positions"] = "499";
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars(meta, &why));
  CHECK(why == "recorded check used 499 held-out positions, fewer than 500");
  meta["check.positions"] = "1000";
  REQUIRE(nn::int8AccuracyMeetsBars(meta, &why));
  CHECK(why.empty());
  meta["check.top1"] = "0.9612";
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars(meta, &why));
  CHECK(why.find("top-1") != std::string::npos);
  meta["check.top1"] = "0.98";
  meta["check.leadMAE"] = "0.31";
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars(meta, &why));
  CHECK(why.find("lead MAE") != std::string::npos);
  meta["check.leadMAE"] = "junk";
  REQUIRE_FALSE(nn::int8AccuracyMeetsBars(meta, &why));
}

TEST_CASE("auto measures the candidates once and caches the fastest", "[nn][auto]") {
  const std::string model = test::b6c96Path();
  nn::LoadedModel loaded = nn::loadAnyModel(model);
  const std::filesystem::path dir = test::tempPath("auto-cache");
  std::filesystem::remove_all(dir);
  nn::AutoRequest r;
  r.backend = "auto";
  r.precision = "auto";
  r.cacheDir = dir.string();
  r.secondsPerCandidate = 0.15;
  const nn::AutoChoice first = nn::chooseBackend(loaded, model, r);
  REQUIRE_FALSE(first.fromCache);
  REQUIRE_FALSE(first.cacheFile.empty());
  // The choice is the fastest measured candidate; INT8 is skipped for a
  // KataGo file, FP16 only exists on the GPU.
  double best = 0;
  bool sawEigen = false;
  for (const nn::AutoCandidate& c : first.candidates) {
    if (c.backend == "eigen" && c.precision == "fp32") sawEigen = c.skipped.empty();
    if (c.precision == "int8") CHECK(c.skipped == "not an INT8 Hoshi file");
    CHECK((c.precision != "fp16" || c.backend == "cuda"));
    if (c.skipped.empty()) {
      CHECK(c.evalsPerSecond > 0);
      best = std::max(best, c.evalsPerSecond);
    }
  }
  REQUIRE(sawEigen);
  for (const nn::AutoCandidate& c : first.candidates)
    if (c.backend == first.backend && c.precision == first.precision)
      CHECK(c.evalsPerSecond == best);
  // The second start reads the cache: same choice, same numbers.
  const nn::AutoChoice second = nn::chooseBackend(loaded, model, r);
  REQUIRE(second.fromCache);
  CHECK(second.backend == first.backend);
  CHECK(second.precision == first.precision);
  REQUIRE(second.candidates.size() == first.candidates.size());
  CHECK(second.summary().find("cached in " + first.cacheFile) != std::string::npos);
  // Other settings are another key: measured again.
  r.base.threads = 2;
  CHECK_FALSE(nn::chooseBackend(loaded, model, r).fromCache);
  // A damaged cache file is measured again, not trusted.
  r.base.threads = 1;
  { std::ofstream(first.cacheFile) << "key nonsense\nchoice eigen\n"; }
  CHECK_FALSE(nn::chooseBackend(loaded, model, r).fromCache);
  std::filesystem::remove_all(dir);
}

TEST_CASE("auto measures a model file again once it is rewritten", "[nn][auto]") {
  const std::filesystem::path dir = test::tempPath("auto-rewritten");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::filesystem::path model = dir / "net.bin.gz";
  std::filesystem::copy_file(test::b6c96Path(), model);
  nn::LoadedModel loaded = nn::loadAnyModel(model.string());
  nn::AutoRequest r;
  r.cacheDir = (dir / "cache").string();
  r.secondsPerCandidate = 0.05;
  REQUIRE_FALSE(nn::chooseBackend(loaded, model.string(), r).fromCache);
  REQUIRE(nn::chooseBackend(loaded, model.string(), r).fromCache);
  // Same path and size, newer modification time: another file for the cache.
  std::filesystem::last_write_time(
      model, std::filesystem::last_write_time(model) + std::chrono::seconds(5));
  CHECK_FALSE(nn::chooseBackend(loaded, model.string(), r).fromCache);
  std::filesystem::remove_all(dir);
}

TEST_CASE("auto with one possible path takes it without measuring", "[nn][auto]") {
  const std::string model = test::b6c96Path();
  nn::LoadedModel loaded = nn::loadAnyModel(model);
  nn::AutoRequest r;
  r.backend = "eigen";
  r.precision = "auto";
  r.cacheDir = test::tempPath("auto-single");
  const nn::AutoChoice c = nn::chooseBackend(loaded, model, r);
  CHECK(c.backend == "eigen");
  CHECK(c.precision == "fp32");
  CHECK(c.cacheFile.empty());
  CHECK_FALSE(std::filesystem::exists(r.cacheDir));
  r.backend = "fake-nothing";
  REQUIRE_THROWS_WITH(nn::chooseBackend(loaded, model, r),
                      Catch::Contains("nothing can run this model"));
}
