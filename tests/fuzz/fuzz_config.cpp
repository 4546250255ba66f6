// libFuzzer target: the config reader (runtime/config). The input is read as
// a config file held in memory (loadConfigText: `@include` is refused there,
// so nothing is opened), then as a -override-config string; what was read
// must give rules and search parameters or a clear refusal.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/options.h"
#include "config/config_file.h"
#include "config/options.h"
#include "fuzz_common.h"
#include "search/engine.h"
#include "search/search_params.h"

using namespace hoshi;
using fuzz::refused;

namespace {

void useParams(const config::OptionSet& options) {
  const config::Params& params = options.params();
  refused([&] { Engine::rulesFromParams(params); });
  refused([&] { search::searchParamsFrom(params); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    config::OptionSet options{hoshi::app::programOptions()};
    std::vector<std::string> warnings;
    refused([&] { config::loadConfigText(options, text, "fuzz.cfg", warnings); });
    useParams(options);
  }
  {
    config::OptionSet options{hoshi::app::programOptions()};
    refused([&] { config::applyOverrides(options, text); });
    useParams(options);
  }
  return 0;
}
