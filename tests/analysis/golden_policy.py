"""includePolicy and rootInfo.rawWinrate/rawLead against KataGo's raw
network outputs (../shared/golden/b6c96-raw-nn.jsonl, symmetry 0), with
nnRandomize = false, ignorePreRootHistory = false and enablePassingHacks =
false (kata-raw-nn shows the net as it is; KataGo's analysis engine, like
Hoshi's, applies the passing hacks by default, and then both answer the same
different policy where a pass would end the game), within kata-raw-nn's
tolerances (tools/golden_check.py: policy 2e-4, win/loss 2e-4, lead 0.02)."""

import json
import os
import sys

from analysis_client import Engine, SHARED, fail

POLICY_TOL = 2e-4
WIN_TOL = 2e-4
LEAD_TOL = 0.02


def main(hoshi, limit):
    rows = [json.loads(l) for l in open(os.path.join(SHARED, "golden/b6c96-raw-nn.jsonl"))]
    rows = [r for r in rows if r["symmetry"] == 0][:limit]
    eng = Engine(hoshi, "-override-config", "nnRandomize=false")
    for i, r in enumerate(rows):
        to_move = r["to_move"].upper()[0]
        q = {"id": str(i), "moves": [[c.upper()[0], v] for c, v in r["moves"]],
             "initialStones": [["B", v] for v in r["handicap_stones"]],
             "initialPlayer": to_move if not r["moves"] else r["moves"][0][0].upper()[0],
             "rules": r["rules"], "komi": r["komi"], "boardXSize": r["board_size"],
             "boardYSize": r["board_size"], "maxVisits": 1, "includePolicy": True,
             "overrideSettings": {"ignorePreRootHistory": False, "enablePassingHacks": False,
                                  "reportAnalysisWinratesAs": "WHITE"}}
        if r["handicap_stones"] and not r["moves"]:
            q["initialPlayer"] = "W"
        eng.send(q)
    eng.close(600)
    by_id = {x["id"]: x for x in eng.lines if "rootInfo" in x}
    worst = {"policy": 0.0, "win": 0.0, "lead": 0.0}
    for i, r in enumerate(rows):
        got = by_id.get(str(i))
        if got is None:
            fail("%s: no answer (%s)" % (r["id"], [x for x in eng.lines if x.get("id") == str(i)]))
        want = r["policy"] + [r["policyPass"]]
        pol = got["policy"]
        if len(pol) != len(want):
            fail("%s: policy length %d, want %d" % (r["id"], len(pol), len(want)))
        for k, (a, b) in enumerate(zip(pol, want)):
            if (a < 0) != (b < 0):
                fail("%s: legality differs at %d: %s vs %s" % (r["id"], k, a, b))
            d = 0 if b < 0 else abs(a - b)
            worst["policy"] = max(worst["policy"], d)
            if d > POLICY_TOL:
                fail("%s: policy[%d] %.6f, golden %.6f" % (r["id"], k, a, b))
        ri = got["rootInfo"]
        # White's view (reportAnalysisWinratesAs = WHITE): 0.5 + 0.5 (win - loss).
        win = 0.5 + 0.5 * (r["whiteWin"] - r["whiteLoss"])
        dw, dl = abs(ri["rawWinrate"] - win), abs(ri["rawLead"] - r["whiteLead"])
        worst["win"], worst["lead"] = max(worst["win"], dw), max(worst["lead"], dl)
        if dw > WIN_TOL or dl > LEAD_TOL:
            fail("%s: rawWinrate %.6f (golden %.6f), rawLead %.4f (golden %.4f)" %
                 (r["id"], ri["rawWinrate"], win, ri["rawLead"], r["whiteLead"]))
    print("%d golden positions: max |policy diff| %.2e, |rawWinrate diff| %.2e, |rawLead diff| %.4f" %
          (len(rows), worst["policy"], worst["win"], worst["lead"]))
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100000)
