#include "gtp/transport_stdio.h"

#include <string>

namespace hoshi::gtp {
namespace {

class StreamSink : public Sink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void write(const std::string& response) override { out_ << response << std::flush; }

 private:
  std::ostream& out_;
};

}  // namespace

int runStream(Session& session, std::istream& in, std::ostream& out) {
  StreamSink sink(out);
  for (std::string line; !session.quitRequested() && std::getline(in, line);) {
    session.processLine(line, sink);
  }
  return 0;
}

}  // namespace hoshi::gtp
