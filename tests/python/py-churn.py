# SPDX-License-Identifier: GPL-3.0-or-later
"""Test target: a CPU-bound thread whose stack changes all the time, for
reading a running interpreter without stopping it. Every stack it can
have is <module> > main > spin > (alpha | beta > gamma). Generators and a
recursion deep enough to need a second data-stack chunk are in the mix."""
import os
import sys
import time


def gamma(n):
    total = 0
    for i in range(n):
        total += i
    return total


def beta(n):
    return gamma(n) + 1


def alpha(n):
    total = 0
    for i in range(n):
        total ^= i
    return total


def numbers(n):
    for i in range(n):
        yield beta(i % 50)


def deep(n):
    if n == 0:
        return sum(numbers(20))
    return deep(n - 1)


def spin(duration):
    end = time.monotonic() + duration
    while time.monotonic() < end:
        alpha(200)
        beta(300)
        deep(250)


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 30
    print("ready %d" % os.getpid(), flush=True)
    spin(duration)


if __name__ == "__main__":
    main()
