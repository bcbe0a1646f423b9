# SPDX-License-Identifier: GPL-3.0-or-later
"""Test target: N threads, thread k blocked k+1 (+ EXTRA) calls deep in
nest(). Usage: py-threads.py [N [DURATION [EXTRA]]]

Prints "tid K NATIVE_ID" per thread, then "ready PID", and runs until
stdin closes or --duration passes.
"""
import os
import sys
import threading
import time


def nest(depth, stop):
    if depth > 0:
        return nest(depth - 1, stop)
    while not stop.is_set():
        time.sleep(0.05)  # hearth-line: nest-sleep


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    extra = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    stop = threading.Event()
    ready = []
    lock = threading.Lock()

    def run(k):
        with lock:
            ready.append((k, threading.get_native_id()))
        nest(k + extra, stop)

    threads = [threading.Thread(target=run, args=(k,), name="nest-%d" % k) for k in range(n)]
    for t in threads:
        t.start()
    while len(ready) < n:
        time.sleep(0.01)
    for k, tid in sorted(ready):
        print("tid %d %d" % (k, tid))
    print("ready %d" % os.getpid(), flush=True)
    time.sleep(duration)
    stop.set()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
