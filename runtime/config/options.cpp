#include "config/options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace hoshi::config {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool parseBool(std::string_view text, bool& out) {
  std::string s = lower(text);
  if (s == "true" || s == "1" || s == "yes") return out = true, true;
  if (s == "false" || s == "0" || s == "no") return out = false, true;
  return false;
}

bool parseDouble(std::string_view text, double& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out);
}

bool parseInt(std::string_view text, int64_t& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();
}

std::string formatDouble(double v) {
  std::ostringstream os;
  os.precision(15);
  os << v;
  return os.str();
}

std::string rangeText(const OptionSpec& d) {
  std::string hi = d.maxValue >= kNoLimit ? "..." : formatDouble(d.maxValue);
  return "[" + formatDouble(d.minValue) + ", " + hi + "]";
}

// Stores `value` into `params` per `decl`; returns an error text or "".
std::string assign(const OptionSpec& d, std::string_view value, Params& params) {
  std::string name(d.name);
  std::string shown = "'" + std::string(value) + "'";
  if (auto f = std::get_if<bool Params::*>(&d.field)) {
    bool v;
    if (!parseBool(value, v)) return name + ": expected true or false, got " + shown;
    params.** f = v;
  } else if (auto f = std::get_if<int64_t Params::*>(&d.field)) {
    int64_t v;
    if (!parseInt(value, v)) return name + ": expected an integer, got " + shown;
    if (v < d.minValue || v > d.maxValue)
      return name + ": " + shown + " is out of range " + rangeText(d);
    params.** f = v;
  } else if (auto f = std::get_if<double Params::*>(&d.field)) {
    double v;
    if (!parseDouble(value, v)) return name + ": expected a number, got " + shown;
    if (v < d.minValue || v > d.maxValue)
      return name + ": " + shown + " is out of range " + rangeText(d);
    params.** f = v;
  } else {
    std::string v(value);
    if (!d.choices.empty()) {
      bool found = false;
      for (std::string_view c : d.choices) {
        if (lower(c) == lower(v)) v = std::string(c), found = true;
      }
      if (!found) {
        std::string list;
        for (std::string_view c : d.choices) {
          if (!c.empty()) list += (list.empty() ? "" : ", ") + std::string(c);
        }
        return name + ": " + shown + " is not one of " + list;
      }
    }
    params.*std::get<std::string Params::*>(d.field) = v;
  }
  return "";
}

}  // namespace

OptionSpec boolOption(std::string_view name, bool Params::*field, std::string def,
                      std::string_view help, bool runtime) {
  return OptionSpec{name, field, std::move(def), 0, 1, {}, help, runtime};
}

OptionSpec intOption(std::string_view name, int64_t Params::*field, std::string def, double lo,
                     double hi, std::string_view help, bool runtime) {
  return OptionSpec{name, field, std::move(def), lo, hi, {}, help, runtime};
}

OptionSpec intOption(std::string_view name, int64_t Params::*field, int64_t def, double lo,
                     double hi, std::string_view help, bool runtime) {
  return intOption(name, field, std::to_string(def), lo, hi, help, runtime);
}

OptionSpec floatOption(std::string_view name, double Params::*field, std::string def, double lo,
                       double hi, std::string_view help, bool runtime) {
  return OptionSpec{name, field, std::move(def), lo, hi, {}, help, runtime};
}

OptionSpec floatOption(std::string_view name, double Params::*field, double def, double lo,
                       double hi, std::string_view help, bool runtime) {
  return floatOption(name, field, formatDouble(def), lo, hi, help, runtime);
}

OptionSpec stringOption(std::string_view name, std::string Params::*field, std::string def,
                        std::vector<std::string_view> choices, std::string_view help,
                        bool runtime) {
  return OptionSpec{name, field, std::move(def), 0, 0, std::move(choices), help, runtime};
}

std::string_view optionTypeName(const OptionSpec& d) {
  if (std::holds_alternative<bool Params::*>(d.field)) return "bool";
  if (std::holds_alternative<int64_t Params::*>(d.field)) return "int";
  if (std::holds_alternative<double Params::*>(d.field)) return "float";
  return "string";
}

void OptionRegistry::add(OptionSpec spec) {
  if (find(spec.name)) throw std::logic_error("option declared twice: " + std::string(spec.name));
  Params scratch;
  std::string err = assign(spec, spec.defaultValue, scratch);
  if (!err.empty()) throw std::logic_error("bad default for option " + err);
  specs_.push_back(std::move(spec));
}

void OptionRegistry::addAll(std::vector<OptionSpec> specs) {
  for (OptionSpec& spec : specs) add(std::move(spec));
}

const OptionSpec* OptionRegistry::find(std::string_view name) const {
  for (const OptionSpec& d : specs_) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string OptionRegistry::helpText() const {
  std::string out;
  for (const OptionSpec& d : specs_) {
    out += std::string(d.name) + " (" + std::string(optionTypeName(d)) + ", default '" +
           d.defaultValue + "'): " + std::string(d.help) + "\n";
  }
  return out;
}

Params OptionRegistry::defaults() const {
  Params p;
  for (const OptionSpec& d : specs_) assign(d, d.defaultValue, p);  // checked by add
  return p;
}

OptionSet::OptionSet(const OptionRegistry& registry)
    : registry_(&registry), params_(registry.defaults()) {}

void OptionSet::set(std::string_view name, std::string_view value, const std::string& origin) {
  const OptionSpec* d = registry_->find(name);
  if (!d) throw ConfigError("unknown option '" + std::string(name) + "'");
  Params next = params_;
  std::string err = assign(*d, value, next);
  if (!err.empty()) throw ConfigError(err);
  Params previous = params_;
  params_ = next;
  auto it = hooks_.find(std::string(name));
  if (it != hooks_.end()) {
    try {
      for (const Hook& hook : it->second) hook(params_);
    } catch (const std::exception& e) {
      params_ = previous;
      throw ConfigError(std::string(name) + ": " + e.what());
    }
  }
  origins_[std::string(name)] = origin;
}

std::string OptionSet::get(std::string_view name) const {
  const OptionSpec* d = registry_->find(name);
  if (!d) throw ConfigError("unknown option '" + std::string(name) + "'");
  if (auto f = std::get_if<bool Params::*>(&d->field)) return params_.**f ? "true" : "false";
  if (auto f = std::get_if<int64_t Params::*>(&d->field)) return std::to_string(params_.**f);
  if (auto f = std::get_if<double Params::*>(&d->field)) return formatDouble(params_.**f);
  return params_.*std::get<std::string Params::*>(d->field);
}

std::string OptionSet::origin(std::string_view name) const {
  auto it = origins_.find(std::string(name));
  return it == origins_.end() ? "default" : it->second;
}

void OptionSet::onChange(std::string_view name, Hook hook) {
  if (!registry_->find(name)) throw std::logic_error("hook on unknown option " + std::string(name));
  hooks_[std::string(name)].push_back(std::move(hook));
}

}  // namespace hoshi::config
