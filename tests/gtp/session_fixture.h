#pragma once

// One engine and GTP session for tests, with a fixed search seed; send()
// returns the raw response text.

#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/options.h"
#include "config/options.h"
#include "gtp/session.h"
#include "search/engine.h"

namespace hoshi::test {

class StringSink : public gtp::Sink {
 public:
  void write(const std::string& response) override { text += response; }
  std::string text;
};

struct SessionFixture {
  config::OptionSet options{hoshi::app::programOptions()};
  std::unique_ptr<Engine> engine;
  std::ostringstream log;
  std::unique_ptr<gtp::Session> session;

  explicit SessionFixture(const std::string& seed,
                          const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    options.set("searchRandSeed", seed, "test");
    for (const auto& [key, value] : extra) options.set(key, value, "test");
    engine = std::make_unique<Engine>(options.params());
    session = std::make_unique<gtp::Session>(*engine, options, log);
  }
  std::string send(const std::string& line) {
    StringSink sink;
    session->processLine(line, sink);
    return sink.text;
  }
};

}  // namespace hoshi::test
