#pragma once

// The one command-line parser of the subcommands: each option is declared
// once (its names, its value and the range it takes, its help) and serves
// parsing, the error for a bad value and `--help`. Every option is taken as
// -name and --name; a value is the next argument.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hoshi::app {

class Cli {
 public:
  // command: "hoshi quantize"; synopsis: what follows it on the usage line.
  Cli(std::string command, std::string synopsis);

  // Free text under the usage line, and headings between options.
  Cli& about(const std::string& text);
  Cli& section(const std::string& title);

  // names: "model" or "t|threads" (the first is shown first).
  Cli& flag(const std::string& names, bool* out, const std::string& help);
  Cli& text(const std::string& names, std::string* out, const std::string& meta,
            const std::string& help);
  Cli& choice(const std::string& names, std::string* out, const std::vector<std::string>& choices,
              const std::string& help);
  Cli& integer(const std::string& names, int* out, int lo, int hi, const std::string& help);
  Cli& number(const std::string& names, double* out, double lo, double hi, const std::string& help);
  Cli& seed(const std::string& names, uint64_t* out, const std::string& help);
  // One value per occurrence, each appended (-override-config a=1 -override-config b=2).
  Cli& repeated(const std::string& names, std::vector<std::string>* out, const std::string& meta,
                const std::string& help);
  // Every following argument up to the next option (one starting with '-').
  Cli& paths(const std::string& names, std::vector<std::string>* out, const std::string& meta,
             const std::string& help);
  // Comma-separated items, each checked by parse (false: refused).
  Cli& list(const std::string& names, const std::string& meta, const std::string& help,
            std::function<bool(const std::vector<std::string>&)> parse);
  // Any other value: take returns the reason it is refused, empty when taken.
  Cli& custom(const std::string& names, const std::string& meta, const std::string& help,
              std::function<std::string(const std::string&)> take) {
    return add(names, meta, help, std::move(take));
  }
  // An argument that is not an option (at most one).
  Cli& positional(std::string* out);

  enum class Result { kRun, kHelp, kError };
  // --help, -help or -h: the usage on stdout (kHelp). A bad command line: the reason
  // and the usage on stderr (kError).
  Result parse(int argc, char** argv);
  std::string usage() const;
  // parse as an exit code: -1 to go on, 0 after --help, 2 after an error.
  int parseOrExit(int argc, char** argv);
  // A check after parse failed: the reason and the usage on stderr; returns 2.
  int fail(const std::string& why) const;
  // Runs the command: an exception becomes "COMMAND: what" on stderr, exit 1.
  int guard(const std::function<int()>& run) const;

 private:
  struct Option {
    std::vector<std::string> names;
    std::string meta, help;
    bool takesValue = true, many = false;
    // Returns the reason a value is refused, empty when taken.
    std::function<std::string(const std::string&)> take;
  };
  Cli& add(const std::string& names, const std::string& meta, const std::string& help,
           std::function<std::string(const std::string&)> take);
  const Option* find(const std::string& arg) const;

  std::string command_, synopsis_, about_;
  std::vector<Option> options_;
  std::vector<std::pair<size_t, std::string>> sections_;  // before option i
  std::string* positional_ = nullptr;
};

}  // namespace hoshi::app
