# SPDX-License-Identifier: GPL-3.0-or-later
"""Test target: code objects die and new ones are born, likely at the same
addresses. Generation N defines stage_N() with exec(), runs it (it sleeps
a little at the same call site every time) and drops it. A reader that
kept a stale cached code object would report an older stage name, or a
line that stage does not have."""
import os
import sys
import time

TEMPLATE = """
def stage_%d(pause):
%s    time.sleep(pause)
"""


def run_stage(n, pause):
    namespace = {"time": time}
    # Vary the body so every generation has its own line for the sleep.
    body = "    x = 1\n" * (n % 7)
    exec(TEMPLATE % (n, body), namespace)
    namespace["stage_%d" % n](pause)


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 30
    print("ready %d" % os.getpid(), flush=True)
    end = time.monotonic() + duration
    n = 0
    while time.monotonic() < end:
        run_stage(n, 0.004)
        n += 1


if __name__ == "__main__":
    main()
