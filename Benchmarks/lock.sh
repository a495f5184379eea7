#!/usr/bin/env bash
# Benchmarks of the ancestry: (e) the pre-commit hook of a model whose base chain is in a 1,000-entry
# mlicense.lock, next to the same repository without the lock (same hyperfine call), and (f)
# `mlicense lock` of a 10-ancestor chain against the local Hub emulator. Writes Benchmarks/RESULTS-lock.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-5}
ENTRIES=${BENCH_LOCK_ENTRIES:-1000}
BUILD_FLAGS=${BENCH_BUILD_FLAGS---static-swift-stdlib}
BUILD_PATH=${BENCH_BUILD_PATH:-$ROOT/.build}
OUT=${BENCH_RESULTS:-$HERE/RESULTS-lock.md}
PY=${BENCH_PYTHON:-python3}

for tool in hyperfine git "$PY"; do
    command -v "$tool" >/dev/null || { echo "lock.sh: $tool is missing (apt-get install -y hyperfine)" >&2; exit 1; }
done
log() { printf '\n== %s\n' "$*" >&2; }

log "building (swift build -c release $BUILD_FLAGS)"
(cd "$ROOT" && swift build -c release --build-path "$BUILD_PATH" $BUILD_FLAGS >&2)
BIN=$BUILD_PATH/release/mlicense
export PATH="$BUILD_PATH/release:$PATH"

SC=$WORK/lock-scenarios
RES=$WORK/lock-results
rm -rf "$SC" "$RES"; mkdir -p "$SC" "$RES"
: > "$RES/rss.tsv"; : > "$RES/ratios.tsv"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home HF_HUB_CACHE=$WORK/no-hf-cache
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# A chain of ten Apache-2.0 finetunes (org/chain-0 → … → org/chain-9 → mistralai/Mistral-7B-v0.1)
# and unrelated entries up to $ENTRIES, as `mlicense lock` writes them.
"$PY" - "$SC" "$ENTRIES" <<'PY'
import json, sys
sc, n = sys.argv[1], int(sys.argv[2])
def q(s): return json.dumps(s)
chain = [(f"org/chain-{i}", "apache-2.0", [f"org/chain-{i + 1}" if i < 9 else "mistralai/Mistral-7B-v0.1"]) for i in range(10)]
chain.append(("mistralai/Mistral-7B-v0.1", "apache-2.0", []))
other = [(f"zoo/model-{i:05d}", "apache-2.0", [f"zoo/model-{i + 1:05d}"] if i % 5 else []) for i in range(n - len(chain))]
entries = sorted(chain + other, key=lambda e: (e[0].lower(), e[0]))
out = ["# mlicense.lock (benchmark)", "version: 1", "ancestors:"]
for i, (id, lic, bases) in enumerate(entries):
    out += [f"  - id: {q(id)}", f"    revision: {q(format(i, '040x'))}", f"    license: {q(lic)}"]
    out += ([f"    relation: {q('finetune')}", "    bases:"] + [f"      - {q(b)}" for b in bases]) if bases else ["    bases: []"]
    out.append(f"    source: {q('hub')}")
open(sc + "/mlicense.lock", "w").write("\n".join(out) + "\n")
keep, lines = True, []
for line in out:
    if line.startswith("  - id: "):
        keep = "org/chain-" in line or "mistralai/" in line
    elif not line.startswith("    "):
        keep = True
    if keep:
        lines.append(line)
open(sc + "/mlicense-chain-only.lock", "w").write("\n".join(lines) + "\n")
models = {e[0]: {"sha": format(i, "040x"), "cardData": {"license": e[1], **({"base_model": e[2][0]} if e[2] else {})},
                 "files": {"README.md": "---\nlicense: " + e[1] + "\n---\n"}} for i, e in enumerate(chain)}
json.dump({"models": models}, open(sc + "/hub.json", "w"))
PY

card() { printf -- '---\nlicense: apache-2.0\nlicense_link: https://www.apache.org/licenses/LICENSE-2.0\nbase_model: org/chain-0\nbase_model_relation: finetune\ntags:\n- %s\n---\n# bench-chat\n' "$1"; }
for variant in with-lock chain-lock without-lock; do
    r=$SC/e-$variant
    mkdir -p "$r"; cd "$r"; git init -q
    card text-generation > README.md
    [ $variant = with-lock ] && cp "$SC/mlicense.lock" .
    [ $variant = chain-lock ] && cp "$SC/mlicense-chain-only.lock" mlicense.lock
    git add -A; git commit -q -m "model"
    "$BIN" install --pre-commit >/dev/null
    card chat > README.md; git add README.md
    git rev-parse HEAD > .git/bench-base
    "$BIN" hook pre-commit 2>"$RES/hook-$variant.txt" || { echo "lock.sh: the hook fails in $r" >&2; cat "$RES/hook-$variant.txt" >&2; exit 1; }
    cd - >/dev/null
done
W=$SC/e-with-lock; O=$SC/e-without-lock; S=$SC/e-chain-lock
grep -q "ML103" "$RES/hook-without-lock.txt" || { echo "lock.sh: without the lock the base should be unknown" >&2; exit 1; }
[ ! -s "$RES/hook-with-lock.txt" ] || { echo "lock.sh: with the lock the chain should resolve silently" >&2; cat "$RES/hook-with-lock.txt" >&2; exit 1; }

prep="git -C $W reset -q --soft $(cat "$W/.git/bench-base") && git -C $O reset -q --soft $(cat "$O/.git/bench-base")"
log "hyperfine: (e) git commit"
hyperfine --style basic --export-json "$RES/01-commit.json" -w "$WARMUP" -r "$RUNS" --prepare "$prep" \
    -n "(e) git commit, hook, $ENTRIES-entry lock" "git -C $W commit -q -m bench" \
    -n "(e) git commit, hook, no lock" "git -C $O commit -q -m bench" \
    -n "(e) git commit, no hook" "git -C $O -c core.hooksPath=/dev/null commit -q -m bench" >&2
eval "$prep"
printf '%s\t%s\t%s\t%s\t%s\n' "(e) time the $ENTRIES-entry lock adds to a commit" commit "(e) git commit, hook, $ENTRIES-entry lock" "(e) git commit, hook, no lock" "added ≤ 1 ms" >> "$RES/ratios.tsv"
printf '%s\t%s\t%s\t%s\t%s\n' "(e) time the hook adds to a commit (no lock)" commit "(e) git commit, hook, no lock" "(e) git commit, no hook" "added ≤ 10 ms" >> "$RES/ratios.tsv"
log "hyperfine: (e) mlicense hook pre-commit"
hyperfine --style basic --export-json "$RES/02-hook.json" -w "$WARMUP" -r "$RUNS" -i \
    -n "(e) mlicense hook pre-commit, $ENTRIES-entry lock" "cd $W && $BIN hook pre-commit" \
    -n "(e) mlicense hook pre-commit, lock of the chain's 11 entries only" "cd $S && $BIN hook pre-commit" \
    -n "(e) mlicense hook pre-commit, no lock" "cd $O && $BIN hook pre-commit 2>/dev/null" >&2
printf '%s\t%s\t%s\t%s\t%s\n' "(e) the lock's size: $ENTRIES entries vs the chain's 11" hook "(e) mlicense hook pre-commit, $ENTRIES-entry lock" "(e) mlicense hook pre-commit, lock of the chain's 11 entries only" "added ≤ 1 ms" >> "$RES/ratios.tsv"
printf '%s\t%s\t%s\t%s\t%s\n' "(e) hook with the lock vs without" hook "(e) mlicense hook pre-commit, $ENTRIES-entry lock" "(e) mlicense hook pre-commit, no lock" "added ≤ 1 ms" >> "$RES/ratios.tsv"
/usr/bin/time -f '%M' -o "$RES/rss.tmp" sh -c "cd $W && $BIN hook pre-commit" >/dev/null 2>&1 || true
printf '%s\t%s\n' "(e) mlicense hook pre-commit, $ENTRIES-entry lock" "$(tail -1 "$RES/rss.tmp")" >> "$RES/rss.tsv"

# (f) `mlicense lock` of the ten-ancestor chain against the emulator.
F=$SC/f-lock; mkdir -p "$F"; card chat > "$F/README.md"; git -C "$F" init -q  # its own root, not the enclosing checkout
HUB_EMULATOR_DETACHED=1 "$PY" -u "$ROOT/Tests/Fixtures/hub-emulator/hub_emulator.py" "$SC/hub.json" > "$SC/hub.port" < /dev/null &
EMU=$!
trap 'kill $EMU 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$SC/hub.port" ] && break; sleep 0.1; done
export HF_ENDPOINT="http://127.0.0.1:$(cut -d' ' -f2 "$SC/hub.port")"
"$BIN" lock "$F" >&2
grep -c '^  - id:' "$F/mlicense.lock" | grep -qx 11 || { echo "lock.sh: the lock should have 11 entries" >&2; exit 1; }
log "hyperfine: (f) mlicense lock"
hyperfine --style basic --export-json "$RES/03-lock.json" -N -w 2 -r "$RUNS" \
    -n "(f) mlicense lock (10-ancestor chain, Hub emulator)" "$BIN lock $F" \
    -n "(f) mlicense lock --check (10-ancestor chain, Hub emulator)" "$BIN lock $F --check" >&2
HF_HUB_OFFLINE=1 "$BIN" lock "$F" >/dev/null 2>&1 || true
"$BIN" lock "$F" >/dev/null

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "swift: $(swift --version 2>&1 | head -1)"
    echo "git: $(git --version)"
    echo "hyperfine: $(hyperfine --version)"
    echo "binary: $BIN ($(stat -c %s "$BIN") bytes; build flags: ${BUILD_FLAGS:-none})"
    echo "shared libraries of the binary: $(ldd "$BIN" | awk '{print $1}' | tr '\n' ' ')"
    echo "lock: $ENTRIES entries, $(stat -c %s "$SC/mlicense.lock") bytes; runs $RUNS, warm-up $WARMUP"
} > "$RES/env.txt"
"$PY" "$HERE/report.py" "$RES" | sed 's/^# mlicense benchmarks/# mlicense benchmarks: the ancestry and the lock/; s/Generated by `Benchmarks\/run.sh`/Generated by `Benchmarks\/lock.sh`/' > "$OUT"
cat "$OUT"
