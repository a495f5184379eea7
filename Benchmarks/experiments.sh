#!/usr/bin/env bash
# What each start-up measure buys the pre-commit hook, measured side by side in one run.
#
# Builds the release binary five ways (each in its own build folder) and times
# `mlicense hook pre-commit` in scenario (b) of run.sh (run run.sh first) with every build in the
# same hyperfine call:
#   default        as README.md builds it: static Swift stdlib, static libgit2, no CA parsing,
#                  linked at a fixed address (MLICENSE_FIXED_ADDRESS=1);
#   PIE            the same, position-independent (MLICENSE_FIXED_ADDRESS=0, whatever the caller exports);
#   trust anchors  MLICENSE_TRUST_ANCHORS=load: libgit2's mbedTLS parses the system CA bundle;
#   libgit2.so     MLICENSE_LIBGIT2=dynamic: libgit2 and its dependencies as shared libraries;
#   dynamic stdlib without --static-swift-stdlib (runs only where the toolchain is installed).
# Also `mlicense --version` (the process start-up floor of each build) and the installed hook
# script against the binary alone. Appends a section to $BENCH_RESULTS (default
# Benchmarks/RESULTS.md). Building takes a few minutes per variant.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
RUNS=${BENCH_RUNS:-40}
WARMUP=${BENCH_WARMUP:-5}
OUT=${BENCH_RESULTS:-$HERE/RESULTS.md}
REPO=$(ls -d "$WORK"/scenarios/b-lfs-* 2>/dev/null | head -1)
[ -n "$REPO" ] || { echo "experiments.sh: run Benchmarks/run.sh first (it creates the scenarios)" >&2; exit 1; }
RES=$WORK/results-experiments; rm -rf "$RES"; mkdir -p "$RES"

build() { # NAME ENV... -- FLAGS...
    local name=$1; shift
    local env=()
    while [ "$1" != "--" ]; do env+=("$1"); shift; done; shift
    echo "experiments.sh: building $name" >&2
    (cd "$ROOT" && env "${env[@]}" swift build -c release --product mlicense --build-path "$ROOT/.build-exp-$name" "$@" >&2)
}
build default MLICENSE_FIXED_ADDRESS=1 -- --static-swift-stdlib
build pie MLICENSE_FIXED_ADDRESS=0 -- --static-swift-stdlib
build anchors MLICENSE_FIXED_ADDRESS=1 MLICENSE_TRUST_ANCHORS=load -- --static-swift-stdlib
build libgit2so MLICENSE_FIXED_ADDRESS=1 MLICENSE_LIBGIT2=dynamic -- --static-swift-stdlib
build dynstdlib MLICENSE_FIXED_ADDRESS=0 --
bin() { echo "$ROOT/.build-exp-$1/release/mlicense"; }

cd "$REPO"
git reset -q --soft "$(cat .git/bench-base)"
for v in default pie anchors libgit2so dynstdlib; do
    "$(bin $v)" hook pre-commit >/dev/null 2>&1 || { echo "experiments.sh: the $v build's hook fails" >&2; exit 1; }
done
hyperfine -N --style basic -w "$WARMUP" -r "$RUNS" --export-json "$RES/1-hook.json" \
    -n "hook pre-commit: default build" "$(bin default) hook pre-commit" \
    -n "hook pre-commit: position-independent (no MLICENSE_FIXED_ADDRESS)" "$(bin pie) hook pre-commit" \
    -n "hook pre-commit: CA bundle parsed (MLICENSE_TRUST_ANCHORS=load)" "$(bin anchors) hook pre-commit" \
    -n "hook pre-commit: libgit2.so (MLICENSE_LIBGIT2=dynamic)" "$(bin libgit2so) hook pre-commit" \
    -n "hook pre-commit: dynamic Swift stdlib" "$(bin dynstdlib) hook pre-commit" >&2
hyperfine -N --style basic -w "$WARMUP" -r "$RUNS" --export-json "$RES/2-version.json" \
    -n "mlicense --version, default build" "$(bin default) --version" \
    -n "mlicense --version, position-independent" "$(bin pie) --version" \
    -n "mlicense --version, CA bundle parsed" "$(bin anchors) --version" \
    -n "mlicense --version, libgit2.so" "$(bin libgit2so) --version" \
    -n "mlicense --version, dynamic Swift stdlib" "$(bin dynstdlib) --version" >&2
printf '#!/bin/sh\nmlicense=mlicense\ncommand -v mlicense >/dev/null 2>&1 || mlicense=%s\nexec "$mlicense" hook pre-commit "$@"\n' \
    "$(bin default)" > "$RES/hook.sh"
chmod +x "$RES/hook.sh"
hyperfine -N --style basic -w "$WARMUP" -r "$RUNS" --export-json "$RES/3-script.json" \
    -n "installed hook script (sh + exec)" "$RES/hook.sh" \
    -n "binary alone" "$(bin default) hook pre-commit" >&2
for v in default pie anchors libgit2so dynstdlib; do
    /usr/bin/time -f '%M' -o "$RES/rss" "$(bin $v)" hook pre-commit >/dev/null 2>&1 || true
    echo "$v $(stat -c %s "$(bin $v)") $(ldd "$(bin $v)" | wc -l) $(tail -1 "$RES/rss")" >> "$RES/builds.txt"
done

python3 - "$RES" >> "$OUT" <<'PY'
import glob, json, os, sys
res = sys.argv[1]
print("\n## Start-up experiments (Benchmarks/experiments.sh, scenario (b))\n")
print("Each build in its own folder; the rows of one table come from the same hyperfine call.\n")
for p in sorted(glob.glob(os.path.join(res, "*.json"))):
    rows = json.load(open(p))["results"]
    base = rows[0]["median"]
    print("| command | median (ms) | min–max (ms) | user + sys (ms) | vs first row (ms) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['command']} | {r['median']*1000:.2f} | {r['min']*1000:.2f}–{r['max']*1000:.2f} | "
              f"{(r['user']+r['system'])*1000:.2f} | {(r['median']-base)*1000:+.2f} |")
    print()
print("| build | binary (bytes) | shared libraries (ldd) | hook peak RSS (MB) |")
print("|---|---:|---:|---:|")
for line in open(os.path.join(res, "builds.txt")):
    name, size, libs, kb = line.split()
    print(f"| {name} | {int(size):,} | {libs} | {int(kb)/1024:.1f} |")
PY
echo "experiments.sh: appended to $OUT" >&2
