#!/usr/bin/env bash
# Start-up experiments for the pre-commit hook, run after run.sh (uses its scenario (a)):
#   1. dynamic Swift stdlib (.build) vs -Xswiftc -static-stdlib (.build-static);
#   2. SSL_CERT_FILE pointing at an empty file (does libgit2's mbedTLS init still parse the CA bundle?);
#   3. the CA bundle hidden in a private mount namespace (needs root; nothing changes on the host),
#      i.e. what git_libgit2_init costs when it has no bundle to parse.
# Appends a section to $BENCH_RESULTS (default Benchmarks/RESULTS.md).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
OUT=${BENCH_RESULTS:-$HERE/RESULTS.md}
DYN=$ROOT/.build/release/mlicense
STATIC=$ROOT/.build-static/release/mlicense
CA=${BENCH_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

(cd "$ROOT" && swift build -c release >&2 && swift build -c release -Xswiftc -static-stdlib --build-path .build-static >&2)
REPO=$(ls -d "$WORK"/scenarios/a-blob-* | head -1)
RES=$WORK/results-experiments; rm -rf "$RES"; mkdir -p "$RES"
EMPTY=$RES/empty-ca.crt; : > "$EMPTY"
cd "$REPO"
git reset -q --soft "$(cat .git/bench-base)"
"$STATIC" hook pre-commit >/dev/null 2>&1 || { echo "experiments.sh: the static build's hook fails" >&2; exit 1; }

hyperfine -N --style basic -w "$WARMUP" -r "$RUNS" --export-json "$RES/1-visible.json" \
    -n "hook, dynamic stdlib" "$DYN hook pre-commit" \
    -n "hook, -static-stdlib" "$STATIC hook pre-commit" \
    -n "hook, dynamic, SSL_CERT_FILE=empty file" "env SSL_CERT_FILE=$EMPTY SSL_CERT_DIR=$RES $DYN hook pre-commit" \
    -n "git cat-file -p :README.md (floor)" "git cat-file -p :README.md" >&2
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    unshare -m bash -c "mount --bind '$EMPTY' '$CA' && hyperfine -N --style basic -w $WARMUP -r $RUNS --export-json '$RES/2-hidden.json' \
        -n 'hook, dynamic stdlib, CA bundle hidden' '$DYN hook pre-commit' \
        -n 'hook, -static-stdlib, CA bundle hidden' '$STATIC hook pre-commit' \
        -n 'git cat-file -p :README.md (floor), CA hidden' 'git cat-file -p :README.md'" >&2
fi
for b in "$DYN" "$STATIC"; do
    /usr/bin/time -f '%M' -o "$RES/rss" "$b" hook pre-commit >/dev/null 2>&1 || true
    echo "$b $(tail -1 "$RES/rss")" >> "$RES/rss.txt"
done
SSL_CERT_FILE=$EMPTY strace -f -e trace=openat -o "$RES/strace.txt" "$DYN" hook pre-commit >/dev/null 2>&1 || true

python3 - "$RES" "$DYN" "$STATIC" "$CA" >> "$OUT" <<'PY'
import glob, json, os, sys
res, dyn, static, ca = sys.argv[1:5]
print("\n## Experiments (Benchmarks/experiments.sh, scenario (a))\n")
print("| command | median (ms) | min–max (ms) | runs |")
print("|---|---:|---:|---:|")
for p in sorted(glob.glob(os.path.join(res, "*.json"))):
    for r in json.load(open(p))["results"]:
        print(f"| {r['command']} | {r['median']*1000:.2f} | {r['min']*1000:.2f}–{r['max']*1000:.2f} | {len(r['times'])} |")
print()
for line in open(os.path.join(res, "rss.txt")):
    path, kb = line.split()
    print(f"- `{os.path.relpath(path, os.path.dirname(os.path.dirname(os.path.dirname(path))))}`: "
          f"{os.path.getsize(path):,} bytes, peak RSS {int(kb)/1024:.1f} MB")
opened = [l for l in open(os.path.join(res, "strace.txt")) if ca in l]
print(f"- with `SSL_CERT_FILE` set to an empty file, the hook still opens `{ca}`: "
      f"{'yes' if opened else 'no'} (strace)")
PY
tail -30 "$OUT"
