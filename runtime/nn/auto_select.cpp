#include "nn/auto_select.h"

#include <sys/stat.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "nn/backend.h"
#include "nn/bench_inputs.h"
#include "util/hash.h"

namespace hoshi::nn {
namespace {

constexpr int kBoardSize = 19;
constexpr const char* kCacheFormat = "hoshi-auto-1";

double metaNumber(const std::map<std::string, std::string>& meta, const std::string& key) {
  auto it = meta.find(key);
  if (it == meta.end()) return -1;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  return end && *end == '\0' ? v : -1;
}

std::string cpuDescription() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model;
  int cpus = 0;
  while (std::getline(in, line)) {
    if (line.rfind("processor", 0) == 0) ++cpus;
    if (model.empty() && (line.rfind("model name", 0) == 0 || line.rfind("Model", 0) == 0))
      model = line.substr(line.find(':') + 1);
  }
  return model + " x" + std::to_string(cpus);
}

// Which model file the cache entry is for, without reading it again: its
// path, size and modification time (a rewritten file is measured again).
std::string fileStamp(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot read '" + path + "'");
  return path + ':' + std::to_string(st.st_size) + ':' + std::to_string(st.st_mtim.tv_sec) + '.' +
         std::to_string(st.st_mtim.tv_nsec);
}

// The (backend, precision) pairs worth trying, and why the others are not.
std::vector<AutoCandidate> listCandidates(const LoadedModel& loaded, const AutoRequest& r) {
  std::vector<std::string> backends;
  for (const std::string& b : backendNames())
    if (b != "fake" && (r.backend == "auto" || r.backend == b)) backends.push_back(b);
  const std::vector<std::string> precisions = r.precision == "auto"
                                                  ? std::vector<std::string>{"fp32", "fp16", "int8"}
                                                  : std::vector<std::string>{r.precision};
  std::vector<AutoCandidate> out;
  for (const std::string& b : backends) {
    for (const std::string& p : precisions) {
      AutoCandidate c{b, p, 0, ""};
      if (p == "fp16" && b != "cuda") continue;  // FP16 arithmetic is the GPU's
      if (p == "int8" && b != "xnnpack") continue;
      if (p == "int8" && !loaded.quant) {
        c.skipped = "not an INT8 Hoshi file";
      } else if (p == "int8") {
        int8AccuracyMeetsBars(loaded.info.meta, &c.skipped);
      }
      if (c.skipped.empty() && b != "eigen" && loaded.model->hasTransformerLayers())
        c.skipped = "no version-17 layers in this backend";
      out.push_back(c);
    }
  }
  return out;
}

// Evaluations per second as a search would drive the backend: every lane
// busy with its share of the search threads' positions.
double measure(const LoadedModel& loaded, const AutoRequest& r, AutoCandidate& c) {
  BackendOptions o = r.base;
  o.precision = c.precision;
  o.quant = c.precision == "int8" ? loaded.quant : nullptr;
  std::unique_ptr<Backend> backend =
      createBackend(c.backend, c.precision == "int8" ? loaded.model : floatModel(loaded), o);
  const BackendAttributes& attr = backend->attributes();
  const int lanes = std::max(1, attr.lanes);
  const int batch = std::clamp((r.searchThreads + lanes - 1) / lanes, 1, r.base.maxBatch);
  using Clock = std::chrono::steady_clock;
  std::vector<long> counts(lanes, 0);
  std::vector<std::string> errors(lanes);
  auto lane = [&](int i) {
    try {
      std::unique_ptr<Computation> comp = backend->newComputation(kBoardSize, kBoardSize);
      fillBenchmarkInputs(*comp, attr, kBoardSize, batch, 7 + i);
      comp->compute();  // first use allocates
      const auto end = Clock::now() + std::chrono::duration<double>(r.secondsPerCandidate);
      while (Clock::now() < end) {
        comp->compute();
        ++counts[i];
      }
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  };
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 1; i < lanes; ++i) threads.emplace_back(lane, i);
  lane(0);
  for (std::thread& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const std::string& e : errors)
    if (!e.empty()) throw std::runtime_error(e);
  long total = 0;
  for (long n : counts) total += n;
  return double(total) * batch / seconds;
}

std::string cacheKey(const std::string& modelPath, const AutoRequest& r,
                     const std::vector<AutoCandidate>& candidates) {
  std::ostringstream s;
  s << kCacheFormat << '|' << fileStamp(modelPath) << '|' << r.backend << '|' << r.precision << '|'
    << r.base.threads << '|' << r.base.lanes << '|' << r.base.maxBatch << '|' << r.searchThreads
    << '|' << r.base.device << '|' << cpuDescription();
  for (const AutoCandidate& c : candidates) s << '|' << c.backend << '/' << c.precision;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(util::fnv1a(s.str())));
  return hex;
}

bool readCache(const std::string& file, const std::string& key, AutoChoice& choice) {
  std::ifstream in(file);
  std::string line, word;
  bool keyOk = false;
  std::vector<AutoCandidate> candidates;
  std::string backend, precision;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    ls >> word;
    if (word == "key") {
      ls >> word;
      keyOk = word == key;
    } else if (word == "choice") {
      ls >> backend >> precision;
    } else if (word == "measured" || word == "skipped") {
      AutoCandidate c;
      ls >> c.backend >> c.precision;
      if (word == "measured") {
        ls >> c.evalsPerSecond;
      } else {
        std::getline(ls >> std::ws, c.skipped);
      }
      candidates.push_back(c);
    }
  }
  if (!keyOk || backend.empty() || precision.empty()) return false;
  choice.backend = backend;
  choice.precision = precision;
  choice.candidates = candidates;
  choice.fromCache = true;
  return true;
}

bool writeCache(const std::string& dir, const std::string& file, const std::string& key,
                const AutoChoice& choice) {
  ::mkdir(dir.c_str(), 0755);  // one level, as the default places need
  std::ofstream out(file + ".tmp");
  out << "# nnBackend/nnPrecision = auto: what the first start measured (delete to measure "
         "again)\nkey "
      << key << "\nchoice " << choice.backend << ' ' << choice.precision << '\n';
  for (const AutoCandidate& c : choice.candidates) {
    if (c.skipped.empty())
      out << "measured " << c.backend << ' ' << c.precision << ' ' << c.evalsPerSecond << '\n';
    else
      out << "skipped " << c.backend << ' ' << c.precision << ' ' << c.skipped << '\n';
  }
  out.close();
  return out && std::rename((file + ".tmp").c_str(), file.c_str()) == 0;
}

}  // namespace

// Fewer held-out positions than this make the recorded top-1 too noisy to
// trust (a 1% bar needs several hundred positions).
constexpr int kMinCheckPositions = 500;

bool int8AccuracyMeetsBars(const std::map<std::string, std::string>& meta, std::string* reason) {
  const double top1 = metaNumber(meta, "check.top1");
  const double winrate = metaNumber(meta, "check.winrateMAE");
  const double lead = metaNumber(meta, "check.leadMAE");
  const double positions = metaNumber(meta, "check.positions");
  std::string why;
  if (top1 < 0 || winrate < 0 || lead < 0)
    why = "no accuracy record (check.top1, check.winrateMAE, check.leadMAE)";
  else if (positions < kMinCheckPositions)
    why = "recorded check used " +
          (positions < 0 ? std::string("no count of") : std::to_string(int64_t(positions))) +
          " held-out positions, fewer than " + std::to_string(kMinCheckPositions);
  else if (top1 < 0.97)
    why = "recorded top-1 " + std::to_string(top1) + " < 0.97";
  else if (winrate > 0.01)
    why = "recorded winrate MAE " + std::to_string(winrate) + " > 0.01";
  else if (lead > 0.3)
    why = "recorded lead MAE " + std::to_string(lead) + " > 0.3";
  if (reason) *reason = why;
  return why.empty();
}

std::string defaultAutoCacheDir() {
  for (const char* var : {"HOSHI_CACHE_DIR", "CACHE_DIRECTORY"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string(v).substr(0, std::string(v).find(':'));
  }
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/hoshi";
  if (const char* h = std::getenv("HOME"); h && *h) {
    ::mkdir((std::string(h) + "/.cache").c_str(), 0755);
    return std::string(h) + "/.cache/hoshi";
  }
  return "/tmp/hoshi-cache";
}

std::string AutoChoice::summary() const {
  std::ostringstream s;
  s << "auto -> " << backend << ' ' << precision << " (";
  bool first = true;
  for (const AutoCandidate& c : candidates) {
    s << (first ? "" : ", ") << c.backend << ' ' << c.precision << ' ';
    if (c.skipped.empty()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f evals/s", c.evalsPerSecond);
      s << buf;
    } else {
      s << "skipped: " << c.skipped;
    }
    first = false;
  }
  if (fromCache)
    s << "; cached in " << cacheFile;
  else
    s << "; measured now" << (cacheFile.empty() ? "" : ", saved to " + cacheFile);
  s << ')';
  return s.str();
}

AutoChoice chooseBackend(const LoadedModel& loaded, const std::string& modelPath,
                         const AutoRequest& request) {
  std::vector<AutoCandidate> candidates = listCandidates(loaded, request);
  const std::string dir = request.cacheDir.empty() ? defaultAutoCacheDir() : request.cacheDir;
  const std::string key = cacheKey(modelPath, request, candidates);
  const std::string file = dir + "/auto-" + key + ".txt";
  AutoChoice choice;
  if (readCache(file, key, choice)) {
    choice.cacheFile = file;
    return choice;
  }
  const AutoCandidate* best = nullptr;
  const auto runnable = std::count_if(candidates.begin(), candidates.end(),
                                      [](const AutoCandidate& c) { return c.skipped.empty(); });
  if (runnable == 1) {  // nothing to compare: no benchmark, no cache
    for (const AutoCandidate& c : candidates)
      if (c.skipped.empty()) choice.backend = c.backend, choice.precision = c.precision;
    choice.candidates = candidates;
    return choice;
  }
  for (AutoCandidate& c : candidates) {
    if (!c.skipped.empty()) continue;
    try {
      c.evalsPerSecond = measure(loaded, request, c);
    } catch (const std::exception& e) {
      c.skipped = e.what();  // e.g. no GPU on this machine
      c.skipped = c.skipped.substr(0, c.skipped.find('\n'));
    }
  }
  for (const AutoCandidate& c : candidates)
    if (c.skipped.empty() && (!best || c.evalsPerSecond > best->evalsPerSecond)) best = &c;
  if (!best) {
    std::string why;
    for (const AutoCandidate& c : candidates)
      why += "; " + c.backend + " " + c.precision + ": " + c.skipped;
    throw std::runtime_error("nnBackend/nnPrecision auto: nothing can run this model" + why);
  }
  choice.backend = best->backend;
  choice.precision = best->precision;
  choice.candidates = candidates;
  if (writeCache(dir, file, key, choice)) choice.cacheFile = file;
  return choice;
}

}  // namespace hoshi::nn
