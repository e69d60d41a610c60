#!/usr/bin/env python3
"""Sum the TRX results of every test project into the one closing line CI reads.

Usage: test-summary.py RESULTS_DIR EXPECTED_PROJECTS
A project that left no TRX (its test host crashed, or never started) counts as one failure,
so a run can never look green by losing a project.
Each failed test is named, with the head of its message, just above that line: CI keeps only
the tail of a run's output, and a failure nobody can name cannot be fixed.
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def failures(root):
    """(test name, first lines of its message) for every failed result in one TRX."""
    for result in root.iter(f"{NS}UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
        head = "\n".join(message.strip().splitlines()[:6])
        yield result.get("testName", "?"), head


def main() -> int:
    results_dir, expected = sys.argv[1], int(sys.argv[2])
    passed = failed = skipped = 0
    files = sorted(glob.glob(f"{results_dir}/**/*.trx", recursive=True))
    named = []
    for path in files:
        root = ET.parse(path).getroot()
        named.extend(failures(root))
        counters = root.find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            failed += 1
            continue
        passed += int(counters.get("passed", "0"))
        failed += int(counters.get("failed", "0")) + int(counters.get("error", "0")) + int(counters.get("timeout", "0")) + int(counters.get("aborted", "0"))
        skipped += int(counters.get("notExecuted", "0"))
    missing = max(0, expected - len(files))
    if missing:
        print(f"test-summary: {missing} test project(s) left no results", file=sys.stderr)
    failed += missing
    for name, head in named:
        print(f"FAILED {name}")
        for text in head.splitlines():
            print(f"    {text}")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
