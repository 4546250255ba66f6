#include "app/cli.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <utility>

namespace hoshi::app {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, sep);) out.push_back(item);
  return out;
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

Cli::Cli(std::string command, std::string synopsis)
    : command_(std::move(command)), synopsis_(std::move(synopsis)) {}

Cli& Cli::about(const std::string& text) {
  about_ += text;
  return *this;
}

Cli& Cli::section(const std::string& title) {
  sections_.emplace_back(options_.size(), title);
  return *this;
}

Cli& Cli::add(const std::string& names, const std::string& meta, const std::string& help,
              std::function<std::string(const std::string&)> take) {
  Option o;
  o.names = split(names, '|');
  o.meta = meta;
  o.help = help;
  o.take = std::move(take);
  options_.push_back(std::move(o));
  return *this;
}

Cli& Cli::flag(const std::string& names, bool* out, const std::string& help) {
  add(names, "", help, [out](const std::string&) {
    *out = true;
    return std::string();
  });
  options_.back().takesValue = false;
  return *this;
}

Cli& Cli::text(const std::string& names, std::string* out, const std::string& meta,
               const std::string& help) {
  return add(names, meta, help, [out](const std::string& v) {
    *out = v;
    return std::string();
  });
}

Cli& Cli::choice(const std::string& names, std::string* out,
                 const std::vector<std::string>& choices, const std::string& help) {
  std::string meta;
  for (const std::string& c : choices) meta += (meta.empty() ? "" : "|") + c;
  return add(names, meta, help, [out, choices, meta](const std::string& v) {
    for (const std::string& c : choices)
      if (v == c) return (*out = v, std::string());
    return "must be one of " + meta;
  });
}

Cli& Cli::integer(const std::string& names, int* out, int lo, int hi, const std::string& help) {
  return add(names, "N", help, [out, lo, hi](const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || x < lo || x > hi)
      return "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi);
    *out = int(x);
    return std::string();
  });
}

Cli& Cli::number(const std::string& names, double* out, double lo, double hi,
                 const std::string& help) {
  return add(names, "X", help, [out, lo, hi](const std::string& v) {
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end || !(x >= lo && x <= hi))
      return "must be a number " + fmt(lo) + ".." + fmt(hi);
    *out = x;
    return std::string();
  });
}

Cli& Cli::seed(const std::string& names, uint64_t* out, const std::string& help) {
  return add(names, "S", help, [out](const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || v[0] == '-')
      return std::string("must be an unsigned integer");
    *out = uint64_t(x);
    return std::string();
  });
}

Cli& Cli::repeated(const std::string& names, std::vector<std::string>* out, const std::string& meta,
                   const std::string& help) {
  return add(names, meta, help, [out](const std::string& v) {
    out->push_back(v);
    return std::string();
  });
}

Cli& Cli::paths(const std::string& names, std::vector<std::string>* out, const std::string& meta,
                const std::string& help) {
  add(names, meta + "...", help, [out](const std::string& v) {
    out->push_back(v);
    return std::string();
  });
  options_.back().many = true;
  return *this;
}

Cli& Cli::list(const std::string& names, const std::string& meta, const std::string& help,
               std::function<bool(const std::vector<std::string>&)> parse) {
  return add(names, meta, help, [parse, meta](const std::string& v) {
    std::vector<std::string> items;
    for (const std::string& s : split(v, ','))
      if (!s.empty()) items.push_back(s);
    return parse(items) ? std::string() : "must be " + meta;
  });
}

Cli& Cli::positional(std::string* out) {
  positional_ = out;
  return *this;
}

const Cli::Option* Cli::find(const std::string& arg) const {
  if (arg.size() < 2 || arg[0] != '-') return nullptr;
  const std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
  for (const Option& o : options_)
    for (const std::string& n : o.names)
      if (n == name) return &o;
  return nullptr;
}

Cli::Result Cli::parse(int argc, char** argv) {
  for (int i = 0; i < argc; ++i)
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h" ||
        std::string(argv[i]) == "-help") {
      std::fputs(usage().c_str(), stdout);
      return Result::kHelp;
    }
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    const Option* o = find(arg);
    if (!o) {
      if (positional_ && positional_->empty() && !arg.empty() && arg[0] != '-') {
        *positional_ = arg;
        continue;
      }
      fail((arg.empty() || arg[0] != '-' ? "unexpected argument '" : "unknown option '") + arg +
           "'");
      return Result::kError;
    }
    if (!o->takesValue) {
      o->take("");
      continue;
    }
    if (o->many) {
      bool any = false;
      while (i + 1 < argc && argv[i + 1][0] != '-') o->take(argv[++i]), any = true;
      if (!any) return fail("'" + arg + "' needs a value"), Result::kError;
      continue;
    }
    if (i + 1 >= argc) return fail("'" + arg + "' needs a value"), Result::kError;
    const std::string why = o->take(argv[++i]);
    if (!why.empty()) return fail("bad " + arg + " '" + argv[i] + "': " + why), Result::kError;
  }
  return Result::kRun;
}

std::string Cli::usage() const {
  std::string out = "usage: " + command_ + " " + synopsis_ + "\n" + about_;
  size_t s = 0;
  for (size_t i = 0; i < options_.size(); ++i) {
    for (; s < sections_.size() && sections_[s].first == i; ++s) out += sections_[s].second + "\n";
    const Option& o = options_[i];
    std::string head = "  ";
    for (size_t k = 0; k < o.names.size(); ++k) head += (k ? ", -" : "-") + o.names[k];
    if (!o.meta.empty()) head += " " + o.meta;
    std::vector<std::string> lines = split(o.help, '\n');
    if (head.size() >= 21) {
      out += head + "\n";
      head.clear();
    }
    for (size_t k = 0; k < lines.size(); ++k) {
      out += (k == 0 && !head.empty() ? head + std::string(21 - head.size(), ' ')
                                      : std::string(21, ' ')) +
             lines[k] + "\n";
    }
  }
  for (; s < sections_.size(); ++s) out += sections_[s].second + "\n";
  return out;
}

int Cli::parseOrExit(int argc, char** argv) {
  switch (parse(argc, argv)) {
    case Result::kHelp:
      return 0;
    case Result::kError:
      return 2;
    case Result::kRun:
      break;
  }
  return -1;
}

int Cli::guard(const std::function<int()>& run) const {
  try {
    return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", command_.c_str(), e.what());
    return 1;
  }
}

int Cli::fail(const std::string& why) const {
  std::fprintf(stderr, "%s: %s\n%s", command_.c_str(), why.c_str(), usage().c_str());
  return 2;
}

}  // namespace hoshi::app
