#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The story Hearth exists for, in the Python standard library only.

A "report" view renders a few documents and then pushes a notification to a
queue. The queue's broker is unreachable, so the client library retries
with exponential backoff: almost all of the request's wall-clock time goes
to time.sleep() inside retry_backoff(), which no CPU profile shows.

    report_view -> update_docs -> queue_push -> retry_backoff -> time.sleep

A worker thread serves "requests" in a loop; the main thread waits. Attach
Hearth to the PID printed on the first line:

    python3 demo/python/seed_story.py &
    hearth-collector record --pid $! --duration 5 -o story.profsession

Comments of the form "# hearth-line: NAME" mark lines the tests check.
"""

import argparse
import os
import sys
import threading
import time


class BrokerUnavailable(Exception):
    pass


class Queue:
    """A queue client whose broker never answers."""

    def __init__(self, name):
        self.name = name
        self.sent = 0

    def try_put(self, item):
        raise BrokerUnavailable(self.name)


def retry_backoff(attempt, base):
    delay = base * (2 ** min(attempt, 5))
    time.sleep(delay)  # hearth-line: sleep


def queue_push(queue, item, attempts, base):
    for attempt in range(attempts):
        try:
            queue.try_put(item)
            return True
        except BrokerUnavailable:
            retry_backoff(attempt, base)  # hearth-line: backoff
    return False


def render_doc(doc_id):
    # A little real CPU work, so the profile is not only sleep.
    total = 0
    for i in range(20000):
        total += (i * doc_id) % 7
    return total


def update_docs(doc_ids, queue, attempts, base):
    rendered = [render_doc(d) for d in doc_ids]
    queue_push(queue, {"docs": doc_ids, "sum": sum(rendered)}, attempts, base)  # hearth-line: push
    return rendered


def report_view(request_id, queue, attempts=4, base=0.05):
    doc_ids = [request_id * 10 + i for i in range(3)]
    return update_docs(doc_ids, queue, attempts, base)  # hearth-line: update


def worker_main(stop, args):
    queue = Queue("notifications")
    request_id = 0
    while not stop.is_set():
        request_id += 1
        report_view(request_id, queue, args.attempts, args.base)  # hearth-line: view


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=0,
                        help="seconds to run (0: until interrupted)")
    parser.add_argument("--attempts", type=int, default=4)
    parser.add_argument("--base", type=float, default=0.05,
                        help="first backoff delay in seconds")
    args = parser.parse_args(argv)

    stop = threading.Event()
    ready = threading.Event()
    tids = {}

    def run():
        tids["worker"] = threading.get_native_id()
        ready.set()
        worker_main(stop, args)

    worker = threading.Thread(target=run, name="worker")
    worker.start()
    ready.wait()
    print("ready pid=%d main_tid=%d worker_tid=%d"
          % (os.getpid(), threading.get_native_id(), tids["worker"]), flush=True)

    try:
        if args.duration > 0:
            time.sleep(args.duration)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        worker.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
