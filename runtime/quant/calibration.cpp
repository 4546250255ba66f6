#include "quant/calibration.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hoshi::quant {

using nn::TensorQuant;

namespace {

// Quantization error of clipping at `clip` (one step = clip / levels).
double clipError(const std::vector<float>& v, float clip, bool nonNegative) {
  const float step = clip / (nonNegative ? 255.0f : 127.0f);
  if (step <= 0) return 1e300;
  double err = 0;
  for (float x : v) {
    float q = std::nearbyint(x / step);
    q = nonNegative ? std::clamp(q, 0.0f, 255.0f) : std::clamp(q, -127.0f, 127.0f);
    double d = double(x) - double(q) * step;
    err += d * d;
  }
  return err;
}

}  // namespace

RangeCalibrator::RangeCalibrator(size_t maxSamplesPerTensor) : maxSamples_(maxSamplesPerTensor) {}

void RangeCalibrator::observe(const std::string& tensor, const float* data, size_t n,
                              int channels) {
  Samples& s = samples_[tensor];
  if (channels > 0) s.channelMax.resize(size_t(channels), 0.0f);
  for (size_t i = 0; i < n; ++i) {
    const uint16_t c = channels > 0 ? uint16_t(i % size_t(channels)) : 0;
    if (channels > 0) s.channelMax[c] = std::max(s.channelMax[c], std::fabs(data[i]));
    ++s.seen;
    size_t slot = s.values.size();
    if (slot >= maxSamples_) {
      // Reservoir sampling: every value seen so far is kept with equal chance.
      slot = size_t(rng_() % s.seen);
      if (slot >= maxSamples_) continue;
    } else {
      s.values.push_back(0);
      s.channels.push_back(0);
    }
    s.values[slot] = data[i];
    s.channels[slot] = c;
  }
}

const std::vector<float>* RangeCalibrator::channelMax(const std::string& tensor) const {
  auto it = samples_.find(tensor);
  return it == samples_.end() || it->second.channelMax.empty() ? nullptr : &it->second.channelMax;
}

std::vector<std::string> RangeCalibrator::tensorNames() const {
  std::vector<std::string> names;
  for (const auto& kv : samples_) names.push_back(kv.first);
  return names;
}

size_t RangeCalibrator::seen(const std::string& tensor) const {
  auto it = samples_.find(tensor);
  return it == samples_.end() ? 0 : it->second.seen;
}

void RangeCalibrator::observeMeans(const std::string& tensor, const float* data, size_t n,
                                   int channels) {
  auto& [sums, rows] = sums_[tensor];
  sums.resize(size_t(channels), 0.0);
  for (size_t r = 0; r < n / size_t(channels); ++r)
    for (int c = 0; c < channels; ++c) sums[size_t(c)] += data[r * channels + c];
  rows += n / size_t(channels);
  means_.erase(tensor);
}

const std::vector<double>* RangeCalibrator::channelMeans(const std::string& tensor) const {
  auto it = sums_.find(tensor);
  if (it == sums_.end() || it->second.second == 0) return nullptr;
  auto& m = means_[tensor];
  if (m.empty())
    for (double s : it->second.first) m.push_back(s / double(it->second.second));
  return &m;
}

const char* methodName(RangeCalibrator::Method m) {
  switch (m) {
    case RangeCalibrator::Method::kPercentile:
      return "percentile";
    case RangeCalibrator::Method::kLeastError:
      return "mse";
    case RangeCalibrator::Method::kMax:
      return "max";
    case RangeCalibrator::Method::kLeastErrorMaxOut:
      return "mse-maxout";
  }
  return "?";
}

namespace {

float chooseClip(const std::vector<float>& values, RangeCalibrator::Method method,
                 bool nonNegative) {
  std::vector<float> mags;
  mags.reserve(values.size());
  for (float v : values) mags.push_back(nonNegative ? std::max(v, 0.0f) : std::fabs(v));
  std::sort(mags.begin(), mags.end());
  const float maxMag = std::max(mags.back(), 1e-6f);
  float clip = maxMag;
  if (method == RangeCalibrator::Method::kPercentile) {
    clip = mags[size_t(0.9999 * double(mags.size() - 1))];
  } else if (method == RangeCalibrator::Method::kLeastError ||
             method == RangeCalibrator::Method::kLeastErrorMaxOut) {
    double best = 1e300;
    for (int k = 100; k >= 10; --k) {
      const float c = maxMag * float(k) / 100.0f;
      double e = clipError(values, c, nonNegative);
      if (e < best) best = e, clip = c;
    }
  }
  return std::max(clip, 1e-6f);
}

}  // namespace

TensorQuant RangeCalibrator::choose(const std::string& tensor, Method method, bool nonNegative,
                                    bool perChannel) const {
  auto it = samples_.find(tensor);
  if (it == samples_.end() || it->second.values.empty())
    throw std::runtime_error("calibration saw no values of tensor '" + tensor + "'");
  const Samples& s = it->second;
  const float levels = nonNegative ? 255.0f : 127.0f;
  TensorQuant q;
  q.scale = chooseClip(s.values, method, nonNegative) / levels;
  q.zeroPoint = nonNegative ? -128 : 0;
  if (perChannel && !s.channelMax.empty()) {
    // Each channel stretched to the widest one's range, then one clip for all.
    const float widest =
        std::max(*std::max_element(s.channelMax.begin(), s.channelMax.end()), 1e-6f);
    for (float m : s.channelMax) q.channel.push_back(std::max(m / widest, 1.0f / 64.0f));
    std::vector<float> normalised(s.values.size());
    for (size_t i = 0; i < s.values.size(); ++i)
      normalised[i] = s.values[i] / q.channel[s.channels[i]];
    q.outScale = chooseClip(normalised, method, nonNegative) / levels;
  }
  return q;
}

}  // namespace hoshi::quant
