// SGF syntax: collection, game trees, nodes, properties.

#include "game/sgf.h"

#include <cctype>

namespace hoshi::sgf {

namespace {

// Nesting deeper than this is refused rather than risking the stack.
constexpr int kMaxDepth = 2000;

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  std::vector<GameTree> collection() {
    std::vector<GameTree> trees;
    while (true) {
      // Text before, between and after trees (mail headers, notes) is not SGF.
      while (pos_ < s_.size() && s_[pos_] != '(') advance();
      if (pos_ >= s_.size()) break;
      trees.push_back(tree(0));
    }
    if (trees.empty()) fail("no game tree found (expected '(')");
    return trees;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw SgfError("SGF error at line " + std::to_string(line_) + ", column " +
                   std::to_string(col_) + ": " + what);
  }
  void advance() {
    if (s_[pos_] == '\n') {
      line_++;
      col_ = 1;
    } else {
      col_++;
    }
    pos_++;
  }
  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) advance();
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  GameTree tree(int depth) {
    if (depth > kMaxDepth) fail("variations nested too deeply");
    advance();  // '('
    GameTree t;
    skipSpace();
    while (peek() == ';') {
      t.sequence.push_back(node());
      skipSpace();
    }
    if (t.sequence.empty()) fail("game tree without nodes (expected ';')");
    while (peek() == '(') {
      t.variations.push_back(tree(depth + 1));
      skipSpace();
    }
    if (pos_ >= s_.size()) fail("unexpected end of file: missing ')'");
    if (peek() != ')') fail(std::string("unexpected character '") + peek() + "'");
    advance();
    return t;
  }

  Node node() {
    advance();  // ';'
    Node n;
    skipSpace();
    while (std::isalpha(static_cast<unsigned char>(peek()))) {
      Property p;
      while (std::isalpha(static_cast<unsigned char>(peek()))) {
        if (std::isupper(static_cast<unsigned char>(peek()))) p.id += peek();
        advance();
      }
      if (p.id.empty()) fail("property name without capital letters");
      skipSpace();
      if (peek() != '[') fail("property " + p.id + " has no value");
      while (peek() == '[') {
        p.values.push_back(value());
        skipSpace();
      }
      n.props.push_back(std::move(p));
    }
    return n;
  }

  std::string value() {
    advance();  // '['
    std::string v;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated property value (missing ']')");
      char c = s_[pos_];
      if (c == ']') break;
      if (c == '\\') {
        advance();
        if (pos_ >= s_.size()) fail("unterminated property value (missing ']')");
        c = s_[pos_];
        // An escaped line break is a soft break: it disappears.
        if (c == '\n' || c == '\r') {
          char first = c;
          advance();
          if (pos_ < s_.size() && (s_[pos_] == '\n' || s_[pos_] == '\r') && s_[pos_] != first)
            advance();
          continue;
        }
      }
      v += c;
      advance();
    }
    advance();  // ']'
    return v;
  }

  const std::string& s_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

const Property* Node::find(const std::string& id) const {
  for (const Property& p : props)
    if (p.id == id) return &p;
  return nullptr;
}

std::vector<GameTree> parseCollection(const std::string& text) {
  return Parser(text).collection();
}

std::string escapeValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace hoshi::sgf
