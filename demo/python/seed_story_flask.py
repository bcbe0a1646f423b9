#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seed story behind a real Flask endpoint (needs python3-flask).

GET /report/<id> runs seed_story.report_view(), whose queue client spends
almost all of the request in time.sleep() inside retry_backoff(). The
server runs single-threaded in the main thread, so one thread ("server")
serves every request; a client thread in the same process calls the
endpoint in a loop (--no-client to call it yourself, e.g. with curl).

    python3 demo/python/seed_story_flask.py &
    hearth-collector record --pid $! --duration 5 -o flask.profsession
"""

import argparse
import logging
import os
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import seed_story  # noqa: E402

from flask import Flask, jsonify  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

app = Flask("seed_story")
queue = seed_story.Queue("notifications")
settings = {"attempts": 4, "base": 0.05}


@app.route("/report/<int:request_id>")
def report(request_id):
    seed_story.report_view(request_id, queue, settings["attempts"], settings["base"])  # hearth-line: endpoint
    return jsonify(request=request_id, status="notification queued for later")


def client_loop(port, stop):
    n = 0
    while not stop.is_set():
        n += 1
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/report/%d" % (port, n), timeout=120) as r:
                r.read()
        except OSError:
            time.sleep(0.1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--duration", type=float, default=0,
                        help="seconds to serve (0: until interrupted)")
    parser.add_argument("--attempts", type=int, default=4)
    parser.add_argument("--base", type=float, default=0.05)
    parser.add_argument("--no-client", action="store_true")
    args = parser.parse_args(argv)
    settings["attempts"] = args.attempts
    settings["base"] = args.base
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = make_server("127.0.0.1", args.port, app, threaded=False)
    stop = threading.Event()
    client_tid = 0
    client = None
    if not args.no_client:
        tid_ready = threading.Event()
        tids = {}

        def run_client():
            tids["client"] = threading.get_native_id()
            tid_ready.set()
            client_loop(server.server_port, stop)

        client = threading.Thread(target=run_client, name="client", daemon=True)
        client.start()
        tid_ready.wait()
        client_tid = tids["client"]

    if args.duration > 0:
        threading.Timer(args.duration, server.shutdown).start()

    print("ready pid=%d server_tid=%d client_tid=%d port=%d"
          % (os.getpid(), threading.get_native_id(), client_tid, server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
