#include "game/rules.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace hoshi {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) a++;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) b--;
  return s.substr(a, b - a);
}

[[noreturn]] void fail(const std::string& msg) {
  throw std::invalid_argument(msg);
}

KoRule parseKo(const std::string& s) {
  if (s == "SIMPLE") return KoRule::kSimple;
  if (s == "POSITIONAL") return KoRule::kPositional;
  if (s == "SITUATIONAL") return KoRule::kSituational;
  if (s == "SPIGHT") return KoRule::kSpight;
  fail("invalid ko rule: " + s);
}
ScoringRule parseScoring(const std::string& s) {
  if (s == "AREA") return ScoringRule::kArea;
  if (s == "TERRITORY") return ScoringRule::kTerritory;
  fail("invalid scoring rule: " + s);
}
TaxRule parseTax(const std::string& s) {
  if (s == "NONE") return TaxRule::kNone;
  if (s == "SEKI") return TaxRule::kSeki;
  if (s == "ALL") return TaxRule::kAll;
  fail("invalid tax rule: " + s);
}
WhiteHandicapBonus parseWhb(const std::string& s) {
  if (s == "0") return WhiteHandicapBonus::kZero;
  if (s == "N") return WhiteHandicapBonus::kN;
  if (s == "N-1") return WhiteHandicapBonus::kNMinusOne;
  fail("invalid whiteHandicapBonus rule: " + s);
}
bool parseBool(const std::string& s) {
  std::string t = lower(s);
  if (t == "true" || t == "1" || t == "yes" || t == "t" || t == "y") return true;
  if (t == "false" || t == "0" || t == "no" || t == "f" || t == "n") return false;
  fail("invalid boolean: " + s);
}

struct Preset {
  const char* names;  // '|'-separated aliases, lower case.
  Rules rules;
};

Rules make(KoRule ko, ScoringRule sc, TaxRule tax, bool sui, bool button, WhiteHandicapBonus whb,
           bool fpok, float komi) {
  Rules r;
  r.ko = ko;
  r.scoring = sc;
  r.tax = tax;
  r.multiStoneSuicideLegal = sui;
  r.hasButton = button;
  r.whiteHandicapBonus = whb;
  r.friendlyPassOk = fpok;
  r.komi = komi;
  return r;
}

const std::vector<Preset>& presets() {
  using K = KoRule;
  using S = ScoringRule;
  using T = TaxRule;
  using W = WhiteHandicapBonus;
  static const std::vector<Preset> kPresets = {
      {"japanese|korean",
       make(K::kSimple, S::kTerritory, T::kSeki, false, false, W::kZero, false, 6.5f)},
      {"chinese", make(K::kSimple, S::kArea, T::kNone, false, false, W::kN, true, 7.5f)},
      {"chineseogs|chinese_ogs|chinese-ogs|chinesekgs|chinese_kgs|chinese-kgs",
       make(K::kPositional, S::kArea, T::kNone, false, false, W::kN, true, 7.5f)},
      {"ancientarea|ancient-area|ancient_area|ancient area|stonescoring|stone-scoring|"
       "stone_scoring|stone scoring",
       make(K::kSimple, S::kArea, T::kAll, false, false, W::kZero, true, 7.5f)},
      {"ancientterritory|ancient-territory|ancient_territory|ancient territory",
       make(K::kSimple, S::kTerritory, T::kAll, false, false, W::kZero, false, 6.5f)},
      {"agabutton|aga-button|aga_button|aga button",
       make(K::kSituational, S::kArea, T::kNone, false, true, W::kNMinusOne, true, 7.0f)},
      {"aga|bga|french",
       make(K::kSituational, S::kArea, T::kNone, false, false, W::kNMinusOne, true, 7.5f)},
      {"nz|newzealand|new zealand|new-zealand|new_zealand",
       make(K::kSituational, S::kArea, T::kNone, true, false, W::kZero, true, 7.0f)},
      {"tromp-taylor|tromp_taylor|tromp taylor|tromptaylor",
       make(K::kPositional, S::kArea, T::kNone, true, false, W::kZero, false, 7.5f)},
      {"goe|ing", make(K::kPositional, S::kArea, T::kNone, true, false, W::kZero, true, 7.5f)},
  };
  return kPresets;
}

bool findPreset(const std::string& name, Rules& out) {
  std::string key = lower(trim(name));
  for (const Preset& p : presets()) {
    std::string names = p.names;
    size_t start = 0;
    while (start <= names.size()) {
      size_t bar = names.find('|', start);
      if (bar == std::string::npos) bar = names.size();
      if (names.compare(start, bar - start, key) == 0 && bar - start == key.size()) {
        out = p.rules;
        return true;
      }
      start = bar + 1;
    }
  }
  return false;
}

// After parsing a JSON or short form: tax and komi defaults depend on the scoring and button.
void applyDefaults(Rules& r, bool taxGiven, bool komiGiven) {
  if (!taxGiven) r.tax = r.scoring == ScoringRule::kTerritory ? TaxRule::kSeki : TaxRule::kNone;
  if (!komiGiven) {
    if (r.scoring == ScoringRule::kTerritory)
      r.komi = 6.5f;
    else if (r.hasButton)
      r.komi = 7.0f;
  }
}

}  // namespace

Rules Rules::simpleTerritory() {
  return make(KoRule::kSimple, ScoringRule::kTerritory, TaxRule::kSeki, false, false,
              WhiteHandicapBonus::kZero, false, 7.5f);
}

std::string toString(KoRule r) {
  switch (r) {
    case KoRule::kSimple:
      return "SIMPLE";
    case KoRule::kPositional:
      return "POSITIONAL";
    case KoRule::kSituational:
      return "SITUATIONAL";
    case KoRule::kSpight:
      return "SPIGHT";
  }
  return "UNKNOWN";
}
std::string toString(ScoringRule r) {
  return r == ScoringRule::kArea ? "AREA" : "TERRITORY";
}
std::string toString(TaxRule r) {
  switch (r) {
    case TaxRule::kNone:
      return "NONE";
    case TaxRule::kSeki:
      return "SEKI";
    case TaxRule::kAll:
      return "ALL";
  }
  return "UNKNOWN";
}
std::string toString(WhiteHandicapBonus r) {
  switch (r) {
    case WhiteHandicapBonus::kZero:
      return "0";
    case WhiteHandicapBonus::kN:
      return "N";
    case WhiteHandicapBonus::kNMinusOne:
      return "N-1";
  }
  return "UNKNOWN";
}

bool Rules::equalsIgnoringKomi(const Rules& o) const {
  return ko == o.ko && scoring == o.scoring && tax == o.tax &&
         multiStoneSuicideLegal == o.multiStoneSuicideLegal && hasButton == o.hasButton &&
         whiteHandicapBonus == o.whiteHandicapBonus && friendlyPassOk == o.friendlyPassOk;
}

bool Rules::komiIsIntOrHalfInt(float k) {
  return std::isfinite(k) && k * 2 == static_cast<float>(static_cast<int>(k * 2));
}

bool Rules::gameResultWillBeInteger() const {
  bool komiIsInteger = static_cast<float>(static_cast<int>(komi)) == komi;
  return komiIsInteger != hasButton;
}

namespace {

// A flat JSON object of strings, booleans and numbers: all the rules JSON needs.
class FlatJsonReader {
 public:
  explicit FlatJsonReader(const std::string& text) : s_(text) {}

  // Calls f(key, value, isString) for each member, in order.
  template <class F>
  void read(F&& f) {
    skipSpace();
    expect('{');
    skipSpace();
    if (peek() == '}') {
      pos_++;
      return finish();
    }
    while (true) {
      skipSpace();
      std::string key = readString();
      skipSpace();
      expect(':');
      skipSpace();
      bool isString = peek() == '"';
      std::string value = isString ? readString() : readBare();
      f(key, value, isString);
      skipSpace();
      if (peek() == ',') {
        pos_++;
        continue;
      }
      expect('}');
      return finish();
    }
  }

 private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) pos_++;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "' at offset " + std::to_string(pos_));
    pos_++;
  }
  void finish() {
    skipSpace();
    if (pos_ != s_.size()) fail("trailing text at offset " + std::to_string(pos_));
  }
  std::string readString() {
    expect('"');
    std::string out;
    while (peek() != '"') {
      if (pos_ >= s_.size()) fail("unterminated string");
      char c = s_[pos_++];
      if (c == '\\') {
        if (pos_ >= s_.size()) fail("unterminated string");
        c = s_[pos_++];
      }
      out += c;
    }
    pos_++;
    return out;
  }
  std::string readBare() {
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '.' || s_[pos_] == '-' || s_[pos_] == '+'))
      pos_++;
    if (start == pos_) fail("expected a value at offset " + std::to_string(pos_));
    return s_.substr(start, pos_ - start);
  }

  const std::string& s_;
  size_t pos_ = 0;
};

bool parseFloat(const std::string& s, float& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  out = static_cast<float>(v);
  return true;
}

Rules parseJsonRules(const std::string& text, bool allowKomi) {
  Rules r = Rules::trompTaylor();
  bool taxGiven = false, komiGiven = false;
  FlatJsonReader(text).read([&](const std::string& key, const std::string& v, bool isString) {
    auto needString = [&]() {
      if (!isString) fail("rules option " + key + " needs a string");
    };
    auto needBool = [&]() {
      if (isString || (v != "true" && v != "false"))
        fail("rules option " + key + " needs true/false");
      return v == "true";
    };
    if (key == "ko") {
      needString();
      r.ko = parseKo(v);
    } else if (key == "score" || key == "scoring") {
      needString();
      r.scoring = parseScoring(v);
    } else if (key == "tax") {
      needString();
      r.tax = parseTax(v);
      taxGiven = true;
    } else if (key == "suicide") {
      r.multiStoneSuicideLegal = needBool();
    } else if (key == "hasButton") {
      r.hasButton = needBool();
    } else if (key == "whiteHandicapBonus") {
      needString();
      r.whiteHandicapBonus = parseWhb(v);
    } else if (key == "friendlyPassOk") {
      r.friendlyPassOk = needBool();
    } else if (key == "komi" && allowKomi) {
      if (isString || !parseFloat(v, r.komi) || r.komi < Rules::kMinUserKomi ||
          r.komi > Rules::kMaxUserKomi || !Rules::komiIsIntOrHalfInt(r.komi))
        fail("komi value is not a half-integer or is too extreme: " + v);
      komiGiven = true;
    } else {
      fail("unknown rules option: " + key);
    }
  });
  applyDefaults(r, taxGiven, komiGiven);
  return r;
}

bool stripPrefix(std::string& s, const std::string& prefix) {
  bool matches = s.compare(0, prefix.size(), prefix) == 0;
  if (matches) s = s.substr(prefix.size());
  s = trim(s);
  return matches;
}

// KataGo's legacy short form: a run of keyVALUE pairs, e.g. "koSIMPLEscoreAREAsui1komi7.5".
Rules parseShortRules(const std::string& text, bool allowKomi) {
  Rules r = Rules::trompTaylor();
  std::string s = trim(text);
  if (s.empty()) fail("empty rules");
  bool taxGiven = false, komiGiven = false;
  auto oneOf = [&](std::initializer_list<const char*> words) -> std::string {
    for (const char* w : words)
      if (stripPrefix(s, w)) return w;
    fail("could not parse rules: " + text);
  };
  auto flag = [&]() { return oneOf({"1", "0"}) == std::string("1"); };
  while (!s.empty()) {
    if (stripPrefix(s, "komi")) {
      if (!allowKomi) fail("could not parse rules: " + text);
      size_t end = 0;
      while (end < s.size() && !std::isalpha(static_cast<unsigned char>(s[end])) &&
             !std::isspace(static_cast<unsigned char>(s[end])))
        end++;
      if (!parseFloat(s.substr(0, end), r.komi) || !std::isfinite(r.komi) ||
          std::fabs(r.komi) > 1e5f)
        fail("could not parse rules: " + text);
      komiGiven = true;
      s = trim(s.substr(end));
    } else if (stripPrefix(s, "ko")) {
      r.ko = parseKo(oneOf({"SIMPLE", "POSITIONAL", "SITUATIONAL", "SPIGHT"}));
    } else if (stripPrefix(s, "scoring") || stripPrefix(s, "score")) {
      r.scoring = parseScoring(oneOf({"AREA", "TERRITORY"}));
    } else if (stripPrefix(s, "tax")) {
      r.tax = parseTax(oneOf({"NONE", "SEKI", "ALL"}));
      taxGiven = true;
    } else if (stripPrefix(s, "sui")) {
      r.multiStoneSuicideLegal = flag();
    } else if (stripPrefix(s, "button")) {
      r.hasButton = flag();
    } else if (stripPrefix(s, "whb")) {
      r.whiteHandicapBonus = parseWhb(oneOf({"0", "N-1", "N"}));
    } else if (stripPrefix(s, "fpok")) {
      r.friendlyPassOk = flag();
    } else {
      fail("could not parse rules: " + text);
    }
  }
  applyDefaults(r, taxGiven, komiGiven);
  return r;
}

Rules parseAny(const std::string& text, bool allowKomi) {
  Rules r;
  if (findPreset(text, r)) return r;
  if (!text.empty() && text[0] == '{') return parseJsonRules(text, allowKomi);
  return parseShortRules(text, allowKomi);
}

std::string formatKomiJson(float komi) {
  char buf[32];
  // Komi is a multiple of 0.5; KataGo's JSON writer prints 7.0 as "7.0".
  std::snprintf(buf, sizeof(buf), "%.1f", static_cast<double>(komi));
  return buf;
}

}  // namespace

Rules Rules::parse(const std::string& text) {
  return parseAny(text, true);
}

bool Rules::tryParse(const std::string& text, Rules& out, std::string* error) {
  try {
    out = parse(text);
    return true;
  } catch (const std::invalid_argument& e) {
    if (error) *error = e.what();
    return false;
  }
}

Rules Rules::parseWithoutKomi(const std::string& text, float komi) {
  Rules r = parseAny(text, false);
  r.komi = komi;
  return r;
}

Rules Rules::parseKgs(const std::string& name, float komi) {
  std::string s = lower(trim(name));
  if (s == "chinese") return parseWithoutKomi("chinese-kgs", komi);
  if (s == "aga" || s == "new_zealand" || s == "japanese") return parseWithoutKomi(s, komi);
  fail("Unknown rules '" + s + "'");
}

Rules Rules::withSetting(const std::string& keyIn, const std::string& valueIn) const {
  Rules r = *this;
  std::string key = trim(keyIn), value = upper(trim(valueIn));
  if (key == "ko")
    r.ko = parseKo(value);
  else if (key == "score" || key == "scoring")
    r.scoring = parseScoring(value);
  else if (key == "tax")
    r.tax = parseTax(value);
  else if (key == "suicide")
    r.multiStoneSuicideLegal = parseBool(value);
  else if (key == "hasButton")
    r.hasButton = parseBool(value);
  else if (key == "whiteHandicapBonus")
    r.whiteHandicapBonus = parseWhb(value);
  else if (key == "friendlyPassOk")
    r.friendlyPassOk = parseBool(value);
  else
    fail("Unknown rules option: " + key);
  return r;
}

std::string Rules::toJson(bool withKomi) const {
  auto b = [](bool v) { return v ? "true" : "false"; };
  std::string out = "{\"friendlyPassOk\":" + std::string(b(friendlyPassOk)) +
                    ",\"hasButton\":" + b(hasButton) + ",\"ko\":\"" + toString(ko) + "\"";
  if (withKomi) out += ",\"komi\":" + formatKomiJson(komi);
  out += ",\"scoring\":\"" + toString(scoring) + "\",\"suicide\":" + b(multiStoneSuicideLegal) +
         ",\"tax\":\"" + toString(tax) + "\",\"whiteHandicapBonus\":\"" +
         toString(whiteHandicapBonus) + "\"}";
  return out;
}

std::string Rules::toShortString(bool withKomi) const {
  std::ostringstream out;
  out << "ko" << toString(ko) << "score" << toString(scoring) << "tax" << toString(tax) << "sui"
      << (multiStoneSuicideLegal ? 1 : 0);
  if (hasButton) out << "button1";
  if (whiteHandicapBonus != WhiteHandicapBonus::kZero) out << "whb" << toString(whiteHandicapBonus);
  if (friendlyPassOk) out << "fpok1";
  if (withKomi) out << "komi" << komi;
  return out.str();
}

std::string Rules::niceName() const {
  static const std::pair<const char*, const char*> kNames[] = {
      {"tromp-taylor", "TrompTaylor"}, {"japanese", "Japanese"}, {"chinese", "Chinese"},
      {"chinese-ogs", "Chinese-OGS"},  {"aga", "AGA"},           {"stone-scoring", "StoneScoring"},
      {"new-zealand", "NewZealand"},
  };
  for (const auto& [preset, nice] : kNames) {
    Rules r;
    findPreset(preset, r);
    if (equalsIgnoringKomi(r)) return nice;
  }
  return toShortString(false);
}

}  // namespace hoshi
