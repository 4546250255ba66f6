#pragma once

// A small JSON reader for test data (golden records). Not for production use.

#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace hoshi::test {

struct Json {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject } type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // Strings; numbers keep their source text too.
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json& operator[](const std::string& key) const {
    for (const auto& [k, v] : members)
      if (k == key) return v;
    throw std::out_of_range("json: no member " + key);
  }
  bool has(const std::string& key) const {
    for (const auto& m : members)
      if (m.first == key) return true;
    return false;
  }
  const Json& operator[](size_t i) const { return items.at(i); }
  size_t size() const { return type == Type::kObject ? members.size() : items.size(); }

  static Json parse(const std::string& s) {
    size_t pos = 0;
    Json j = parseValue(s, pos);
    skip(s, pos);
    if (pos != s.size()) throw std::runtime_error("json: trailing text");
    return j;
  }

 private:
  static void skip(const std::string& s, size_t& p) {
    while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) p++;
  }
  static std::string parseString(const std::string& s, size_t& p) {
    if (s[p] != '"') throw std::runtime_error("json: expected string");
    p++;
    std::string out;
    while (p < s.size() && s[p] != '"') {
      char c = s[p++];
      if (c == '\\') {
        char e = s.at(p++);
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'u':
            out += '?';
            p += 4;
            break;
          default:
            out += e;
        }
      } else {
        out += c;
      }
    }
    p++;
    return out;
  }
  static Json parseValue(const std::string& s, size_t& p) {
    skip(s, p);
    Json j;
    if (p >= s.size()) throw std::runtime_error("json: unexpected end");
    char c = s[p];
    if (c == '{') {
      j.type = Type::kObject;
      p++;
      skip(s, p);
      if (s[p] == '}') return p++, j;
      while (true) {
        skip(s, p);
        std::string key = parseString(s, p);
        skip(s, p);
        if (s[p++] != ':') throw std::runtime_error("json: expected ':'");
        j.members.emplace_back(key, parseValue(s, p));
        skip(s, p);
        if (s[p] == ',') {
          p++;
          continue;
        }
        if (s[p++] != '}') throw std::runtime_error("json: expected '}'");
        return j;
      }
    }
    if (c == '[') {
      j.type = Type::kArray;
      p++;
      skip(s, p);
      if (s[p] == ']') return p++, j;
      while (true) {
        j.items.push_back(parseValue(s, p));
        skip(s, p);
        if (s[p] == ',') {
          p++;
          continue;
        }
        if (s[p++] != ']') throw std::runtime_error("json: expected ']'");
        return j;
      }
    }
    if (c == '"') {
      j.type = Type::kString;
      j.text = parseString(s, p);
      return j;
    }
    if (s.compare(p, 4, "true") == 0) {
      j.type = Type::kBool;
      j.boolean = true;
      p += 4;
      return j;
    }
    if (s.compare(p, 5, "false") == 0) {
      j.type = Type::kBool;
      p += 5;
      return j;
    }
    if (s.compare(p, 4, "null") == 0) {
      p += 4;
      return j;
    }
    size_t start = p;
    while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) || s[p] == '-' ||
                            s[p] == '+' || s[p] == '.' || s[p] == 'e' || s[p] == 'E'))
      p++;
    if (start == p) throw std::runtime_error("json: bad value");
    j.type = Type::kNumber;
    j.text = s.substr(start, p - start);
    j.number = std::strtod(j.text.c_str(), nullptr);
    return j;
  }
};

}  // namespace hoshi::test
