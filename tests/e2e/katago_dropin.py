#!/usr/bin/env python3
"""Hoshi as a drop-in for KataGo users (issue 15), through the real binary:
GTP transcripts per item (commands in, exact answers out; item 1, the
analysis options, checked on the real net's answers), KataGo's example
config keys, the default network and the ready line, two TCP front ends one
after the other (fresh engine), a half-closing `nc -N` client, and remote
file access refused unless gtpFileAccessDir allows the folder.

usage: katago_dropin.py HOSHI_BINARY SOURCE_DIR
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
NET = os.path.join(SRC, "models", "g170-b6c96-s175395328-d26788732.bin.gz")
failures = []


def expect(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(f"{what}: {detail}")


def gtp(args, commands, timeout=120, cwd=None):
    """Runs hoshi gtp ARGS on stdin; returns (rc, answers, stderr)."""
    p = subprocess.run([BIN, "gtp"] + args, input="\n".join(commands) + "\nquit\n",
                       capture_output=True, text=True, timeout=timeout, cwd=cwd)
    # Each answer without its closing blank line; "= " (empty success) as "=".
    answers = [a.strip("\n").rstrip(" ") for a in p.stdout.split("\n\n") if a.strip()]
    return p.returncode, answers[:-1] if answers and answers[-1] == "=" else answers, p.stderr


def transcript(name, args, pairs, **kw):
    """pairs: (command, exact answer)."""
    rc, answers, err = gtp(args, [c for c, _ in pairs], **kw)
    expect(f"{name}: exit 0", rc == 0, err)
    for i, (command, want) in enumerate(pairs):
        got = answers[i] if i < len(answers) else None
        expect(f"{name}: {command!r} -> {want!r}", got == want, f"got {got!r}")
    return err


def item1_analysis_options():
    """kata-genmove_analyze with the options front ends send, real net."""
    rc, answers, err = gtp(["-model", NET, "-override-config", "maxVisits=30,searchRandSeed=1"], [
        "boardsize 9",
        "kata-genmove_analyze b maxmoves 2 pvVisits true rootInfo true ownershipStdev true "
        "movesOwnership true avoid b E5,D5,E4,D4,F5 1",
        "kata-genmove_analyze w allow w C3,G7 1 pvEdgeVisits true minmoves 2"])
    expect("item 1: exit 0 and three answers", rc == 0 and len(answers) == 3, err)
    if len(answers) < 3:
        return
    first, second = answers[1].split("\n"), answers[2].split("\n")
    info1 = next((l for l in first if l.startswith("info ")), "")
    moves1 = [w for w in info1.split(" info ")]
    played1 = first[-1].split()[-1] if first[-1].startswith("play ") else None
    expect("item 1: maxmoves 2 reports at most 2 moves", 1 <= len(moves1) <= 2, info1[:200])
    expect("item 1: pvVisits, movesOwnership, rootInfo, ownershipStdev all reported",
           all(k in info1 for k in (" pvVisits ", " movesOwnership ", "rootInfo ",
                                    " ownershipStdev ")), info1[:300])
    expect("item 1: avoid keeps black off the avoided points",
           played1 is not None and played1 not in {"E5", "D5", "E4", "D4", "F5"}, first[-1])
    info2 = next((l for l in second if l.startswith("info ")), "")
    played2 = second[-1].split()[-1] if second[-1].startswith("play ") else None
    expect("item 1: allow keeps white on the allowed points", played2 in {"C3", "G7"}, second[-1])
    expect("item 1: minmoves 2 reports both allowed moves, with pvEdgeVisits",
           info2.count("info move ") >= 2 and " pvEdgeVisits " in info2, info2[:300])


def item2_commands():
    transcript("item 2 (no net)", ["-model", "none"], [
        ("komi 6.5", "="), ("get_komi", "= 6.5"),
        ("boardsize 19 19", "="), ("boardsize 9 13", "="), ("boardsize 9 20",
                                                           "? unacceptable size: each side must be 2 to 19"),
        ("rectangular_boardsize 7 5", "="),
        ("rectangular_boardsize 7", "? syntax error: expected X Y"),
        ("boardsize 5", "="),
        ("set_position b C3 w D3 b A1", "="),
        ("showboard", "= \n    A B C D E\n  5 . . . . .  5\n  4 . . . . .  4\n"
                      "  3 . . X O .  3\n  2 . . . . .  2\n  1 X . . . .  1\n    A B C D E\n"
                      "Next player: Black\nKomi: 6.5  Rules: TrompTaylor\n"
                      "Captured stones: black 0, white 0"),
        ("set_position b C3 w C3", "? vertex C3 given twice"),
        ("set_position b A1 w A2 w B1", "? stone at A1 would have no liberties"),
        ("set_position b", "? syntax error: expected COLOR VERTEX pairs"),
        ("set_position", "="),
        ("kata-set-rule ko SIMPLE", "="),
        ("kata-get-rules", '= {"friendlyPassOk":false,"hasButton":false,"ko":"SIMPLE",'
                           '"scoring":"AREA","suicide":true,"tax":"NONE","whiteHandicapBonus":"0"}'),
        ("kata-set-rule ko SOMETIMES", "? invalid ko rule: SOMETIMES"),
        ("kata-list_time_settings", "= none absolute byo-yomi canadian fischer fischer-capped"),
        ("kata-time_settings fischer 300 5.5", "="),
        ("kata-time_settings fischer-capped 300 5 600 30", "="),
        ("kata-time_settings fischer-capped 300 5 100 30", "? main time limit must be >= main time"),
        ("kata-time_settings byo-yomi 600 30.5 5", "="),
        ("kata-time_settings fischer -1 5", "? main time must not be negative, got -1"),
        ("kgs-time_settings fischer 300 5", "? unknown kind 'fischer'"),
        ("clear_cache", "="),
        ("kata-get-models", "= []"),
        ("cputime", "= 0"),
        ("known_command kata-search_cancellable", "= true"),
        ("known_command genmove_debug", "= true"), ("known_command gomill-cpu_time", "= true"),
    ])


def item2_with_net():
    rc, answers, err = gtp(["-model", NET, "-override-config", "maxVisits=16"],
                           ["boardsize 9", "kata-get-models", "kata-search b", "showboard",
                            "genmove_debug b", "cputime", "kata-search_cancellable w", ""])
    expect("kata-get-models names the net", answers[1].startswith(
        '= [{"name":"g170-b6c96-s175395328-d26788732.bin.gz",'
        '"internalName":"g170-b6c96-s175395328-d26788732","maxBatchSize":8,'
        '"usesHumanSLProfile":false,"version":8,"usingFP16":false'), answers[1])
    expect("kata-search answers a move and does not play it",
           answers[2].startswith("= ") and "X" not in answers[3], answers[:4])
    expect("genmove_debug plays and logs", answers[4].startswith("= ") and
           "genmove_debug:" in err, answers[4] + err)
    expect("cputime counts the searches", float(answers[5][2:]) > 0, answers[5])
    expect("kata-search_cancellable answers", answers[6].startswith("= "), answers)


def item3_params():
    transcript("item 3", ["-model", "none"], [
        ("kata-set-param koRule SIMPLE", "="),
        ("kata-get-rules", '= {"friendlyPassOk":false,"hasButton":false,"ko":"SIMPLE",'
                           '"scoring":"AREA","suicide":true,"tax":"NONE","whiteHandicapBonus":"0"}'),
        ("kata-set-param scoringRule TERRITORY", "="),
        ("kata-set-param rules japanese", "="),
        ("kata-get-rules", '= {"friendlyPassOk":false,"hasButton":false,"ko":"SIMPLE",'
                           '"scoring":"TERRITORY","suicide":false,"tax":"SEKI","whiteHandicapBonus":"0"}'),
        ("kata-set-param koRule nonsense", "? Could not set params: koRule: 'nonsense' is not one "
                                          "of SIMPLE, POSITIONAL, SITUATIONAL"),
        ("kata-set-param rules nonsense", "? Could not set params: rules: unknown rules "
                                         "'nonsense': could not parse rules: nonsense"),
        ("kata-get-param rules", "= japanese"),
        ("kata-set-param numSearchThreads 2", "="), ("kata-get-param numSearchThreads", "= 2"),
        ("kata-set-param maxVisits", "? kata-set-param maxVisits needs a value"),
        ("kata-set-param nnBackend fake", "? Invalid parameter: nnBackend is only read at startup "
                                          "(set it in the config file or -override-config)"),
    ])


# Active keys of KataGo's cpp/configs/gtp_example.cfg and analysis_example.cfg
# (names and a valid value only, not KataGo's text), plus keys of the
# commented-out examples this issue asks for.
KATAGO_KEYS = {
    "logDir": "LOGDIR", "logAllGTPCommunication": "true", "logSearchInfo": "true",
    "logSearchInfoForChosenMove": "false", "logToStderr": "false", "rules": "tromp-taylor",
    "allowResignation": "true", "resignThreshold": "-0.90", "resignConsecTurns": "3",
    "maxVisits": "500", "ponderingEnabled": "false", "maxTimePondering": "60.0",
    "lagBuffer": "1.0", "numSearchThreads": "6", "searchFactorAfterOnePass": "0.50",
    "searchFactorAfterTwoPass": "0.25", "searchFactorWhenWinning": "0.40",
    "searchFactorWhenWinningThreshold": "0.95",
    "reportAnalysisWinratesAs": "BLACK", "numAnalysisThreads": "2",
    "numSearchThreadsPerAnalysisThread": "16", "nnMaxBatchSize": "64",
    "nnCacheSizePowerOfTwo": "23", "nnMutexPoolSizePowerOfTwo": "17", "nnRandomize": "true",
    "maxVisitsPondering": "5000", "maxPlayoutsPondering": "5000",
    "friendlyPassOk": "false", "resignMinScoreDifference": "10", "wideRootNoise": "0.04",
    "playoutDoublingAdvantage": "0.0",
}
# What Hoshi cannot honour, each warned about with its reason.
NOT_HONOURED = {"logSearchInfoForChosenMove", "nnMutexPoolSizePowerOfTwo"}


def item4_config(tmp):
    cfg = os.path.join(tmp, "katago.cfg")
    logdir = os.path.join(tmp, "logs")
    with open(cfg, "w") as f:
        for k, v in KATAGO_KEYS.items():
            f.write(f"{k} = {v.replace('LOGDIR', logdir)}\n")
    rc, answers, err = gtp(["-model", "none", "-config", cfg], ["name", "genmove b"])
    warned = {w.split("'")[1] for w in err.splitlines() if w.startswith("warning:")}
    expect("KataGo's keys load; only the ones Hoshi cannot honour warn",
           rc == 0 and warned == NOT_HONOURED, err)
    expect("every such warning gives its reason",
           all("ignored: " in w for w in err.splitlines() if w.startswith("warning:")), err)
    logs = os.listdir(logdir) if os.path.isdir(logdir) else []
    text = open(os.path.join(logdir, logs[0])).read() if logs else ""
    expect("logDir gets a log file with the GTP traffic", len(logs) == 1 and "GTP < name" in text,
           str(logs) + text)
    expect("logToStderr = false keeps the log off stderr", "GTP <" not in err, err)
    rc, _, err = gtp(["-config", tmp], [])
    expect("-config naming a folder is an error", rc == 2 and "is a folder" in err, err)
    # friendlyPassOk = false (Tromp-Taylor): after two passes genmove plays on
    # where the game is not settled (a lone white stone inside black's area).
    rc, answers, err = gtp(["-model", NET, "-override-config", "maxVisits=50,searchRandSeed=x"],
                           ["boardsize 5", "set_position b A3 b B3 b C3 b D3 b E3 w B1",
                            "play b pass", "play w pass", "genmove b"])
    expect("after two passes genmove keeps playing (friendlyPassOk false)",
           answers[-1] != "= pass" and answers[-1].startswith("= "), answers)
    rc, answers, err = gtp(["-model", NET, "-override-config", "maxVisits=16,logSearchInfo=true"],
                           ["boardsize 9", "genmove b"])
    expect("logSearchInfo logs the search", "search: visits" in err, err)
    counts = re.search(r"playouts (\d+) nnEvals (\d+) cacheHits (\d+)", err)
    expect("logSearchInfo logs the playouts and net evaluations (first move: one per playout"
           " and the root)", counts and int(counts.group(1)) >= 15
           and 0 < int(counts.group(2)) <= int(counts.group(1)) + 1, err)
    # playoutDoublingAdvantage reaches the network: the root player's winrate
    # rises with it (b6c96, deterministic search).
    winrates = []
    for pda in ("-2", "0", "2"):
        rc, _, err = gtp(["-model", NET, "-override-config", "maxVisits=50,nnRandomize=false,"
                          "searchRandSeed=1,logSearchInfo=true,playoutDoublingAdvantage=" + pda],
                         ["boardsize 9", "genmove b"])
        line = [l for l in err.splitlines() if l.startswith("search: visits")]
        winrates.append(float(line[0].split()[4]) if line else -1)
    expect("playoutDoublingAdvantage -2/0/2 orders the winrates",
           0 <= winrates[0] < winrates[1] - 0.1 and winrates[1] < winrates[2] - 0.1, winrates)


def item9_default_net(tmp):
    rc, answers, err = gtp([], ["boardsize 9", "genmove b"])
    expect("no -model: the shipped net is loaded and said so",
           f"loading the default network {NET}" in err, err)
    expect("ready line names model, backend, precision, threads",
           "hoshi gtp: ready: model " + NET in err and "backend eigen, precision fp32" in err
           and "search threads 1" in err, err)
    rc, _, err = gtp(["-override-config", "numSearchThreads=64"], ["name"])
    cores = len(os.sched_getaffinity(0))
    expect("ready line: threads past the cores of a CPU backend are said not to run",
           cores >= 64 or f"search threads {cores} (of numSearchThreads 64" in err, err)
    expect("genmove with the default net plays", len(answers) == 2 and answers[1] != "= pass"
           and answers[1].startswith("= "), answers)
    beside = os.path.join(tmp, "bin")
    os.makedirs(beside)
    shutil.copy(BIN, beside)
    os.symlink(NET, os.path.join(beside, "default_model.bin.gz"))
    p = subprocess.run([os.path.join(beside, "hoshi"), "gtp"], input="quit\n",
                       capture_output=True, text=True, timeout=60)
    expect("default_model.bin.gz beside the binary comes first",
           "loading the default network " + os.path.join(beside, "default_model.bin.gz")
           in p.stderr, p.stderr)
    rc, answers, err = gtp(["-model", "none"], ["name"])
    expect("-model none plays without a net", "playing without a network" in err
           and "ready: model none" in err, err)
    p = subprocess.run([BIN, "analysis"], input='{"id":"v","action":"query_version"}\n',
                       capture_output=True, text=True, timeout=60)
    expect("hoshi analysis without -model loads the default net too",
           p.returncode == 0 and f"loading the default network {NET}" in p.stderr
           and '"action":"query_version"' in p.stdout, p.stderr + p.stdout)


def start_tcp(extra, tmp, name):
    err = open(os.path.join(tmp, name + ".err"), "w+")
    proc = subprocess.Popen([BIN, "gtp", "-model", "none", "--listen", "127.0.0.1:0"] + extra,
                            stdin=subprocess.DEVNULL, stderr=err)
    for _ in range(200):
        err.seek(0)
        for line in err.read().splitlines():
            if "GTP listening on" in line:
                return proc, int(line.rsplit(":", 1)[1])
        time.sleep(0.05)
    raise RuntimeError("no listening line")


def nc(port, text):
    """printf TEXT | nc -N 127.0.0.1 PORT: sends, half-closes, reads to the end."""
    p = subprocess.run(["nc", "-N", "127.0.0.1", str(port)], input=text, capture_output=True,
                       text=True, timeout=60)
    return p.stdout


def item5_tcp(tmp):
    proc, port = start_tcp(["-override-config", "gtpKeepStateOnDisconnect=false,maxVisits=50"],
                           tmp, "tcp5")
    try:
        expect("half-closing nc -N client gets its answer", nc(port, "name\n") == "= Hoshi\n\n")
        first = nc(port, "boardsize 9\nkomi 0.5\nkata-set-rules japanese\n"
                         "kata-set-param maxVisits 7\nplay b E5\nkata-time_settings fischer 60 1\n")
        expect("first client: every command answered", first == "= \n\n" * 6, repr(first))
        second = nc(port, "get_komi\nkata-get-param maxVisits\nkata-get-rules\nplay b E5\n"
                          "showboard\n")
        answers = second.split("\n\n")
        expect("second client: komi back to the config's", answers[0] == "= 7.5", answers)
        expect("second client: kata-set-param undone", answers[1] == "= 50", answers)
        expect("second client: rules back to the config's", '"ko":"POSITIONAL"' in answers[2],
               answers)
        expect("second client: a fresh board (E5 free, 19x19)", answers[3] == "= " and
               "19 . . ." in answers[4], answers)
    finally:
        proc.terminate()
        proc.wait(10)
    for bad in ("127.0.0.1:70000", "127.0.0.1:65536", "127.0.0.1:-1"):
        p = subprocess.run([BIN, "gtp", "-model", "none", "--listen", bad], input="",
                           capture_output=True, text=True, timeout=30)
        expect(f"--listen {bad} refused", p.returncode != 0 and "65535" in p.stderr
               or "no numeric port" in p.stderr, p.stderr)


def item6_files(tmp):
    games = os.path.join(tmp, "games")
    os.makedirs(games)
    with open(os.path.join(games, "g.sgf"), "w") as f:
        f.write("(;GM[1]FF[4]SZ[9]KM[6.5];B[ee];W[cc])")
    secret = os.path.join(tmp, "secret.sgf")
    shutil.copy(os.path.join(games, "g.sgf"), secret)
    proc, port = start_tcp([], tmp, "tcp6")
    try:
        out = nc(port, f"loadsgf {secret}\nprintsgf {tmp}/out.sgf\nprintsgf\n").split("\n\n")
        refusal = "file access is not allowed over TCP or serial (set gtpFileAccessDir to " \
                  "allow a folder)"
        expect("TCP: loadsgf FILE refused by default", out[0] == "? cannot load file: " + refusal,
               out)
        expect("TCP: printsgf FILE refused by default",
               out[1] == "? cannot write file: " + refusal and not os.path.exists(f"{tmp}/out.sgf"),
               out)
        expect("TCP: printsgf without a file still answers", out[2].startswith("= (;"), out)
    finally:
        proc.terminate()
        proc.wait(10)
    proc, port = start_tcp(["-override-config", f"gtpFileAccessDir={games}"], tmp, "tcp6b")
    try:
        out = nc(port, f"loadsgf g.sgf\nloadsgf {secret}\nloadsgf ../secret.sgf\n"
                       f"printsgf copy.sgf\n").split("\n\n")
        expect("gtpFileAccessDir: a game inside loads", out[0] == "= ", out)
        expect("gtpFileAccessDir: a path outside is refused",
               out[1] == f"? cannot load file: '{secret}' is outside gtpFileAccessDir", out)
        expect("gtpFileAccessDir: .. is refused",
               out[2] == "? cannot load file: '../secret.sgf' is outside gtpFileAccessDir", out)
        expect("gtpFileAccessDir: printsgf writes inside",
               out[3] == "= " and os.path.exists(os.path.join(games, "copy.sgf")), out)
    finally:
        proc.terminate()
        proc.wait(10)
    # stdin keeps file access.
    transcript("item 6 stdin", ["-model", "none"], [(f"loadsgf {secret}", "=")])


def slow_search(commands_before, then, wait=1.0):
    """Starts a long search on stdin (the last of commands_before); `wait` s
    after the engine has answered the others (so it has loaded the net and
    reads commands, however loaded the machine), does `then(proc)`.
    Returns (stdout, rc, seconds from then() to the exit)."""
    proc = subprocess.Popen([BIN, "gtp", "-model", NET, "-override-config",
                             "maxVisits=100000000,maxTime=60"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    answered = ""
    for c in commands_before[:-1]:
        proc.stdin.write(c + "\n")
        proc.stdin.flush()
        while True:  # an answer ends with an empty line
            line = proc.stdout.readline()
            answered += line
            if line in ("\n", ""):
                break
    proc.stdin.write(commands_before[-1] + "\n")
    proc.stdin.flush()
    time.sleep(wait)
    start = time.time()
    then(proc)
    out, _ = proc.communicate(timeout=30)
    return answered + out, proc.returncode, time.time() - start


def cancellable_and_sigterm():
    def cancel(proc):
        proc.stdin.write("\n")  # an empty line cancels
        proc.stdin.flush()
        proc.stdin.write("name\n")
    out, rc, took = slow_search(["boardsize 9", "kata-search_cancellable b"], cancel)
    expect("kata-search_cancellable: an empty line cancels it",
           out == "= \n\n= cancelled\n\n= Hoshi\n\n" and took < 10, repr(out))

    def term(proc):
        proc.send_signal(15)
    out, rc, took = slow_search(["boardsize 9", "genmove b"], term)
    answers = out.split("\n\n")
    expect("item 10: SIGTERM during a stdin genmove answers it and exits 0",
           rc == 0 and len(answers) >= 2 and answers[1].startswith("= ") and answers[1] != "= "
           and took < 10, f"rc {rc} {out!r} {took:.1f} s")


def stdin_line_limit():
    p = subprocess.run([BIN, "gtp", "-model", "none", "-override-config", "gtpMaxLineLength=100"],
                       input="name " + "x" * 200 + "\nname\n", capture_output=True, text=True,
                       timeout=30)
    expect("item 6: stdin has the TCP line limit",
           p.stdout == "? line too long: more than 100 bytes\n\n= Hoshi\n\n", repr(p.stdout))


def item7_sizes():
    rc, _, err = gtp(["-model", "none", "-override-config", "nnCacheSizePowerOfTwo=44"], [])
    expect("item 7: a network cache that cannot fit is refused at start, with the size that fits",
           rc == 2 and "nnCacheSizePowerOfTwo = 44 needs" in err and "or less" in err, err)
    rc, answers, err = gtp(["-model", NET, "-override-config", "maxMemoryMiB=1"],
                           ["genmove b", "genmove w"])
    expect("item 7: maxMemoryMiB too small to search says so, once",
           rc == 0 and err.count("maxMemoryMiB = 1 is too small") == 1 and len(answers) == 2,
           err)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        item2_commands()
        item3_params()
        item4_config(tmp)
        item5_tcp(tmp)
        item6_files(tmp)
        stdin_line_limit()
        if os.path.exists(NET):
            cancellable_and_sigterm()
            item7_sizes()
            item2_with_net()
            item1_analysis_options()
            item9_default_net(tmp)
    for f in failures:
        print("FAIL", f)
    print(f"katago drop-in: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
