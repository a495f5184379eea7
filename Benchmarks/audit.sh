#!/usr/bin/env bash
# The audit benchmark: `mlicense audit` over a generated Hub model-info JSONL corpus (default
# 1,000,000 lines), against Python merely parsing the same file (`json.loads` per line), in the
# same run. Writes Benchmarks/AUDIT-RESULTS.md. Knobs: BENCH_AUDIT_LINES, BENCH_WORK,
# BENCH_BUILD_PATH, BENCH_BUILD_FLAGS, BENCH_PYTHON, BENCH_AUDIT_RUNS (runs of each, default 3).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${BENCH_WORK:-$HERE/work}
LINES=${BENCH_AUDIT_LINES:-1000000}
RUNS=${BENCH_AUDIT_RUNS:-3}
BUILD_FLAGS=${BENCH_BUILD_FLAGS---static-swift-stdlib}
BUILD_PATH=${BENCH_BUILD_PATH:-$ROOT/.build}
OUT=${BENCH_AUDIT_RESULTS:-$HERE/AUDIT-RESULTS.md}
PY=${BENCH_PYTHON:-python3}
[ -x /usr/bin/time ] || { echo "audit.sh: GNU time is missing (apt-get install -y time)" >&2; exit 1; }

echo "== building (swift build -c release $BUILD_FLAGS)" >&2
(cd "$ROOT" && swift build -c release --build-path "$BUILD_PATH" $BUILD_FLAGS >&2)
BIN=$BUILD_PATH/release/mlicense

mkdir -p "$WORK/audit"
CORPUS=$WORK/audit/corpus-$LINES.jsonl
if [ ! -s "$CORPUS" ]; then
    echo "== writing $LINES model-info lines to $CORPUS" >&2
    "$PY" "$HERE/make_corpus.py" "$LINES" "$CORPUS.tmp" && mv "$CORPUS.tmp" "$CORPUS"
fi
BYTES=$(stat -L -c %s "$CORPUS")

# measure LABEL COMMAND...: RUNS runs under GNU time; prints "label<TAB>wall<TAB>user<TAB>sys<TAB>maxrss" per run
measure() {
    local label=$1; shift
    for i in $(seq "$RUNS"); do
        /usr/bin/time -f "%e	%U	%S	%M" -o "$WORK/audit/time.tmp" "$@" > /dev/null 2> "$WORK/audit/stderr.tmp"
        printf '%s\t%s\n' "$label" "$(tail -1 "$WORK/audit/time.tmp")"
    done
}

RAW=$WORK/audit/runs.tsv
: > "$RAW"
echo "== timing ($RUNS runs each, alternating)" >&2
for i in $(seq "$RUNS"); do
    RUNS=1 measure python "$PY" "$HERE/py_jsonl_baseline.py" "$CORPUS" >> "$RAW"
    RUNS=1 measure mlicense "$BIN" audit "$CORPUS" --format json --output "$WORK/audit/report.json" >> "$RAW"
done
# The table of the last run, from its JSON report (no extra run).
"$PY" - "$WORK/audit/report.json" > "$WORK/audit/table.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cols = ["finetune", "merge", "quantized", "adapter"]
print("%d models: %s" % (r["models"], ", ".join("%s %d" % kv for kv in r["relations"].items())))
print("%-22s" % "category" + "".join("%-24s" % c for c in cols + ["total"]))
def cell(n, q): return "-" if q == 0 else "%d/%d (%.1f%%)" % (n, q, 100.0 * n / q)
for row in r["table"]:
    cells = [cell(row["byRelation"][c], row["qualifiedByRelation"][c]) for c in cols] + [cell(row["noncompliant"], row["qualified"])]
    print("%-22s" % row["title"] + "".join("%-24s" % c for c in cells))
print("findings: %d" % len(r["findings"]))
PY
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
CORES=$(nproc)

"$PY" - "$RAW" "$LINES" "$BYTES" "$OUT" "$WORK/audit/table.txt" "$LOAD" "$CORES" <<'PY'
import statistics, sys
raw, lines, size, out, table, load, cores = sys.argv[1:8]
lines, size = int(lines), int(size)
runs = {}
for row in open(raw):
    label, wall, user, sys_, rss = row.rstrip("\n").split("\t")
    runs.setdefault(label, []).append((float(wall), float(user), float(sys_), int(rss)))
def summary(label):
    r = runs[label]
    wall = statistics.median(w for w, *_ in r)
    user = statistics.median(u for _, u, _, _ in r)
    rss = max(m for *_, m in r)
    return wall, user, rss
mw, mu, mr = summary("mlicense")
pw, pu, pr = summary("python")
with open(out, "w") as f:
    f.write("# Audit benchmark\n\n")
    f.write("Written by `Benchmarks/audit.sh`: `mlicense audit CORPUS --format json` over a generated Hub\n"
            "model-info JSONL corpus (`Benchmarks/make_corpus.py`: finetunes, quantizations, adapters and\n"
            "merges of registry models and of earlier lines), against `Benchmarks/py_jsonl_baseline.py`,\n"
            "which only runs `json.loads` on every line. Both ran %d times, alternating, in the same run;\n"
            "medians. The machine has %s cores; the load average when it finished was %s (other work\n"
            "was running, so wall times are upper bounds; user time is the CPU the command used).\n\n"
            % (len(runs["mlicense"]), cores, load))
    f.write("| | lines | file | wall (s) | user CPU (s) | peak RSS | models/s (wall) |\n|---|---|---|---|---|---|---|\n")
    for label, (w, u, r) in (("mlicense audit (lineage, resolution, rules, graph, table, JSON report)", (mw, mu, mr)),
                              ("Python json.loads per line (parsing only)", (pw, pu, pr))):
        f.write("| %s | %d | %.2f GB | %.1f | %.1f | %d MB | %d |\n" % (label, lines, size / 1e9, w, u, r // 1024, lines / w))
    f.write("\nRatio (Python wall / mlicense wall): **%.2f×**; mlicense does the whole audit in %.0f%% of the\n"
            "time Python takes to parse the lines. Every run: `%s`.\n\n" % (pw / mw, 100 * mw / pw, raw.split('/')[-1]))
    f.write("```\n")
    for label in ("mlicense", "python"):
        for w, u, s, m in runs[label]:
            f.write("%-9s wall %6.2f s  user %6.2f s  sys %5.2f s  rss %7d KB\n" % (label, w, u, s, m))
    f.write("```\n\nThe table it produced:\n\n```\n" + open(table).read() + "```\n")
print(open(out).read())
PY
