"""Bad queries get KataGo's error and warning lines, never a crash, and the
queries in flight are untouched: not JSON, not an object, no id, missing and
wrong-typed fields, an illegal move, a board size the engine cannot take, an
unknown field, an overlong line, and a flood beyond the queue limit."""

import json
import sys

from analysis_client import Engine, fail

GOOD = {"moves": [["B", "D4"], ["W", "Q16"]], "rules": "chinese", "komi": 7.5,
        "boardXSize": 19, "boardYSize": 19, "maxVisits": 4}


def q(qid, **changes):
    d = dict(GOOD, id=qid)
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


# (what is sent, the line expected back: fields that must match)
CASES = [
    ("not json at all", {"error": "could not parse input line as json request"}),
    ("[1,2,3]", {"error": "not an object"}),
    (json.dumps({"moves": []}), {"error": 'Request must have a string "id" field'}),
    (json.dumps(q(7)), {"error": 'Request must have a string "id" field'}),
    (q("no-moves", moves=None), {"id": "no-moves", "field": "moves", "error": "Must specify an array"}),
    (q("no-rules", rules=None), {"id": "no-rules", "field": "rules", "error": "Must specify rules"}),
    (q("no-size", boardXSize=None), {"id": "no-size", "field": "boardXSize", "error": "integer from 2 to 19"}),
    (q("str-size", boardXSize="19"), {"id": "str-size", "field": "boardXSize", "error": "integer from 2 to 19"}),
    (q("big", boardXSize=25, boardYSize=25), {"id": "big", "field": "boardXSize", "error": "integer from 2 to 19"}),
    (q("tiny", boardXSize=1), {"id": "tiny", "field": "boardXSize", "error": "integer from 2 to 19"}),
    (q("moves-type", moves="D4"), {"id": "moves-type", "field": "moves", "error": "Must be an array of pairs"}),
    (q("bad-vertex", moves=[["B", "Z99"]]), {"id": "bad-vertex", "field": "moves", "error": "Could not parse board location"}),
    (q("bad-player", moves=[["X", "D4"]]), {"id": "bad-player", "field": "moves", "error": "Could not parse player"}),
    (q("illegal", moves=[["B", "D4"], ["W", "D4"]]), {"id": "illegal", "field": "moves", "error": "Illegal move 1: D4"}),
    (q("komi", komi="7.5"), {"id": "komi", "field": "komi", "error": "half-integer"}),
    (q("komi-frac", komi=7.3), {"id": "komi-frac", "field": "komi", "error": "half-integer"}),
    (q("bad-rules", rules="nonsense"), {"id": "bad-rules", "field": "rules", "error": "Could not parse rules"}),
    (q("turns", analyzeTurns=[0, 5]), {"id": "turns", "field": "analyzeTurns", "error": "Invalid turn number: 5"}),
    (q("visits", maxVisits=0), {"id": "visits", "field": "maxVisits"}),
    (q("bool", includeOwnership="yes"), {"id": "bool", "field": "includeOwnership", "error": "Must be a boolean"}),
    (q("avoid", avoidMoves=[{"player": "B", "moves": ["D4"]}]), {"id": "avoid", "field": "avoidMoves"}),
    (q("both", avoidMoves=[], allowMoves=[]), {"id": "both", "field": "allowMoves"}),
    (q("override", overrideSettings={"maxVisits": -5}), {"id": "override", "field": "overrideSettings", "error": "Could not set settings"}),
    (json.dumps({"id": "act", "action": "explode"}), {"error": "'action' field must be"}),
    (json.dumps({"id": "term", "action": "terminate"}), {"id": "term", "field": "terminateId"}),
]

# Warnings: the query still runs.
WARNINGS = [
    (q("unknown-field", colour="blue"), {"id": "unknown-field", "field": "colour", "warning": "Unexpected or unused field"}),
    (q("unknown-setting", overrideSettings={"noSuchParam": 1}), {"id": "unknown-setting", "field": "overrideSettings", "warning": "Unknown config params: noSuchParam"}),
]


def matches(resp, want):
    for k, v in want.items():
        if k not in resp:
            return False
        if k in ("error", "warning"):
            if v not in resp[k]:
                return False
        elif resp[k] != v:
            return False
    return True


def main(hoshi):
    eng = Engine(hoshi, "-override-config", "analysisMaxQueuedPositions=20,analysisMaxLineLength=100000")
    # A long query in flight the whole time: it must finish untouched.
    eng.send(q("inflight", maxVisits=300, analyzeTurns=[0, 1, 2]))
    for sent, _ in CASES + WARNINGS:
        eng.send(sent if isinstance(sent, str) else json.dumps(sent))
    eng.send("x" * 200000)  # overlong line
    eng.send(q("flood", analyzeTurns=list(range(3)) * 10))  # 30 positions > 20
    eng.send(q("after"))
    if eng.close(300) != 0:
        fail("exit code %s; stderr %s" % (eng.proc.returncode, eng.proc.stderr.read()[-500:]))
    lines = eng.lines
    used = set()
    for sent, want in CASES + WARNINGS:
        hit = [i for i, r in enumerate(lines) if i not in used and matches(r, want)]
        if not hit:
            fail("no line matching %s for %s\nlines: %s" % (want, str(sent)[:80], lines[:40]))
        used.add(hit[0])
    for qid in ("unknown-field", "unknown-setting", "after"):
        if not [r for r in lines if r.get("id") == qid and "moveInfos" in r]:
            fail("query %s was not answered" % qid)
    if not [r for r in lines if "error" in r and "longer than" in r["error"]]:
        fail("overlong line not reported")
    if not [r for r in lines if r.get("id") == "flood" and "Too many positions" in r.get("error", "")]:
        fail("flood not refused")
    inflight = sorted(r["turnNumber"] for r in lines if r.get("id") == "inflight" and "moveInfos" in r)
    if inflight != [0, 1, 2]:
        fail("in-flight query disturbed: turns %s" % inflight)
    for r in lines:
        if r.get("id") == "inflight" and r["rootInfo"]["visits"] < 300:
            fail("in-flight turn %d stopped at %d visits" % (r["turnNumber"], r["rootInfo"]["visits"]))
    bad_ids = {w.get("id") for _, w in CASES if w.get("id")}
    answered = [r for r in lines if r.get("id") in bad_ids and "moveInfos" in r]
    if answered:
        fail("a refused query was analysed: %s" % answered[0]["id"])
    print("%d malformed queries answered with KataGo's error lines, %d warnings, overlong line and flood refused, "
          "in-flight query finished" % (len(CASES), len(WARNINGS)))
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1])
