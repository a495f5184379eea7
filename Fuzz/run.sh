#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a while.
#
#   Fuzz/run.sh [SECONDS] [TARGET ...]     default: 120 seconds, every target
#
# The library modules are built once with coverage and AddressSanitizer instrumentation into
# .build-fuzz (libFuzzer ships with the Swift toolchain, clang_rt.fuzzer), then each
# Fuzz/Fuzz<Name>.swift is linked against their object files with
# `swiftc -sanitize=fuzzer,address -parse-as-library`. Seeds come from the real-case fixtures and
# Tests/Fixtures/gguf; crashes land in .build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-120}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(FrontMatter GGUF Configuration JSONConfigs Mergekit PrePush)
BUILD=.build-fuzz
REAL=${MLICENSE_REAL_CASES:-Tests/Fixtures/real-cases}

# (built once; a no-op when up to date)
swift build --build-path "$BUILD" --target MLicenseKnowledge -Xswiftc -sanitize=fuzzer,address
OBJECTS=$(ls "$BUILD"/debug/MLicenseYAML.build/*.o "$BUILD"/debug/MLicenseCore.build/*.o "$BUILD"/debug/MLicenseKnowledge.build/*.o)

seed() { # target corpus-dir
    mkdir -p "$2"
    case "$1" in
        FrontMatter|Mergekit) find "$REAL" -path '*/repo/*' \( -name 'README.md' -o -name 'mergekit*.yml' \) -size -256k 2>/dev/null ;;
        GGUF) find Tests/Fixtures/gguf "$REAL" -name '*.gguf' -size -512k 2>/dev/null ;;
        Configuration) find "$REAL" . -maxdepth 4 -name '.mlicense.y*ml' 2>/dev/null ;;
        JSONConfigs) find "$REAL" -path '*/repo/*' -name '*config.json' -size -256k 2>/dev/null ;;
        PrePush)
            z=0000000000000000000000000000000000000000
            printf 'refs/heads/main %s refs/heads/main %s\n' "$(printf a%.0s {1..40})" "$z" > "$2/new-ref"
            printf '(delete) %s refs/heads/old %s\n' "$z" "$(printf b%.0s {1..40})" > "$2/delete" ;;
    esac | while read -r f; do cp "$f" "$2/$(echo "$f" | md5sum | cut -c1-16)"; done
}

for t in "${TARGETS[@]}"; do
    exe="$BUILD/fuzz-$t"
    swiftc -sanitize=fuzzer,address -parse-as-library -g \
        -I "$BUILD/debug/Modules" -I Sources/CYAML \
        "Fuzz/Fuzz$t.swift" $OBJECTS -lyaml -o "$exe"
    corpus="$BUILD/corpus/$t"
    seed "$t" "$corpus"
    mkdir -p "$BUILD/artifacts/$t"
    echo "== $t: $(ls "$corpus" | wc -l) seeds, ${SECONDS_PER_TARGET}s"
    "$exe" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$BUILD/artifacts/$t/" -print_final_stats=1 2>&1 | tail -25 || echo "!! $t stopped: see $BUILD/artifacts/$t"
done
