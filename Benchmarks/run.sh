#!/usr/bin/env bash
# Benchmarks for mlicense: builds the release binary, creates the scenarios under $BENCH_WORK
# (default Benchmarks/work, gitignored), measures with hyperfine, GNU time and callgrind, and writes
# Benchmarks/RESULTS.md. See Benchmarks/README.md for the knobs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"                       # WORK, BUILD_FLAGS, BUILD_PATH, PY and the shared helpers
WEIGHT_SIZE=${BENCH_WEIGHT_SIZE:-2G}        # size of the weight file in scenarios (a) and (b)
MONO_COUNT=${BENCH_MONO_COUNT:-5000}        # model folders in scenario (c)
MONO_LARGE=${BENCH_MONO_LARGE:-50000}       # model folders in the large monorepo of (c); 0 skips it
LARGE_RUNS=${BENCH_LARGE_RUNS:-5}           # counted runs of the growth comparison (both sizes)
GGUF_TOKENS=${BENCH_GGUF_TOKENS:-150000}    # tokenizer.ggml.tokens entries in scenario (d)
RUNS=${BENCH_RUNS:-20}                      # counted runs for the fast commands
SLOW_RUNS=${BENCH_SLOW_RUNS:-10}            # counted runs for the monorepo commands (>= 10)
WARMUP=${BENCH_WARMUP:-3}
CALLGRIND=${BENCH_CALLGRIND:-1}             # 0 skips the instruction counts (so does a missing valgrind)
AUDIT_LINES=${BENCH_AUDIT_LINES:-100000}    # JSONL lines of the audit corpus (audit.sh); 0 skips it
ENTRIES=${BENCH_LOCK_ENTRIES:-1000}         # entries of the lock in (g) (lock.sh); 0 skips (g) and (h)
OUT=${BENCH_RESULTS:-$HERE/RESULTS.md}

need_tools run.sh hyperfine git "$PY"
[ "$CALLGRIND" = 0 ] || command -v valgrind >/dev/null || { echo "run.sh: valgrind is missing: no instruction counts" >&2; CALLGRIND=0; }

# ---------------------------------------------------------------- build
build_release

SC=$WORK/scenarios
RES=$WORK/results
rm -rf "$RES"; mkdir -p "$SC" "$RES"
: > "$RES/rss.tsv"; : > "$RES/ratios.tsv"; : > "$RES/setup.tsv"; : > "$RES/callgrind.tsv"; : > "$RES/targets.tsv"
bench_git_env
HAVE_LFS=0; git lfs version >/dev/null 2>&1 && HAVE_LFS=1

readme() { # LICENSE BASE TAG
    cat <<CARD
---
license: $1
base_model: $2
base_model_relation: finetune
library_name: transformers
pipeline_tag: text-generation
language:
- en
tags:
- $3
---

# Bench fine-tune

A fine-tune of $2 used by the benchmarks.
CARD
}

# model_repo DIR blob|lfs: a model repository with a weight file of $WEIGHT_SIZE, committed, then a
# staged README change.
model_repo() {
    local dir=$1 mode=$2
    rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
    git init -q
    readme apache-2.0 mistralai/Mistral-7B-v0.1 text-generation > README.md
    printf '{"architectures": ["MistralForCausalLM"], "model_type": "mistral", "torch_dtype": "bfloat16"}\n' > config.json
    # A sparse file reads as zeros: creating it is instant and zlib deflates zeros fast, so
    # `git add` costs mostly SHA-1 (random data took ~68 s to add on the reference machine).
    truncate -s "$WEIGHT_SIZE" model.safetensors
    git add README.md config.json
    if [ "$mode" = lfs ]; then
        if [ "$HAVE_LFS" = 1 ]; then
            git lfs install --local >/dev/null
            git lfs track '*.safetensors' >/dev/null
            git add .gitattributes
            timed "git add model.safetensors ($WEIGHT_SIZE, LFS clean filter)" git add model.safetensors
        else
            # No git-lfs: a stand-in clean filter writes the pointer git-lfs would write (without
            # storing the object), and `git add` runs it once, as with git-lfs. The index entry then
            # has the work-tree file's stat data, so a commit only lstat()s the weight file. (A
            # pointer staged with `git update-index --cacheinfo` has no stat data: every commit,
            # with and without the hook, re-hashed the whole weight file to refresh the index.)
            printf '*.safetensors filter=lfs diff=lfs merge=lfs -text\n' > .gitattributes
            git add .gitattributes
            cat > .git/bench-lfs-clean.py <<'PY'
import hashlib, sys
h, n = hashlib.sha256(), 0
for chunk in iter(lambda: sys.stdin.buffer.read(1 << 20), b""):
    h.update(chunk)
    n += len(chunk)
sys.stdout.write("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (h.hexdigest(), n))
PY
            git config filter.lfs.clean "$PY .git/bench-lfs-clean.py"   # filters run at the work tree's top
            timed "git add model.safetensors ($WEIGHT_SIZE, stand-in LFS clean filter)" git add model.safetensors
            git cat-file -p :model.safetensors | grep -q '^oid sha256:' || { echo "run.sh: no LFS pointer staged in $dir" >&2; exit 1; }
        fi
    else
        timed "git add model.safetensors ($WEIGHT_SIZE, real blob)" git add model.safetensors
    fi
    git commit -q -m "initial model"
    readme apache-2.0 mistralai/Mistral-7B-v0.1 chat > README.md
    git add README.md
    git rev-parse HEAD > .git/bench-base
    cd - >/dev/null
}

# ---------------------------------------------------------------- git-parity scenarios alone
# `BENCH_SCENARIOS=git` runs only (e) and (f) (git_parity.sh) and replaces their section of $OUT.
if [ "${BENCH_SCENARIOS:-all}" = git ]; then
    source "$HERE/git_parity.sh"
    "$PY" - "$OUT" "$RES/git-parity.md" <<'PY'
import sys
out, section = sys.argv[1], open(sys.argv[2]).read()
text = open(out).read()
start = text.find("## Git parity:")
if start >= 0:
    end = text.find("\n## ", start + 1)
    text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
else:
    text = text.rstrip("\n") + "\n\n" + section
open(out, "w").write(text)
PY
    exit 0
fi

# ---------------------------------------------------------------- scenarios
# mono_repo DIR COUNT: a monorepo of COUNT model folders, committed and gc'ed.
mono_repo() {
    local dir=$1 count=$2
    rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"; git init -q; git config gc.auto 0  # no background gc racing the timed one
    "$PY" "$HERE/make_scenarios.py" mono "$dir" "$count"
    timed "git add -A (monorepo, $count models)" git add -A
    timed "git commit (monorepo, $count models)" git commit -q -m "models"
    timed "git gc (monorepo, $count models)" git gc -q
    touch .git/bench-done; cd - >/dev/null
}

A=$SC/a-blob-$WEIGHT_SIZE; B=$SC/b-lfs-$WEIGHT_SIZE; C=$SC/c-mono-$MONO_COUNT; CL=$SC/c-mono-$MONO_LARGE; D=$SC/d-merge-$GGUF_TOKENS
if [ ! -f "$A/.git/bench-base" ]; then log "scenario (a): $WEIGHT_SIZE weight file as a git blob"; model_repo "$A" blob; fi
# (b) made before the stand-in clean filter (a pointer without stat data in the index) is made again
if [ ! -f "$B/.git/bench-base" ] || ! git -C "$B" config filter.lfs.clean >/dev/null; then
    log "scenario (b): $WEIGHT_SIZE weight file as a Git LFS pointer"; model_repo "$B" lfs
fi
if [ ! -f "$C/.git/bench-done" ]; then log "scenario (c): monorepo of $MONO_COUNT models"; mono_repo "$C" "$MONO_COUNT"; fi
if [ "$MONO_LARGE" != 0 ] && [ ! -f "$CL/.git/bench-done" ]; then
    log "scenario (c): monorepo of $MONO_LARGE models"; mono_repo "$CL" "$MONO_LARGE"
fi
if [ ! -f "$D/.git/bench-done" ]; then
    log "scenario (d): merge with a mergekit config and a GGUF of $GGUF_TOKENS tokens"
    rm -rf "$D"; mkdir -p "$D"; cd "$D"; git init -q
    cat > README.md <<'CARD'
---
license: llama3.1
base_model:
- meta-llama/Llama-3.1-8B-Instruct
- meta-llama/Llama-3.1-8B
base_model_relation: merge
library_name: transformers
tags:
- mergekit
- merge
---

# Llama-3.1-Bench-Merge-8B

A SLERP merge made with mergekit.
CARD
    cat > mergekit_config.yml <<'YML'
slices:
  - sources:
      - model: meta-llama/Llama-3.1-8B-Instruct
        layer_range: [0, 32]
      - model: meta-llama/Llama-3.1-8B
        layer_range: [0, 32]
merge_method: slerp
base_model: meta-llama/Llama-3.1-8B
parameters:
  t:
    - filter: self_attn
      value: [0, 0.5, 0.3, 0.7, 1]
    - filter: mlp
      value: [1, 0.5, 0.7, 0.3, 0]
    - value: 0.5
dtype: bfloat16
YML
    "$PY" "$HERE/make_scenarios.py" gguf "$D/Llama-3.1-Bench-Merge-8B.Q4_K_M.gguf" "$GGUF_TOKENS"
    git add -A; git commit -q -m "merge"
    touch .git/bench-done; cd - >/dev/null
fi

# ---------------------------------------------------------------- hooks
# Baseline hook folders: (a) none; (b) git-lfs's own hooks only. mlicense goes into .git/hooks.
for repo in "$A" "$B"; do
    rm -rf "$repo/.git/bench-hooks-without"; mkdir -p "$repo/.git/bench-hooks-without"
    rm -f "$repo/.git/hooks/pre-commit" "$repo/.git/hooks/pre-commit.mlicense-chained"
    find "$repo/.git/hooks" -maxdepth 1 -type f ! -name '*.sample' ! -name 'pre-commit*' ! -name '*.mlicense-chained' \
        -exec cp {} "$repo/.git/bench-hooks-without/" \;
    (cd "$repo" && "$BIN" install --pre-commit >/dev/null)
    (cd "$repo" && git reset -q --soft "$(cat .git/bench-base)" && "$BIN" hook pre-commit >&2) \
        || { echo "run.sh: mlicense hook pre-commit fails in $repo; the commit benchmark needs it to pass" >&2; exit 1; }
done

# ---------------------------------------------------------------- measurements

for s in a b; do
    repo=$A; [ $s = b ] && repo=$B
    base=$(cat "$repo/.git/bench-base")
    cd "$repo"
    what="($s) $( [ $s = a ] && echo "blob" || echo "LFS")"
    hf "commit-$s" -w "$WARMUP" -r "$RUNS" \
        --prepare "git reset -q --soft $base" \
        -n "$what: git commit, no mlicense hook" "git -c core.hooksPath=$repo/.git/bench-hooks-without commit -q -m bench" \
        -n "$what: git commit, mlicense pre-commit hook" "git commit -q -m bench"
    git reset -q --soft "$base"
    ratio "$what: time the hook adds to git commit" "commit-$s" "$what: git commit, mlicense pre-commit hook" "$what: git commit, no mlicense hook" "added ≤ 10 ms"
    hf "hook-$s" -N -w "$WARMUP" -r "$RUNS" \
        -n "$what: mlicense hook pre-commit" "$BIN hook pre-commit" \
        -n "$what: git cat-file -p :README.md (floor)" "git cat-file -p :README.md" \
        -n "$what: git diff --cached --name-only (floor)" "git diff --cached --name-only"
    rss "$what: mlicense hook pre-commit" "$BIN" hook pre-commit
    rss "$what: git commit, no mlicense hook" sh -c "git -c core.hooksPath=$repo/.git/bench-hooks-without commit -q -m bench; git reset -q --soft $base"
    cd - >/dev/null
done

cd "$C"
hf "mono" -w 1 -r "$SLOW_RUNS" -i \
    -n "(c) mlicense check . --format json (work tree)" "$BIN check . --format json" \
    -n "(c) mlicense check . --commit HEAD --format json" "$BIN check . --commit HEAD --format json" \
    -n "(c) Python: ls-tree + cat-file --batch + CSafeLoader" "$PY $HERE/py_baseline.py"
ratio "(c) check (work tree) vs Python baseline" mono "(c) mlicense check . --format json (work tree)" "(c) Python: ls-tree + cat-file --batch + CSafeLoader" "≤ 0.20 (≥ 5× faster)"
ratio "(c) check --commit HEAD vs Python baseline" mono "(c) mlicense check . --commit HEAD --format json" "(c) Python: ls-tree + cat-file --batch + CSafeLoader" "≤ 0.20 (≥ 5× faster)"
printf '%s\t%s\t%s\t%s\n' "(c) check --commit HEAD, $MONO_COUNT models" mono "(c) mlicense check . --commit HEAD --format json" 150 >> "$RES/targets.tsv"
rss "(c) mlicense check . --format json (work tree)" "$BIN" check . --format json
rss "(c) mlicense check . --commit HEAD --format json" "$BIN" check . --commit HEAD --format json
rss "(c) Python: ls-tree + cat-file --batch + CSafeLoader" "$PY" "$HERE/py_baseline.py"
"$BIN" check . --format json > "$RES/mono-check.json" || true
cd - >/dev/null

# Growth: both monorepo sizes in one hyperfine call (fewer runs: the large one takes seconds).
if [ "$MONO_LARGE" != 0 ]; then
    small="$MONO_COUNT models"; large="$MONO_LARGE models"
    hf "growth" -w 1 -r "$LARGE_RUNS" -i \
        -n "(c) $small: check --commit HEAD --format json" "cd $C && $BIN check . --commit HEAD --format json" \
        -n "(c) $large: check --commit HEAD --format json" "cd $CL && $BIN check . --commit HEAD --format json" \
        -n "(c) $small: check --format json (work tree)" "cd $C && $BIN check . --format json" \
        -n "(c) $large: check --format json (work tree)" "cd $CL && $BIN check . --format json" \
        -n "(c) $small: Python baseline" "cd $C && $PY $HERE/py_baseline.py" \
        -n "(c) $large: Python baseline" "cd $CL && $PY $HERE/py_baseline.py"
    ratio "(c) growth: check --commit HEAD, $large / $small" growth "(c) $large: check --commit HEAD --format json" "(c) $small: check --commit HEAD --format json" "≤ $((MONO_LARGE / MONO_COUNT)) (linear)"
    ratio "(c) growth: check (work tree), $large / $small" growth "(c) $large: check --format json (work tree)" "(c) $small: check --format json (work tree)" "≤ $((MONO_LARGE / MONO_COUNT)) (linear)"
    ratio "(c) growth: Python baseline, $large / $small" growth "(c) $large: Python baseline" "(c) $small: Python baseline" "– (reference)"
    ratio "(c) $large: check --commit HEAD vs Python baseline" growth "(c) $large: check --commit HEAD --format json" "(c) $large: Python baseline" "≤ 0.20 (≥ 5× faster)"
    ratio "(c) $large: check (work tree) vs Python baseline" growth "(c) $large: check --format json (work tree)" "(c) $large: Python baseline" "≤ 0.20 (≥ 5× faster)"
    cd "$CL"
    rss "(c) $large: check --commit HEAD --format json" "$BIN" check . --commit HEAD --format json
    rss "(c) $large: check --format json (work tree)" "$BIN" check . --format json
    rss "(c) $large: Python baseline" "$PY" "$HERE/py_baseline.py"
    cd - >/dev/null
fi

cd "$D"
hf "merge" -N -w "$WARMUP" -r "$RUNS" -i \
    -n "(d) mlicense check . --format json (mergekit + GGUF)" "$BIN check . --format json"
rss "(d) mlicense check . --format json (mergekit + GGUF)" "$BIN" check . --format json
"$BIN" check . --format json > "$RES/merge-check.json" || true
cd - >/dev/null

# (g) and (h): the hook with a 1,000-entry lock and `mlicense lock` (lock.sh).
if [ "$ENTRIES" != 0 ]; then
    source "$HERE/lock.sh"
    lock_bench
fi

# Instruction counts: one run each under callgrind (robust to the machine's noise).
if [ "$CALLGRIND" != 0 ]; then
    (cd "$A" && git reset -q --soft "$(cat .git/bench-base)" && callgrind "(a) blob: mlicense hook pre-commit" "$BIN" hook pre-commit)
    (cd "$B" && git reset -q --soft "$(cat .git/bench-base)" && callgrind "(b) LFS: mlicense hook pre-commit" "$BIN" hook pre-commit)
    (cd "$C" && callgrind "(c) mlicense check . --commit HEAD --format json ($MONO_COUNT models)" "$BIN" check . --commit HEAD --format json)
    (cd "$D" && callgrind "(d) mlicense check . --format json (mergekit + GGUF)" "$BIN" check . --format json)
fi

# The audit (audit.sh), at a size that keeps this run short.
if [ "$AUDIT_LINES" != 0 ]; then
    source "$HERE/audit.sh"
    audit_bench "$AUDIT_LINES" "$RES/audit.md" "## Audit: $AUDIT_LINES JSONL lines (audit.sh)"
fi

# ---------------------------------------------------------------- report
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "kernel: $(uname -sr)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "swift: $(swift --version 2>&1 | head -1)"
    echo "git: $(git --version)"
    echo "git-lfs: $(git lfs version 2>/dev/null || echo 'not installed (a stand-in clean filter writes the pointer)')"
    echo "hyperfine: $(hyperfine --version)"
    echo "python: $($PY --version 2>&1), PyYAML $($PY -c 'import yaml; print(yaml.__version__, "with libyaml" if yaml.__with_libyaml__ else "pure")')"
    echo "libgit2: $(pkg-config --modversion libgit2 2>/dev/null || echo '?'), libyaml: $(pkg-config --modversion yaml-0.1 2>/dev/null || echo '?')"
    echo "valgrind: $( [ "$CALLGRIND" != 0 ] && valgrind --version || echo 'not used')"
    echo "binary: $BIN ($(stat -c %s "$BIN") bytes; build flags: ${BUILD_FLAGS:-none})"
    echo "sizes: weight $WEIGHT_SIZE, monorepo $MONO_COUNT and $MONO_LARGE models, GGUF $GGUF_TOKENS tokens ($(stat -c %s "$D"/*.gguf) bytes), lock $ENTRIES entries, audit $AUDIT_LINES lines"
    echo "runs: $RUNS (monorepo $SLOW_RUNS, growth $LARGE_RUNS), warm-up $WARMUP; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RES/env.txt"
"$PY" "$HERE/report.py" "$RES" > "$OUT"
if [ -s "$RES/audit.md" ]; then { echo; cat "$RES/audit.md"; } >> "$OUT"; fi
source "$HERE/git_parity.sh"
{ echo; cat "$RES/git-parity.md"; } >> "$OUT"
cat "$OUT"
