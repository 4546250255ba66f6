#pragma once

// nnBackend = auto / nnPrecision = auto: on the machine itself, the fastest
// (backend, precision) whose accuracy meets the bars, chosen by a short
// benchmark at first start and cached in a small text file.
//
// A path meets the bars when it is FP32 (the reference), FP16 on the GPU
// (its tests hold it to top-1 >= 99%), or the INT8 path of a Hoshi file whose
// quantizer recorded, against FP32 on held-out positions, top-1 >= 97%,
// winrate MAE <= 0.01 and lead MAE <= 0.3 (META keys check.top1,
// check.winrateMAE, check.leadMAE).

#include <map>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/model_loader.h"

namespace hoshi::nn {

struct AutoRequest {
  std::string backend = "auto";    // "auto" or a registry name
  std::string precision = "auto";  // "auto", fp32, fp16, int8
  // Threads, lanes, batch size and device every candidate is created with
  // (its precision and INT8 scales are the candidate's own).
  BackendOptions base;
  int searchThreads = 1;  // positions in flight, shared over a backend's lanes
  std::string cacheDir;   // "" = defaultAutoCacheDir()
  double secondsPerCandidate = 0.6;
};

struct AutoCandidate {
  std::string backend;
  std::string precision;
  double evalsPerSecond = 0;  // 0 when skipped
  std::string skipped;        // why it was not measured; "" when measured
};

struct AutoChoice {
  std::string backend;
  std::string precision;
  std::vector<AutoCandidate> candidates;
  bool fromCache = false;
  std::string cacheFile;        // "" when it could not be written
  std::string summary() const;  // one line for logs and `hoshi benchmark`
};

// Whether a Hoshi file's recorded INT8 accuracy meets the bars; why not in
// *reason.
bool int8AccuracyMeetsBars(const std::map<std::string, std::string>& meta, std::string* reason);

// $HOSHI_CACHE_DIR, systemd's $CACHE_DIRECTORY, $XDG_CACHE_HOME/hoshi,
// $HOME/.cache/hoshi, else /tmp/hoshi-cache.
std::string defaultAutoCacheDir();

// Throws std::runtime_error when no candidate can run.
AutoChoice chooseBackend(const LoadedModel& loaded, const std::string& modelPath,
                         const AutoRequest& request);

}  // namespace hoshi::nn
