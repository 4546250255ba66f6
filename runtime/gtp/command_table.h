#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace hoshi {
class Engine;
namespace config {
class OptionSet;
}
}  // namespace hoshi

namespace hoshi::gtp {

class CommandTable;
class Sink;

// What a handler answers: success text or an error message (without the
// leading '='/'?', the id or the closing blank line).
struct Reply {
  bool ok = true;
  std::string text;
  // The handler wrote its whole response to ctx.sink itself (streaming
  // analysis); the session writes nothing more.
  bool alreadySent = false;
};
inline Reply success(std::string text = "") {
  return Reply{true, std::move(text)};
}
inline Reply failure(std::string text) {
  return Reply{false, std::move(text)};
}

using Args = std::vector<std::string>;

// Everything a handler may touch. Handlers own no state of their own.
struct CommandContext {
  Engine& engine;
  config::OptionSet& options;
  const CommandTable& table;
  std::ostream& log;  // diagnostics for humans (stderr), never protocol output
  bool quitRequested = false;
  // Where this command's response goes, for handlers that stream (analysis).
  Sink* sink = nullptr;
  std::string id;  // this command's id ("" when none), for streamed responses
  // How to end what a command left running in the engine's background
  // search (analysis, kata-search_cancellable) and close its response; the
  // session calls it, once, before the next command and when it ends, then
  // stops any other background search (pondering) with Engine::stopAndWait.
  std::function<void()> stopBackground;
  // A front end over TCP or serial: commands that touch the file system
  // (loadsgf FILE, printsgf FILE) only reach gtpFileAccessDir, if set.
  bool remote = false;
};

using Handler = std::function<Reply(CommandContext&, const Args&)>;

// Command name -> handler. Each commands_*.cpp registers its group.
class CommandTable {
 public:
  void add(const std::string& name, Handler handler) { handlers_[name] = std::move(handler); }
  const Handler* find(const std::string& name) const {
    auto it = handlers_.find(name);
    return it == handlers_.end() ? nullptr : &it->second;
  }
  // Sorted, one per entry.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, handler] : handlers_) out.push_back(name);
    return out;
  }

 private:
  std::map<std::string, Handler> handlers_;
};

// Registration of each group (commands_<group>.cpp).
void registerCoreCommands(CommandTable& table);
void registerGameCommands(CommandTable& table);
void registerSgfCommands(CommandTable& table);
void registerTimeCommands(CommandTable& table);
void registerKataCommands(CommandTable& table);
// KataGo's other extensions front ends send (get_komi, set_position, ...).
void registerDropinCommands(CommandTable& table);
// Network commands (kata-raw-nn ...), owned by the nn side of the team.
void registerNnCommands(CommandTable& table);
// Analysis (kata-analyze, lz-analyze, *-genmove_analyze, stop).
void registerAnalysisCommands(CommandTable& table);

// The complete table.
CommandTable buildCommandTable();

}  // namespace hoshi::gtp
