#!/usr/bin/env python3
"""The hoshi command line: help and version, KataGo's gtp flags (-model,
-config, -override-config, also with two dashes), and clear errors with exit
code 2 for unknown flags, unknown subcommands and bad config files; every
configs/*.cfg loads without errors or warnings.
Usage: cli_flags.py HOSHI_BINARY
"""
import glob, os, subprocess, sys, tempfile

failures = []


def run(args, stdin=""):
    p = subprocess.run([HOSHI] + args, input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def expect(what, cond, detail=""):
    if not cond:
        failures.append(f"{what}: {detail}")


def main():
    rc, out, _ = run(["--help"])
    expect("--help exits 0 and lists gtp", rc == 0 and "gtp" in out and "benchmark" in out, out)
    rc, out, _ = run(["--version"])
    expect("--version", rc == 0 and out.startswith("Hoshi "), out)
    rc, out, _ = run(["gtp", "--help"])
    expect("gtp --help", rc == 0 and all(f in out for f in ("-model", "-config", "-override-config")), out)
    rc, _, err = run([])
    expect("no subcommand exits 2", rc == 2 and "usage" in err, err)
    rc, _, err = run(["frobnicate"])
    expect("unknown subcommand exits 2", rc == 2 and "frobnicate" in err, err)
    rc, _, err = run(["gtp", "-bogus", "1"])
    expect("unknown gtp flag exits 2", rc == 2 and "-bogus" in err, err)
    rc, _, err = run(["gtp", "-config"])
    expect("flag without value exits 2", rc == 2 and "needs a value" in err, err)
    # Lizzie takes an engine started with -override-version for KataGo (and
    # otherwise wants a Leela Zero version of 0.15 or later).
    rc, out, err = run(["gtp", "-override-version", "1.15.3"], "name\nversion\nquit\n")
    expect("-override-version answers version", rc == 0 and "= Hoshi\n\n= 1.15.3\n" in out, out + err)
    rc, out, err = run(["gtp"], "version\nquit\n")
    expect("own version by default", rc == 0 and out.startswith("= 0."), out + err)

    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, "base.cfg")
        board = os.path.join(d, "board.cfg")
        bad = os.path.join(d, "bad.cfg")
        open(base, "w").write("maxVisits = 300\nrules = japanese  # board default\n")
        open(board, "w").write("@include base.cfg\nmaxVisits = 40\nsomeKataGoOnlyKey = 1\n")
        open(bad, "w").write("# comment\nmaxVisits = 10\nnumSearchThreads = zero\n")

        rc, out, err = run(["gtp", "-config", board], "kata-get-param maxVisits\nkata-get-rules\nquit\n")
        expect("config with include", rc == 0 and "= 40" in out and '"ko":"SIMPLE"' in out, out + err)
        expect("unknown key warns with file:line", f"{board}:3: unknown key 'someKataGoOnlyKey'" in err, err)

        rc, out, err = run(["gtp", "--config", board, "--override-config", "maxVisits=7,allowResignation=true"],
                           "kata-get-param maxVisits\nkata-get-param allowResignation\nquit\n")
        expect("double-dash flags and overrides", rc == 0 and "= 7" in out and "= true" in out, out + err)

        log = os.path.join(d, "gtp.log")
        rc, out, err = run(["gtp", "-override-config", f"logFile={log},logAllGTPCommunication=true"],
                           "name\nquit\n")
        text = open(log).read() if os.path.exists(log) else ""
        expect("logFile gets the GTP traffic", rc == 0 and "GTP < name" in text and "GTP > = Hoshi" in text
               and "GTP <" not in err, text + err)
        rc, _, err = run(["gtp", "-config", bad], "quit\n")
        expect("bad config exits 2 naming file:line", rc == 2 and f"{bad}:3: numSearchThreads" in err, err)
        rc, _, err = run(["gtp", "-override-config", "maxVisits=0"], "quit\n")
        expect("out-of-range override exits 2", rc == 2 and "out of range" in err, err)
        rc, _, err = run(["gtp", "-override-config", "rules=klingon"], "quit\n")
        expect("unknown rules exit 2", rc == 2 and "klingon" in err, err)
        rc, _, err = run(["gtp", "-model", os.path.join(d, "missing.bin.gz")], "quit\n")
        expect("missing model exits 1 naming it", rc == 1 and "missing.bin.gz" in err, err)

    # Every shipped board config loads cleanly: no error, no unknown key.
    configs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "configs")
    for cfg in sorted(glob.glob(os.path.join(configs, "*.cfg"))):
        rc, _, err = run(["gtp", "-config", cfg], "quit\n")
        expect(f"{os.path.basename(cfg)} loads", rc == 0 and "warning" not in err, err)

    rc, out, _ = run(["gtp"], "1 name\n2 boardsize 7\n3 play b d4\n4 genmove w\nquit\n")
    expect("gtp on stdin", rc == 0 and "=1 Hoshi" in out and "=3" in out and "=4 " in out, out)

    for f in failures:
        print("FAIL", f)
    print(f"cli flags: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    HOSHI = sys.argv[1]
    main()
