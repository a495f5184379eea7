#!/usr/bin/env python3
"""Python baseline for the audit: only `json.loads` on every line of a model-info JSONL file
(no lineage, no licenses, no table), counting the lines read. usage: py_jsonl_baseline.py FILE"""
import json
import sys

n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if line.strip():
            json.loads(line)
            n += 1
print(n, "lines", file=sys.stderr)
