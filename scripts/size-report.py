#!/usr/bin/env python3
"""House-style size limits for src/ (issue 9): files over ~600 lines outside their #[cfg(test)]
block, and functions over ~80 lines (outside test modules). Prints offenders; exit 1 if any.
Usage: scripts/size-report.py [SRC_DIR] [--file-limit N] [--fn-limit N]"""
import os, re, sys

args = sys.argv[1:]
src = next((a for a in args if not a.startswith("--") and not a.isdigit()), "src")
file_limit = int(args[args.index("--file-limit") + 1]) if "--file-limit" in args else 600
fn_limit = int(args[args.index("--fn-limit") + 1]) if "--fn-limit" in args else 80
bad = 0
fn_start = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)")
for root, _, names in sorted(os.walk(src)):
    for name in sorted(names):
        if not name.endswith(".rs"):
            continue
        path = os.path.join(root, name)
        lines = open(path, encoding="utf-8").read().split("\n")
        # the code before the first #[cfg(test)] at column 0
        end = next((i for i, l in enumerate(lines) if l.startswith("#[cfg(test)]")), len(lines))
        if end > file_limit:
            print(f"file {path}: {end} lines outside #[cfg(test)] (limit {file_limit})")
            bad += 1
        i = 0
        while i < end:
            m = fn_start.match(lines[i])
            if not m:
                i += 1
                continue
            depth, j, opened = 0, i, False
            while j < end:
                code = lines[j].split("//")[0]
                depth += code.count("{") - code.count("}")
                opened = opened or "{" in code
                if opened and depth <= 0:
                    break
                if not opened and code.rstrip().endswith(";"):
                    break
                j += 1
            length = j - i + 1
            if length > fn_limit:
                print(f"fn {path}:{i + 1} {m.group(5)}: {length} lines (limit {fn_limit})")
                bad += 1
            i = j + 1 if opened else i + 1
sys.exit(1 if bad else 0)
