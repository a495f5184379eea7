#!/usr/bin/env bash
# Benchmarks of the ancestry: (g) the pre-commit hook of a model whose base chain is in a 1,000-entry
# mlicense.lock, next to the same repository without the lock (same hyperfine call), and (h)
# `mlicense lock` of a 10-ancestor chain against the local Hub emulator. Run alone, it builds the
# release binary and writes Benchmarks/RESULTS-lock.md; run.sh sources it and calls lock_bench,
# which measures into run.sh's results (BIN, PY, RES, RUNS, WARMUP and lib.sh's helpers).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
ENTRIES=${BENCH_LOCK_ENTRIES:-1000}

# lock_bench: creates the scenarios under $WORK/lock-scenarios (anew each time: it takes a second)
# and measures them with hf, ratio and rss.
lock_bench() {
    local SC=$WORK/lock-scenarios r variant W O S F EMU prep
    local -x HF_HUB_CACHE=$WORK/no-hf-cache HF_ENDPOINT
    rm -rf "$SC"; mkdir -p "$SC"
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
        r=$SC/g-$variant
        mkdir -p "$r"; cd "$r"; git init -q
        card text-generation > README.md
        [ $variant = with-lock ] && cp "$SC/mlicense.lock" .
        [ $variant = chain-lock ] && cp "$SC/mlicense-chain-only.lock" mlicense.lock
        git add -A; git commit -q -m "model"
        "$BIN" install --pre-commit >/dev/null
        card chat > README.md; git add README.md
        git rev-parse HEAD > .git/bench-base
        "$BIN" hook pre-commit 2>"$RES/lock-hook-$variant.txt" || { echo "lock.sh: the hook fails in $r" >&2; cat "$RES/lock-hook-$variant.txt" >&2; exit 1; }
        cd - >/dev/null
    done
    W=$SC/g-with-lock; O=$SC/g-without-lock; S=$SC/g-chain-lock
    grep -q "ML103" "$RES/lock-hook-without-lock.txt" || { echo "lock.sh: without the lock the base should be unknown" >&2; exit 1; }
    [ ! -s "$RES/lock-hook-with-lock.txt" ] || { echo "lock.sh: with the lock the chain should resolve silently" >&2; cat "$RES/lock-hook-with-lock.txt" >&2; exit 1; }

    prep="git -C $W reset -q --soft $(cat "$W/.git/bench-base") && git -C $O reset -q --soft $(cat "$O/.git/bench-base")"
    hf lock-commit -w "$WARMUP" -r "$RUNS" --prepare "$prep" \
        -n "(g) git commit, hook, $ENTRIES-entry lock" "git -C $W commit -q -m bench" \
        -n "(g) git commit, hook, no lock" "git -C $O commit -q -m bench" \
        -n "(g) git commit, no hook" "git -C $O -c core.hooksPath=/dev/null commit -q -m bench"
    eval "$prep"
    ratio "(g) time the $ENTRIES-entry lock adds to a commit" lock-commit "(g) git commit, hook, $ENTRIES-entry lock" "(g) git commit, hook, no lock" "added ≤ 1 ms"
    ratio "(g) time the hook adds to a commit (no lock)" lock-commit "(g) git commit, hook, no lock" "(g) git commit, no hook" "added ≤ 10 ms"
    hf lock-hook -w "$WARMUP" -r "$RUNS" -i \
        -n "(g) mlicense hook pre-commit, $ENTRIES-entry lock" "cd $W && $BIN hook pre-commit" \
        -n "(g) mlicense hook pre-commit, lock of the chain's 11 entries only" "cd $S && $BIN hook pre-commit" \
        -n "(g) mlicense hook pre-commit, no lock" "cd $O && $BIN hook pre-commit 2>/dev/null"
    ratio "(g) the lock's size: $ENTRIES entries vs the chain's 11" lock-hook "(g) mlicense hook pre-commit, $ENTRIES-entry lock" "(g) mlicense hook pre-commit, lock of the chain's 11 entries only" "added ≤ 1 ms"
    ratio "(g) hook with the lock vs without" lock-hook "(g) mlicense hook pre-commit, $ENTRIES-entry lock" "(g) mlicense hook pre-commit, no lock" "added ≤ 1 ms"
    rss "(g) mlicense hook pre-commit, $ENTRIES-entry lock" sh -c "cd $W && $BIN hook pre-commit"

    # (h) `mlicense lock` of the ten-ancestor chain against the emulator.
    F=$SC/h-lock; mkdir -p "$F"; card chat > "$F/README.md"; git -C "$F" init -q  # its own root, not the enclosing checkout
    HUB_EMULATOR_DETACHED=1 "$PY" -u "$ROOT/Tests/Fixtures/hub-emulator/hub_emulator.py" "$SC/hub.json" > "$SC/hub.port" < /dev/null &
    EMU=$!
    trap 'kill $EMU 2>/dev/null || true' EXIT
    for _ in $(seq 50); do [ -s "$SC/hub.port" ] && break; sleep 0.1; done
    HF_ENDPOINT="http://127.0.0.1:$(cut -d' ' -f2 "$SC/hub.port")"
    "$BIN" lock "$F" >&2
    grep -c '^  - id:' "$F/mlicense.lock" | grep -qx 11 || { echo "lock.sh: the lock should have 11 entries" >&2; exit 1; }
    hf lock-lock -N -w 2 -r "$RUNS" \
        -n "(h) mlicense lock (10-ancestor chain, Hub emulator)" "$BIN lock $F" \
        -n "(h) mlicense lock --check (10-ancestor chain, Hub emulator)" "$BIN lock $F --check"
    kill $EMU 2>/dev/null || true
    trap - EXIT
    stat -c %s "$SC/mlicense.lock" > "$RES/lock-bytes"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    RUNS=${BENCH_RUNS:-30}
    WARMUP=${BENCH_WARMUP:-5}
    OUT=${BENCH_RESULTS:-$HERE/RESULTS-lock.md}
    need_tools lock.sh hyperfine git "$PY"
    build_release
    RES=$WORK/lock-results
    rm -rf "$RES"; mkdir -p "$RES"
    : > "$RES/rss.tsv"; : > "$RES/ratios.tsv"
    bench_git_env
    lock_bench
    {
        echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "nproc: $(nproc)"
        echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
        echo "swift: $(swift --version 2>&1 | head -1)"
        echo "git: $(git --version)"
        echo "hyperfine: $(hyperfine --version)"
        echo "binary: $BIN ($(stat -c %s "$BIN") bytes; build flags: ${BUILD_FLAGS:-none})"
        echo "shared libraries of the binary: $(ldd "$BIN" | awk '{print $1}' | tr '\n' ' ')"
        echo "lock: $ENTRIES entries, $(cat "$RES/lock-bytes") bytes; runs $RUNS, warm-up $WARMUP"
    } > "$RES/env.txt"
    "$PY" "$HERE/report.py" "$RES" | sed 's/^# mlicense benchmarks/# mlicense benchmarks: the ancestry and the lock/; s/Generated by `Benchmarks\/run.sh`/Generated by `Benchmarks\/lock.sh`/' > "$OUT"
    cat "$OUT"
fi
