#!/usr/bin/env python3
"""The subcommands, all parsed by app/cli (info, benchmark, quantize, compare,
gtp, analysis, export):
--help lists every option of each and exits 0; unknown options, missing or
bad values exit 2 naming the option, with the usage; `hoshi info` lists the
backends a user can pick, not the test-only fake one.
Usage: subcommand_flags.py HOSHI_BINARY MODEL
"""
import subprocess, sys

failures = []


def run(args):
    p = subprocess.run([HOSHI] + args, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def expect(what, cond, detail=""):
    if not cond:
        failures.append(f"{what}: {detail}")


# Every option each command takes (what the commands parsed by hand before).
OPTIONS = {
    "benchmark": ["-model", "-t, -threads", "-config", "-override-config", "-v, -visits",
                  "-nn-only", "-batch", "-size", "-backend", "-precision", "-device", "-seconds"],
    "info": ["-model"],
    "quantize": ["-model", "-calib", "-out", "-precision", "-positions", "-method",
                 "-keep-float", "-max-float", "-target-top1", "-max-float-act", "-float-act",
                 "-float-act-by", "-equalize", "-holdout", "-bias-correction", "-gptq",
                 "-selfplay", "-threads", "-seed"],
    "compare": ["-ref", "-test", "-positions", "-golden", "-n", "-ref-backend",
                "-test-backend", "-trace", "-threads", "-seed", "-dump"],
    "gtp": ["-model", "-config", "-override-config", "-listen", "-serial", "-baud",
            "-override-version", "-help-options"],
    "analysis": ["-model", "-config", "-override-config", "-analysis-threads",
                 "-quit-without-waiting", "-listen"],
    "export": ["-model", "-format", "-out", "-precision", "-opset", "-fp16-fp32", "-golden",
               "-raw", "-reference", "-limit", "-threads", "-benchmark-inputs", "-size"],
}


def main():
    for cmd, options in OPTIONS.items():
        for flag in ("--help", "-h"):
            rc, out, _ = run([cmd, flag])
            expect(f"{cmd} {flag} exits 0", rc == 0 and out.startswith("usage: hoshi " + cmd), out)
            for o in options:
                expect(f"{cmd} {flag} lists {o}", f"  {o} " in out or f"  {o}\n" in out, out)
        rc, _, err = run([cmd, "-bogus", "1"])
        expect(f"{cmd}: unknown option exits 2", rc == 2 and "-bogus" in err and "usage" in err, err)
    rc, _, err = run(["benchmark", "-model", MODEL, "--nn-only", "--size", "25"])
    expect("benchmark: --size out of range", rc == 2 and "--size" in err and "2..19" in err, err)
    rc, _, err = run(["benchmark", "-model", MODEL, "--nn-only", "-t", "1,2"])
    expect("benchmark --nn-only: one thread count", rc == 2 and "one thread count" in err, err)
    rc, _, err = run(["benchmark", "-model", MODEL, "-v"])
    expect("benchmark: -v without a value", rc == 2 and "needs a value" in err, err)
    rc, _, err = run(["quantize", "-model", MODEL, "-out", "/tmp/x.hoshi", "-gptq", "maybe"])
    expect("quantize: bad -gptq", rc == 2 and "-gptq" in err and "on|off|auto" in err, err)
    rc, _, err = run(["compare", "-ref", MODEL, "-test", MODEL])
    expect("compare: no positions", rc == 2 and "-positions or -golden" in err, err)
    rc, out, err = run(["info", MODEL])
    backends = [l for l in out.splitlines() if l.startswith("backends:")]
    expect("info lists backends", rc == 0 and len(backends) == 1 and "eigen" in backends[0], out + err)
    expect("info leaves out the test-only fake backend", backends and "fake" not in backends[0], out)
    rc, out2, _ = run(["info", "-model", MODEL])
    expect("info -model FILE is info FILE", rc == 0 and out2 == out, out2)
    print("subcommand_flags:", "FAIL" if failures else "PASS")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    HOSHI, MODEL = sys.argv[1], sys.argv[2]
    sys.exit(main())
