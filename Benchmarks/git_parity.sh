#!/usr/bin/env bash
# The git-parity scenarios, run by run.sh (or alone: `BENCH_SCENARIOS=git Benchmarks/run.sh`):
#   (e) a 2 GB GGUF (above core.bigFileThreshold, which git streams) and a 500 MB one (below it, which
#       `git cat-file` inflates whole) committed as loose objects and, in copies, packed
#       (`git repack -a -d`), with a staged README change: the pre-commit hook reads the GGUF header;
#   (f) a push of 200 commits that each edit a model whose card has one warning.
# Writes the markdown section to $RES/git-parity.md. Expects BIN, PY, HERE, SC, RES, RUNS, WARMUP and
# the helpers of run.sh and lib.sh (log, readme, callgrind_bin, callgrind_ir) in the environment it is
# sourced from; BENCH_CALLGRIND=0 (or no valgrind) leaves the instructions column empty. BENCH_BEFORE_BIN, when
# set, names an older mlicense binary measured on the same scenarios for comparison.
set -euo pipefail

GGUF_SIZES=${BENCH_GGUF_SIZES:-2G 500M}
PUSH_COMMITS=${BENCH_PUSH_COMMITS:-200}
BEFORE=${BENCH_BEFORE_BIN:-}
F=$SC/f-push-$PUSH_COMMITS

gguf_card() {
    cat <<'CARD'
---
license: llama3.1
base_model: meta-llama/Llama-3.1-8B
base_model_relation: quantized
---

# Llama-3.1-Bench-8B-GGUF

A quantization used by the benchmarks.
CARD
}

for GGUF_SIZE in $GGUF_SIZES; do
    E=$SC/e-gguf-$GGUF_SIZE
    [ -f "$E/packed/.git/bench-base" ] && continue
    log "scenario (e): a $GGUF_SIZE GGUF, loose and packed"
    rm -rf "$E"; mkdir -p "$E/loose"; cd "$E/loose"; git init -q; git config gc.auto 0
    gguf_card > README.md
    "$PY" "$HERE/make_scenarios.py" gguf Llama-3.1-Bench-8B.Q4_K_M.gguf 20000
    truncate -s "$GGUF_SIZE" Llama-3.1-Bench-8B.Q4_K_M.gguf   # header, then zeros (sparse)
    git add -A; git commit -q -m "gguf"
    printf '\nMore text.\n' >> README.md; git add README.md
    git rev-parse HEAD > .git/bench-base
    cd "$E"; cp -a loose packed; cd packed
    git repack -q -a -d; git prune-packed
    [ "$(git count-objects -v | awk '/^count:/ {print $2}')" = 0 ] || { echo "git_parity.sh: objects left loose" >&2; exit 1; }
    cd - >/dev/null
done

if [ ! -f "$F/.git/bench-done" ]; then
    log "scenario (f): $PUSH_COMMITS commits to push, one warning"
    rm -rf "$F" "$F.remote"; mkdir -p "$F"; git init -q --bare "$F.remote"; cd "$F"; git init -q; git config gc.auto 0
    git remote add origin "$F.remote"
    printf 'start\n' > notes.txt; git add -A; git commit -q -m start; git push -q origin HEAD:refs/heads/main
    mkdir -p chat
    for i in $(seq 1 "$PUSH_COMMITS"); do
        # a base mlicense cannot resolve offline: ML103, a warning, and nothing else
        printf -- '---\nlicense: apache-2.0\nbase_model: bench-org/private-base-7b\nbase_model_relation: finetune\n---\n# chat\n\nRevision %s.\n' "$i" > chat/README.md
        git add -A; git commit -q -m "revision $i"
    done
    printf 'refs/heads/main %s refs/heads/main %s\n' "$(git rev-parse HEAD)" "$(git rev-parse origin/main)" > .git/bench-push-lines
    touch .git/bench-done; cd - >/dev/null
fi

section=$RES/git-parity.md
{
    echo "## Git parity: packed GGUF headers and long pushes"
    echo
    echo "(e) \`mlicense hook pre-commit\` with a staged README change next to a GGUF ($GGUF_SIZES) whose header"
    echo "it reads, the GGUF a loose object or in a pack. (f) \`mlicense hook pre-push\` of $PUSH_COMMITS commits that"
    echo "each edit a model with one warning (ML103). \"before\" rows: ${BEFORE:-not measured}."
    echo
    echo "| scenario | mean ± σ (median) | peak RSS | instructions (callgrind) | output |"
    echo "|---|---|---|---|---|"
} > "$section"

measure() { # LABEL DIR STDIN-FILE COMMAND...
    local label=$1 dir=$2 input=$3; shift 3
    cd "$dir"
    if [ "$input" = /dev/null ]; then
        hyperfine --style basic -N -w "$WARMUP" -r "$RUNS" -i --export-json "$RES/gp.json" "$(printf '%q ' "$@")" >&2
    else
        # hyperfine 1.15 (Debian 12) has no --input: the shell redirects (and adds its start-up, ~1 ms)
        hyperfine --style basic -w "$WARMUP" -r "$RUNS" -i --export-json "$RES/gp.json" "exec $(printf '%q ' "$@") < $(printf '%q' "$input")" >&2
    fi
    local mean sd
    mean=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms ± %.1f (median %.1f)" % (r["mean"]*1000, r["stddev"]*1000, r["median"]*1000))' "$RES/gp.json")
    /usr/bin/time -f '%M' -o "$RES/gp.rss" "$@" < "$input" > /dev/null 2> "$RES/gp.err" || true
    local rss; rss=$(( $(tail -1 "$RES/gp.rss") / 1024 ))
    local ir="n/a"
    if [ "$1" != sh ] && [ "${CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
        local nodebug; nodebug=$(callgrind_bin "$1")
        ir=$(CALLGRIND_STDIN=$input callgrind_ir "$nodebug" "${@:2}" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
    fi
    local out; out=$(grep -c 'warning\[' "$RES/gp.err" || true)
    echo "| $label | $mean | $rss MB | $ir | $out warning line(s) |" >> "$section"
    cd - >/dev/null
}

for GGUF_SIZE in $GGUF_SIZES; do
    E=$SC/e-gguf-$GGUF_SIZE
    measure "(e) pre-commit, $GGUF_SIZE GGUF loose" "$E/loose" /dev/null "$BIN" hook pre-commit
    measure "(e) pre-commit, $GGUF_SIZE GGUF packed" "$E/packed" /dev/null "$BIN" hook pre-commit
    [ -n "$BEFORE" ] && measure "(e) before: pre-commit, $GGUF_SIZE GGUF packed" "$E/packed" /dev/null "$BEFORE" hook pre-commit
    # What reading the header through git costs: git cat-file streams a packed blob stored whole only
    # above core.bigFileThreshold (512 MiB); below it, it inflates the blob whole before writing.
    blob=$(git -C "$E/packed" rev-parse HEAD:Llama-3.1-Bench-8B.Q4_K_M.gguf)
    measure "(e) git cat-file blob (packed $GGUF_SIZE GGUF) \| head -c 512K" "$E/packed" /dev/null sh -c "git cat-file blob $blob | head -c 524288"
done
measure "(f) pre-push, $PUSH_COMMITS commits, one warning" "$F" "$F/.git/bench-push-lines" "$BIN" hook pre-push origin "$F.remote"
[ -n "$BEFORE" ] && measure "(f) before: pre-push, $PUSH_COMMITS commits, one warning" "$F" "$F/.git/bench-push-lines" "$BEFORE" hook pre-push origin "$F.remote"
{
    echo
    echo "The output column counts the \`warning[\` lines the hook printed (stderr) in one run."
} >> "$section"
cat "$section" >&2
