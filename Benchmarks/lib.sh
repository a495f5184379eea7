# Shell functions shared by run.sh, lock.sh and audit.sh (sourced, not run). It sets the common
# knobs (BENCH_WORK, BENCH_BUILD_FLAGS, BENCH_BUILD_PATH, BENCH_PYTHON) unless the sourcing script
# already did, and defines:
#   log MESSAGE                    progress on stderr
#   need_tools SCRIPT TOOL...      exits when a tool is missing
#   build_release SCRIPT           swift build -c release; sets BIN and puts it first on PATH
#   bench_git_env                  git identity and a private HOME under $WORK, for the scenarios
#   hf ID HYPERFINE-ARGS...        hyperfine, exported to $RES/NN-ID.json (report.py reads these)
#   ratio LABEL ID NAME-A NAME-B TARGET   a ratio of two commands of the same hf call
#   rss LABEL COMMAND...           peak RSS of one run, to $RES/rss.tsv
#   timed LABEL COMMAND...         wall time and peak RSS of one set-up step, to $RES/setup.tsv
#   callgrind_bin BINARY           prints a copy of BINARY without debug information, for callgrind
#   callgrind_ir COMMAND...        prints the instructions (Ir) of one run of COMMAND under callgrind
#                                  (stdin from $CALLGRIND_STDIN, default /dev/null), or nothing when
#                                  valgrind is missing; mlicense binaries should be callgrind_bin copies
#   callgrind LABEL COMMAND...     callgrind_ir of COMMAND with $BIN replaced by its copy, to
#                                  $RES/callgrind.tsv (nothing when valgrind is missing)
# RES must name the results folder before hf, ratio, rss, timed and callgrind are used.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
BUILD_FLAGS=${BENCH_BUILD_FLAGS---static-swift-stdlib}   # what README.md builds with; set it empty for a dynamic build
BUILD_PATH=${BENCH_BUILD_PATH:-$ROOT/.build}
PY=${BENCH_PYTHON:-python3}

log() { printf '\n== %s\n' "$*" >&2; }

need_tools() {
    local script=$1 tool; shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$script: $tool is missing (apt-get install -y hyperfine time git)" >&2; exit 1; }
    done
    [ -x /usr/bin/time ] || { echo "$script: GNU time is missing (apt-get install -y time)" >&2; exit 1; }
}

build_release() {
    # README.md's build: with the static runtime, the executable is linked at a fixed address.
    local fixed=0
    case " $BUILD_FLAGS " in *" --static-swift-stdlib "*) fixed=1 ;; esac
    log "building (MLICENSE_FIXED_ADDRESS=$fixed swift build -c release $BUILD_FLAGS)"
    (cd "$ROOT" && MLICENSE_FIXED_ADDRESS=$fixed swift build -c release --build-path "$BUILD_PATH" $BUILD_FLAGS >&2)
    BIN=$BUILD_PATH/release/mlicense
    "$BIN" --version >/dev/null
    # The installed hook runs `mlicense` from PATH when there is one: make it this build.
    export PATH="$BUILD_PATH/release:$PATH"
}

bench_git_env() {
    export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
    export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home
    mkdir -p "$HOME"
    git config --global init.defaultBranch main
    git config --global commit.gpgsign false
}

HF_COUNT=${HF_COUNT:-0}
hf() { # ID hyperfine-args...
    HF_COUNT=$((HF_COUNT + 1))
    local id; id=$(printf '%02d-%s' "$HF_COUNT" "$1"); shift
    log "hyperfine: $id"
    hyperfine --style basic --export-json "$RES/$id.json" "$@" >&2
}

ratio() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$RES/ratios.tsv"; }  # label id-suffix nameA nameB target

rss() {
    local label=$1; shift
    /usr/bin/time -f '%M' -o "$RES/rss.tmp" "$@" >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$label" "$(tail -1 "$RES/rss.tmp")" >> "$RES/rss.tsv"
}

timed() {
    local label=$1; shift
    /usr/bin/time -f '%e %M' -o "$RES/time.tmp" "$@"
    printf '%s\t%s\n' "$label" "$(cat "$RES/time.tmp")" >> "$RES/setup.tsv"
}

# valgrind 3.19 cannot read the DWARF 5 debug information of Swift 6 binaries; without it, callgrind
# reads the symbol table only, which is enough for the instruction total.
callgrind_bin() {
    local bin=$1 copy
    copy=$WORK/bin/$(realpath "$bin" | tr / _).nodebug
    if [ ! -x "$copy" ] || [ "$bin" -nt "$copy" ]; then
        mkdir -p "$WORK/bin"
        strip --strip-debug -o "$copy.tmp" "$bin" && mv "$copy.tmp" "$copy"
    fi
    echo "$copy"
}

callgrind_ir() {
    command -v valgrind >/dev/null || return 0
    local log; log=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" > /dev/null 2> "$log" < "${CALLGRIND_STDIN:-/dev/null}" || true
    awk '/Collected :/ {print $NF}' "$log"
    rm -f "$log"
}

callgrind() {
    local label=$1; shift
    command -v valgrind >/dev/null || return 0
    local nodebug arg args=()
    nodebug=$(callgrind_bin "$BIN")
    for arg in "$@"; do [ "$arg" = "$BIN" ] && args+=("$nodebug") || args+=("$arg"); done
    log "callgrind: $label"
    printf '%s\t%s\n' "$label" "$(callgrind_ir "${args[@]}")" >> "$RES/callgrind.tsv"
}
