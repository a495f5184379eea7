#!/usr/bin/env bash
# The audit benchmark: `mlicense audit` over a generated Hub model-info JSONL corpus (default
# 1,000,000 lines), against Python merely parsing the same file (`json.loads` per line), in the
# same run. Run alone, it builds the release binary and writes Benchmarks/AUDIT-RESULTS.md; run.sh
# sources it and calls audit_bench for a section of its report. Knobs: BENCH_AUDIT_LINES,
# BENCH_WORK, BENCH_BUILD_PATH, BENCH_BUILD_FLAGS, BENCH_PYTHON, BENCH_AUDIT_RUNS (runs of each,
# default 3), BENCH_AUDIT_RESULTS.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
AUDIT_RUNS=${BENCH_AUDIT_RUNS:-3}

# audit_bench LINES OUT HEADING: writes a corpus of LINES lines (once; kept under $WORK/audit), times
# mlicense and the Python baseline AUDIT_RUNS times each, alternating, under GNU time, and writes
# the Markdown to OUT under the heading HEADING. Needs BIN and PY.
audit_bench() {
    local LINES=$1 OUT=$2 HEADING=$3 CORPUS BYTES RAW LOAD CORES i
    mkdir -p "$WORK/audit"
    CORPUS=$WORK/audit/corpus-$LINES.jsonl
    if [ ! -s "$CORPUS" ]; then
        log "audit: writing $LINES model-info lines to $CORPUS"
        "$PY" "$HERE/make_corpus.py" "$LINES" "$CORPUS.tmp" && mv "$CORPUS.tmp" "$CORPUS"
    fi
    BYTES=$(stat -L -c %s "$CORPUS")

    RAW=$WORK/audit/runs.tsv
    : > "$RAW"
    log "audit: timing ($AUDIT_RUNS runs each, alternating, $LINES lines)"
    for i in $(seq "$AUDIT_RUNS"); do
        audit_run python "$PY" "$HERE/py_jsonl_baseline.py" "$CORPUS" >> "$RAW"
        audit_run mlicense "$BIN" audit "$CORPUS" --format json --output "$WORK/audit/report.json" >> "$RAW"
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

    "$PY" - "$RAW" "$LINES" "$BYTES" "$OUT" "$WORK/audit/table.txt" "$LOAD" "$CORES" "$HEADING" <<'PY'
import statistics, sys
raw, lines, size, out, table, load, cores, heading = sys.argv[1:9]
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
    f.write(heading + "\n\n")
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
PY
}

# audit_run LABEL COMMAND...: one run under GNU time; prints "label<TAB>wall<TAB>user<TAB>sys<TAB>maxrss"
audit_run() {
    local label=$1; shift
    /usr/bin/time -f "%e	%U	%S	%M" -o "$WORK/audit/time.tmp" "$@" > /dev/null 2> "$WORK/audit/stderr.tmp"
    printf '%s\t%s\n' "$label" "$(tail -1 "$WORK/audit/time.tmp")"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    OUT=${BENCH_AUDIT_RESULTS:-$HERE/AUDIT-RESULTS.md}
    need_tools audit.sh "$PY"
    build_release
    audit_bench "${BENCH_AUDIT_LINES:-1000000}" "$OUT" "# Audit benchmark"
    cat "$OUT"
fi
