#!/usr/bin/env bash
# Renders `mlicense audit --format html` in a real browser (Debian's chromium, headless) and saves
# a screenshot, so the page can be looked at: the table, the bar chart, the worst offenders.
# Also checks that the page loads nothing from elsewhere (no script, no external URL) and that
# chromium renders it without error.
#
# usage: Benchmarks/audit-html-check.sh [SOURCE...]   (default: Tests/Fixtures, the shared cases)
# env:   MLICENSE (the binary; default .build/debug/mlicense), OUT (folder; default Benchmarks/work/html)
#        CHROMIUM (default: chromium)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BIN=${MLICENSE:-$ROOT/.build/debug/mlicense}
OUT=${OUT:-$HERE/work/html}
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null || { echo "audit-html-check.sh: $CHROMIUM is missing (apt-get install -y chromium)" >&2; exit 1; }
[ -x "$BIN" ] || (cd "$ROOT" && swift build >&2)
mkdir -p "$OUT"
[ $# -gt 0 ] || set -- "$ROOT/Tests/Fixtures"

"$BIN" audit "$@" --format html --output "$OUT/audit.html"

# Self-contained: no script element, no URL but the SVG namespace.
if grep -qi '<script' "$OUT/audit.html"; then echo "audit.html has a script" >&2; exit 1; fi
if grep -oE '(src|href)="[^"#]' "$OUT/audit.html" | grep -q .; then echo "audit.html loads a resource" >&2; exit 1; fi
if grep -oE 'https?://[^" <]+' "$OUT/audit.html" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
    echo "audit.html names a URL other than the SVG namespace" >&2; exit 1
fi

# Render: the DOM as chromium builds it (the table and chart must be in it) and a screenshot.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --user-data-dir="$profile" --no-first-run --hide-scrollbars
       --disable-extensions --disable-background-networking --blink-settings=imagesEnabled=true)
"$CHROMIUM" "${flags[@]}" --dump-dom "file://$OUT/audit.html" > "$OUT/dom.html" 2> "$OUT/chromium.log"
for needle in '<table>' '<svg' 'Worst offenders' 'Copyleft-style Terms' 'La3E-merge'; do
    grep -q "$needle" "$OUT/dom.html" || { echo "the rendered page lacks $needle" >&2; exit 1; }
done
"$CHROMIUM" "${flags[@]}" --window-size=1280,1700 --screenshot="$OUT/audit.png" "file://$OUT/audit.html" >> "$OUT/chromium.log" 2>&1
[ -s "$OUT/audit.png" ] || { echo "no screenshot; see $OUT/chromium.log" >&2; exit 1; }
echo "rendered: $OUT/audit.png ($(stat -c %s "$OUT/audit.png") bytes)"
