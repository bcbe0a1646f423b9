#!/usr/bin/env python3
"""Count individual test cases from meson's logs and print 'N passed, N failed'.

TAP programs (GTest with --tap) count one per subtest, from the JUnit log;
a program that crashed or timed out after its last reported subtest adds
one failure, so a crash is never hidden behind passing subtests. Tests
without subtests count as one case each.
"""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

OK = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}


def count(json_log: Path):
    """Return (passed, failed, skipped, failing test names) for one meson log."""
    junit_log = json_log.with_name("testlog.junit.xml")
    passed = failed = skipped = 0
    if not json_log.exists():
        return 0, 1, 0, [f"{json_log} (no test log)"]

    subtests = {}
    if junit_log.exists():
        root = ET.parse(junit_log).getroot()
        for suite in root.iter("testsuite"):
            cases = suite.findall("testcase")
            res = []
            for c in cases:
                if c.find("skipped") is not None:
                    res.append("SKIP")
                elif c.find("failure") is not None or c.find("error") is not None:
                    res.append("FAIL")
                else:
                    res.append("OK")
            subtests[suite.get("name")] = res

    failures = []
    for line in json_log.read_text().splitlines():
        if not line.strip():
            continue
        t = json.loads(line)
        name = t["name"]
        result = t["result"]
        subs = None
        for key, val in subtests.items():
            if key.endswith("." + name) or key == name:
                subs = val
                break
        if subs:
            p = subs.count("OK")
            f = subs.count("FAIL")
            s = subs.count("SKIP")
            if result not in OK and result not in SKIP and f == 0:
                f += 1
            passed += p
            failed += f
            skipped += s
            if f:
                failures.append(name)
        else:
            if result in OK:
                passed += 1
            elif result in SKIP:
                skipped += 1
            else:
                failed += 1
                failures.append(name)

    return passed, failed, skipped, failures


def main() -> int:
    passed = failed = skipped = 0
    failures = []
    for arg in sys.argv[1:]:
        p, f, s, names = count(Path(arg))
        passed += p
        failed += f
        skipped += s
        failures += names
    if failures:
        print("failing tests: " + ", ".join(failures))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
