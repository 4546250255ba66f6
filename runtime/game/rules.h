#pragma once

// Rules of the game as a plain value, with KataGo's fields, preset names and
// text forms (kata-get-rules JSON, kata-set-rules strings, kgs-rules names).

#include <string>

namespace hoshi {

enum class KoRule : uint8_t { kSimple, kPositional, kSituational, kSpight };
enum class ScoringRule : uint8_t { kArea, kTerritory };
// What a group pays for its eyes at the end: nothing, seki eyes, or two points per group.
enum class TaxRule : uint8_t { kNone, kSeki, kAll };
// Extra points white gets per handicap stone: none, N, or N-1.
enum class WhiteHandicapBonus : uint8_t { kZero, kN, kNMinusOne };

struct Rules {
  KoRule ko = KoRule::kPositional;
  ScoringRule scoring = ScoringRule::kArea;
  TaxRule tax = TaxRule::kNone;
  bool multiStoneSuicideLegal = true;
  bool hasButton = false;
  WhiteHandicapBonus whiteHandicapBonus = WhiteHandicapBonus::kZero;
  // Informational (area scoring): passing with dead stones still on the board is fine.
  bool friendlyPassOk = false;
  float komi = 7.5f;

  static constexpr float kMinUserKomi = -400.0f;
  static constexpr float kMaxUserKomi = 400.0f;

  // KataGo's presets: Tromp-Taylor (also the default) and simple territory.
  static Rules trompTaylor() { return Rules(); }
  static Rules simpleTerritory();

  // A preset name ("japanese", "chinese-ogs", "aga-button", "tromp-taylor",
  // ... with KataGo's aliases), a JSON object ({"ko":"SIMPLE",...}) or
  // KataGo's short form ("koPOSITIONALscoreAREAtaxNONEsui1komi7.5").
  // Throws std::invalid_argument naming the text that failed.
  static Rules parse(const std::string& text);
  static bool tryParse(const std::string& text, Rules& out, std::string* error = nullptr);
  // Same, but komi may not appear in the text and is set to `komi` (kata-set-rules).
  static Rules parseWithoutKomi(const std::string& text, float komi);
  // kgs-rules names: chinese, aga, new_zealand, japanese. Throws std::invalid_argument.
  static Rules parseKgs(const std::string& name, float komi);
  // kata-set-rule KEY VALUE: one field changed. Throws std::invalid_argument.
  Rules withSetting(const std::string& key, const std::string& value) const;

  // Exactly KataGo's JSON, keys sorted, e.g. kata-get-rules (no komi):
  // {"friendlyPassOk":false,"hasButton":false,"ko":"POSITIONAL","scoring":"AREA",
  //  "suicide":true,"tax":"NONE","whiteHandicapBonus":"0"}
  std::string toJson(bool withKomi = false) const;
  // KataGo's short form, e.g. "koSIMPLEscoreTERRITORYtaxSEKIsui0komi6.5".
  std::string toShortString(bool withKomi = true) const;
  // "Japanese", "Chinese", "TrompTaylor", ... when a preset matches, else the short form.
  std::string niceName() const;

  bool equalsIgnoringKomi(const Rules& o) const;
  bool operator==(const Rules& o) const { return equalsIgnoringKomi(o) && komi == o.komi; }
  bool operator!=(const Rules& o) const { return !(*this == o); }
  static bool komiIsIntOrHalfInt(float komi);
  // Integer komi without button, or half-integer komi with button: draws are possible.
  bool gameResultWillBeInteger() const;
};

std::string toString(KoRule r);
std::string toString(ScoringRule r);
std::string toString(TaxRule r);
std::string toString(WhiteHandicapBonus r);

}  // namespace hoshi
