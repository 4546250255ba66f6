#!/usr/bin/env python3
"""Debian Depends for a cross-built binary.

dpkg-shlibdeps cannot do this: it asks the build machine's dpkg database,
which knows no arm64 or armhf packages. The sysroot keeps the .deb files it
was made from, and each library package carries a `shlibs` control file
mapping "libname soversion" to the dependency to declare; that is the same
information dpkg-shlibdeps uses.

usage: deb_depends.py BINARY DEB_DIR   -> prints "pkg (>= v), pkg, ..."
"""
import os
import re
import subprocess
import sys


def needed(binary):
    out = subprocess.run(["readelf", "-d", binary], check=True, capture_output=True,
                         text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def shlibs_table(deb_dir):
    table = {}
    for name in sorted(os.listdir(deb_dir)):
        if not name.endswith(".deb"):
            continue
        res = subprocess.run(["dpkg-deb", "-I", os.path.join(deb_dir, name), "shlibs"],
                             capture_output=True, text=True)
        if res.returncode != 0:
            continue  # no shlibs: not a library package
        for line in res.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and not parts[0].endswith(":"):
                table[(parts[0], parts[1])] = parts[2].strip()
    return table


def key(soname):
    # libfoo.so.1 -> (libfoo, 1); libfoo-1.2.so -> (libfoo, 1.2)
    m = re.match(r"^(.*)\.so\.(.*)$", soname)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^(.*)-([0-9.]+)\.so$", soname)
    if m:
        return m.group(1), m.group(2)
    return soname, ""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, deb_dir = sys.argv[1], sys.argv[2]
    table = shlibs_table(deb_dir)
    deps, missing = [], []
    for soname in needed(binary):
        dep = table.get(key(soname))
        if dep is None:
            missing.append(soname)
        elif dep not in deps:
            deps.append(dep)
    if missing:
        sys.exit("deb_depends: no package in %s provides %s" % (deb_dir, ", ".join(missing)))
    print(", ".join(deps))


if __name__ == "__main__":
    main()
