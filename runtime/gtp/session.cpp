#include "gtp/session.h"

#include <cctype>
#include <sstream>

#include "search/engine.h"

namespace hoshi::gtp {

CommandTable buildCommandTable() {
  CommandTable table;
  registerCoreCommands(table);
  registerGameCommands(table);
  registerSgfCommands(table);
  registerTimeCommands(table);
  registerKataCommands(table);
  registerDropinCommands(table);
  registerNnCommands(table);
  registerAnalysisCommands(table);
  return table;
}

std::string cleanLine(const std::string& line) {
  std::string out;
  for (char ch : line) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '#') break;
    if (c == '\t') {
      out += ' ';
    } else if (c >= 32 && c != 127) {
      out += ch;
    }
  }
  size_t b = out.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  size_t e = out.find_last_not_of(' ');
  return out.substr(b, e - b + 1);
}

namespace {

// A blank line would end the response early, so multi-line answers are
// folded to keep every line non-empty.
std::string withoutBlankLines(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (out.empty() || out.back() == '\n')) continue;
    out += text[i];
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// "= text", or "= " alone for an empty answer, as GNU Go and KataGo write it.
// A multi-line answer (showboard) starts on the line after the "= ".
std::string format(const std::string& id, const Reply& reply) {
  std::string text = withoutBlankLines(reply.text);
  std::string head = (reply.ok ? "=" : "?") + id + " ";
  if (!reply.text.empty() && reply.text.front() == '\n') return head + "\n" + text + "\n\n";
  return head + text + "\n\n";
}

void writeResponse(Sink& sink, const std::string& response, bool logAll, std::ostream& log) {
  if (logAll) log << "GTP > " << response.substr(0, response.size() - 2) << std::endl;
  sink.write(response);
}

}  // namespace

Session::Session(Engine& engine, config::OptionSet& options, std::ostream& log, bool remote)
    : table_(buildCommandTable()), context_{engine,  options, table_, log,   false,
                                            nullptr, {},      {},     remote} {}

Session::~Session() {
  stopBackground();
}

void Session::stopBackground() {
  if (context_.stopBackground) {
    auto stop = std::move(context_.stopBackground);
    context_.stopBackground = nullptr;
    stop();
  }
  // Pondering, which genmove started in the engine.
  context_.engine.stopAndWait();
}

void Session::processLine(const std::string& line, Sink& sink) {
  std::string clean = cleanLine(line);
  if (clean.empty()) {
    // Any line, even an empty one, ends a running analysis or cancellable
    // search, as in KataGo.
    stopBackground();
    return;
  }
  const bool logAll = context_.engine.params().logAllGTPCommunication;
  if (logAll) context_.log << "GTP < " << clean << std::endl;
  std::istringstream in(clean);
  std::string first;
  in >> first;
  std::string id;
  std::string name = first;
  bool numeric = !first.empty();
  for (char c : first) numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
  if (numeric) {
    id = first;
    name.clear();
    in >> name;
  }
  Args args;
  for (std::string a; in >> a;) args.push_back(a);
  stopBackground();  // any new command ends a running analysis or ponder
  context_.sink = &sink;
  context_.id = id;
  const Handler* handler = table_.find(name);
  Reply reply;
  if (!handler) {
    reply = failure("unknown command");
  } else {
    try {
      reply = (*handler)(context_, args);
    } catch (const std::exception& e) {
      // A handler bug must not kill the conversation.
      reply = failure(std::string("internal error: ") + e.what());
    }
  }
  if (!reply.alreadySent) writeResponse(sink, format(id, reply), logAll, context_.log);
}

}  // namespace hoshi::gtp
