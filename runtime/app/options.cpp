#include "app/options.h"

#include "analysis/options.h"
#include "gtp/options.h"
#include "nn/options.h"
#include "search/search_params.h"

namespace hoshi::app {

const config::OptionRegistry& programOptions() {
  static const config::OptionRegistry registry = [] {
    config::OptionRegistry r;
    search::declareSearchOptions(r);
    nn::declareNetworkOptions(r);
    gtp::declareGtpOptions(r);
    analysis::declareAnalysisOptions(r);
    return r;
  }();
  return registry;
}

}  // namespace hoshi::app
