#!/usr/bin/env bash
# Benchmarks for mlicense: builds the release binary, creates the scenarios under $BENCH_WORK
# (default Benchmarks/work, gitignored), measures with hyperfine and GNU time, and writes
# Benchmarks/RESULTS.md. See Benchmarks/README.md for the knobs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
WEIGHT_SIZE=${BENCH_WEIGHT_SIZE:-2G}        # size of the weight file in scenarios (a) and (b)
MONO_COUNT=${BENCH_MONO_COUNT:-5000}        # model folders in scenario (c)
GGUF_TOKENS=${BENCH_GGUF_TOKENS:-150000}    # tokenizer.ggml.tokens entries in scenario (d)
RUNS=${BENCH_RUNS:-20}                      # counted runs for the fast commands
SLOW_RUNS=${BENCH_SLOW_RUNS:-10}            # counted runs for the monorepo commands (>= 10)
WARMUP=${BENCH_WARMUP:-3}
BUILD_FLAGS=${BENCH_BUILD_FLAGS---static-swift-stdlib}   # what README.md builds with; set it empty for a dynamic build
BUILD_PATH=${BENCH_BUILD_PATH:-$ROOT/.build}
OUT=${BENCH_RESULTS:-$HERE/RESULTS.md}
PY=${BENCH_PYTHON:-python3}

for tool in hyperfine git "$PY"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install -y hyperfine)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "run.sh: GNU time is missing (apt-get install -y time)" >&2; exit 1; }

log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
log "building (swift build -c release $BUILD_FLAGS)"
(cd "$ROOT" && swift build -c release --build-path "$BUILD_PATH" $BUILD_FLAGS >&2)
BIN=$BUILD_PATH/release/mlicense
"$BIN" --version >/dev/null
# The installed hook runs `mlicense` from PATH when there is one: make it this build.
export PATH="$BUILD_PATH/release:$PATH"

SC=$WORK/scenarios
RES=$WORK/results
rm -rf "$RES"; mkdir -p "$SC" "$RES"
: > "$RES/rss.tsv"; : > "$RES/ratios.tsv"; : > "$RES/setup.tsv"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
HAVE_LFS=0; git lfs version >/dev/null 2>&1 && HAVE_LFS=1

# timed SETUP-LABEL COMMAND...: one run under GNU time, recorded for the setup table
timed() {
    local label=$1; shift
    /usr/bin/time -f '%e %M' -o "$RES/time.tmp" "$@"
    printf '%s\t%s\n' "$label" "$(cat "$RES/time.tmp")" >> "$RES/setup.tsv"
}

# rss LABEL COMMAND...: peak RSS (KB) of one run
rss() {
    local label=$1; shift
    /usr/bin/time -f '%M' -o "$RES/rss.tmp" "$@" >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$label" "$(tail -1 "$RES/rss.tmp")" >> "$RES/rss.tsv"
}

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
            # no git-lfs: stage a hand-written pointer (what the clean filter would produce)
            printf '*.safetensors filter=lfs diff=lfs merge=lfs -text\n' > .gitattributes
            git add .gitattributes
            local oid size
            oid=$(sha256sum model.safetensors | cut -d' ' -f1); size=$(stat -c %s model.safetensors)
            local blob
            blob=$(printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' "$oid" "$size" | git hash-object -w --stdin)
            git update-index --add --cacheinfo 100644 "$blob" model.safetensors
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
A=$SC/a-blob-$WEIGHT_SIZE; B=$SC/b-lfs-$WEIGHT_SIZE; C=$SC/c-mono-$MONO_COUNT; D=$SC/d-merge-$GGUF_TOKENS
if [ ! -f "$A/.git/bench-base" ]; then log "scenario (a): $WEIGHT_SIZE weight file as a git blob"; model_repo "$A" blob; fi
if [ ! -f "$B/.git/bench-base" ]; then log "scenario (b): $WEIGHT_SIZE weight file as a Git LFS pointer"; model_repo "$B" lfs; fi
if [ ! -f "$C/.git/bench-done" ]; then
    log "scenario (c): monorepo of $MONO_COUNT models"
    rm -rf "$C"; mkdir -p "$C"; cd "$C"; git init -q; git config gc.auto 0  # no background gc racing the timed one
    "$PY" "$HERE/make_scenarios.py" mono "$C" "$MONO_COUNT"
    timed "git add -A (monorepo, $MONO_COUNT models)" git add -A
    timed "git commit (monorepo, $MONO_COUNT models)" git commit -q -m "models"
    timed "git gc (monorepo)" git gc -q
    touch .git/bench-done; cd - >/dev/null
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
n=0
hf() { # ID hyperfine-args...
    n=$((n + 1))
    local id; id=$(printf '%02d-%s' "$n" "$1"); shift
    log "hyperfine: $id"
    hyperfine --style basic --export-json "$RES/$id.json" "$@" >&2
}
ratio() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$RES/ratios.tsv"; }  # label id-suffix nameA nameB target

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
rss "(c) mlicense check . --format json (work tree)" "$BIN" check . --format json
rss "(c) mlicense check . --commit HEAD --format json" "$BIN" check . --commit HEAD --format json
rss "(c) Python: ls-tree + cat-file --batch + CSafeLoader" "$PY" "$HERE/py_baseline.py"
"$BIN" check . --format json > "$RES/mono-check.json" || true
cd - >/dev/null

cd "$D"
hf "merge" -N -w "$WARMUP" -r "$RUNS" -i \
    -n "(d) mlicense check . --format json (mergekit + GGUF)" "$BIN check . --format json"
rss "(d) mlicense check . --format json (mergekit + GGUF)" "$BIN" check . --format json
"$BIN" check . --format json > "$RES/merge-check.json" || true
cd - >/dev/null

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
    echo "git-lfs: $(git lfs version 2>/dev/null || echo 'not installed (pointer written by hand)')"
    echo "hyperfine: $(hyperfine --version)"
    echo "python: $($PY --version 2>&1), PyYAML $($PY -c 'import yaml; print(yaml.__version__, "with libyaml" if yaml.__with_libyaml__ else "pure")')"
    echo "libgit2: $(pkg-config --modversion libgit2 2>/dev/null || echo '?'), libyaml: $(pkg-config --modversion yaml-0.1 2>/dev/null || echo '?')"
    echo "binary: $BIN ($(stat -c %s "$BIN") bytes; build flags: ${BUILD_FLAGS:-none})"
    echo "sizes: weight $WEIGHT_SIZE, monorepo $MONO_COUNT models, GGUF $GGUF_TOKENS tokens ($(stat -c %s "$D"/*.gguf) bytes); runs $RUNS (monorepo $SLOW_RUNS), warm-up $WARMUP"
} > "$RES/env.txt"
"$PY" "$HERE/report.py" "$RES" > "$OUT"
source "$HERE/git_parity.sh"
{ echo; cat "$RES/git-parity.md"; } >> "$OUT"
cat "$OUT"
