# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark target: a CPU-bound Python loop a few calls deep.

Prints "ready pid=N", waits for a line on stdin (so a sampler can attach
first), loops for DURATION seconds and prints "iterations N cpu S": the
iterations done and the CPU seconds this process used for them (which
other load on the machine does not change, unlike the wall-clock rate).
"""
import os
import sys
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def level3():
    return work(500)


def level2():
    return level3()


def level1():
    return level2()


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 3
    print("ready pid=%d" % os.getpid(), flush=True)
    sys.stdin.readline()
    end = time.perf_counter() + duration
    cpu0 = time.process_time()
    n = 0
    while time.perf_counter() < end:
        level1()
        n += 1
    print("iterations %d cpu %.6f" % (n, time.process_time() - cpu0), flush=True)


if __name__ == "__main__":
    main()
