"""The protocol beyond plain queries: query_version, query_models,
clear_cache, terminate (with turnNumbers), terminate_all, priorities,
reportDuringSearchEvery, avoidMoves/allowMoves, the include* fields and
reportAnalysisWinratesAs, each checked on real answers."""

import json
import sys
import time

from analysis_client import Engine, fail

BASE = {"rules": "chinese", "komi": 7.5, "boardXSize": 9, "boardYSize": 9}


def q(qid, moves=(), **extra):
    d = dict(BASE, id=qid, moves=[list(m) for m in moves])
    d.update(extra)
    return d


def final(eng, qid, turn=None, timeout=120):
    got = eng.wait_for(lambda r: r.get("id") == qid and "error" not in r and not r.get("isDuringSearch")
                       and (turn is None or r.get("turnNumber") == turn), timeout)
    if not got:
        fail("no final answer for %s turn %s" % (qid, turn))
    return got[0]


def main(hoshi):
    eng = Engine(hoshi, "-override-config", "numAnalysisThreads=1,nnRandomize=false")
    eng.send({"id": "v", "action": "query_version"})
    v = eng.wait_for(lambda r: r.get("id") == "v")[0]
    if v.get("action") != "query_version" or not v.get("version") or "git_hash" not in v:
        fail("query_version: %s" % v)
    eng.send({"id": "m", "action": "query_models"})
    m = eng.wait_for(lambda r: r.get("id") == "m")[0]
    if not m.get("models") or m["models"][0].get("version") != 8:
        fail("query_models: %s" % m)
    eng.send({"id": "c", "action": "clear_cache"})
    if eng.wait_for(lambda r: r.get("id") == "c")[0] != {"id": "c", "action": "clear_cache"}:
        fail("clear_cache is not echoed")

    # terminate with turnNumbers: those turns end (noResults or partial), the other runs on.
    eng.send(q("long", [("B", "E5")], maxVisits=10 ** 7, analyzeTurns=[0, 1]))
    time.sleep(1.0)
    eng.send({"id": "t", "action": "terminate", "terminateId": "long", "turnNumbers": [0, 1]})
    if not eng.wait_for(lambda r: r.get("id") == "t" and r.get("action") == "terminate"):
        fail("terminate not echoed")
    a, b = final(eng, "long", 0, 60), final(eng, "long", 1, 60)
    if not a.get("moveInfos") and not a.get("noResults"):
        fail("terminated running turn: %s" % a)
    if not b.get("noResults"):
        fail("terminated waiting turn should say noResults: %s" % b)
    # terminate_all.
    eng.send(q("long2", maxVisits=10 ** 7))
    time.sleep(0.5)
    eng.send({"id": "ta", "action": "terminate_all"})
    final(eng, "long2", 0, 60)

    # Priorities: with one analysis thread, a later high-priority query overtakes.
    eng.send(q("low", [("B", "E5"), ("W", "C3")], maxVisits=400, analyzeTurns=[0, 1, 2]))
    eng.send(q("high", maxVisits=10, priority=5))
    final(eng, "low", 2, 300)
    order = [(r["id"], r.get("turnNumber")) for r in eng.lines if r.get("id") in ("low", "high") and "moveInfos" in r]
    if order.index(("high", 0)) > order.index(("low", 2)):
        fail("priority ignored: %s" % order)

    # reportDuringSearchEvery: partial answers, then exactly one final.
    eng.send(q("live", maxVisits=3000, reportDuringSearchEvery=0.05))
    final(eng, "live")
    live = [r for r in eng.lines if r.get("id") == "live"]
    if not any(r["isDuringSearch"] for r in live) or sum(not r["isDuringSearch"] for r in live) != 1:
        fail("reportDuringSearchEvery: %s" % [r["isDuringSearch"] for r in live])

    # avoidMoves / allowMoves at the root.
    eng.send(q("avoid", maxVisits=60, avoidMoves=[{"player": "B", "moves": ["E5", "D4", "pass"], "untilDepth": 1}]))
    moves = {mi["move"] for mi in final(eng, "avoid")["moveInfos"]}
    if moves & {"E5", "D4", "pass"}:
        fail("avoided moves searched: %s" % moves)
    eng.send(q("allow", maxVisits=60, allowMoves=[{"player": "B", "moves": ["C3", "G7"], "untilDepth": 1}]))
    moves = {mi["move"] for mi in final(eng, "allow")["moveInfos"]}
    if not moves or not moves <= {"C3", "G7"}:
        fail("allowMoves: searched %s" % moves)

    # include* fields and their sizes.
    eng.send(q("inc", [("B", "E5")], maxVisits=40, includeOwnership=True, includeOwnershipStdev=True,
               includeMovesOwnership=True, includePolicy=True, includePVVisits=True, includeNoResultValue=True))
    r = final(eng, "inc")
    if len(r["ownership"]) != 81 or len(r["ownershipStdev"]) != 81 or len(r["policy"]) != 82:
        fail("ownership/ownershipStdev/policy sizes")
    if abs(sum(p for p in r["policy"] if p > 0) - 1) > 1e-3:
        fail("policy does not sum to 1")
    for mi in r["moveInfos"]:
        if len(mi["ownership"]) != 81 or len(mi["pvVisits"]) != len(mi["pv"]) or "noResultValue" not in mi:
            fail("moveInfo fields: %s" % sorted(mi))
        if mi["pvVisits"][0] != mi["visits"]:
            fail("pvVisits[0] %d != visits %d" % (mi["pvVisits"][0], mi["visits"]))

    # reportAnalysisWinratesAs: BLACK by default, the side to move on request (white here).
    eng.send(q("black", [("B", "E5")], maxVisits=2))
    eng.send(q("side", [("B", "E5")], maxVisits=2, overrideSettings={"reportAnalysisWinratesAs": "SIDETOMOVE"}))
    rb, rs = final(eng, "black")["rootInfo"], final(eng, "side")["rootInfo"]
    if abs(rb["rawWinrate"] + rs["rawWinrate"] - 1) > 1e-6 or abs(rb["rawLead"] + rs["rawLead"]) > 1e-5:
        fail("perspective: black %s side %s" % (rb, rs))
    if eng.close(120) != 0:
        fail("exit code")
    print("actions, terminate, priorities, live reports, move filters, include* fields, perspective: ok")
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1])
