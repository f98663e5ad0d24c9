#!/usr/bin/env python3
"""Honest load client for the zero-downtime shutdown test (docs/lifecycle.md).

What makes it honest (production-rules.md, "Testing zero-downtime honestly"):
- one thread per connection, each holding ONE keep-alive connection (http.client), so a connection the
  server stops serving is noticed by the request that uses it;
- each connection sits idle for a random 0.1-0.5 s between requests, like real clients, so it is idle when the
  server starts shutting down;
- it NEVER retries: a request that fails (a non-2xx status, a reset, a closed connection) is counted as failed and
  the next request is a new one;
- writes included: a share of the requests are POST /api/v1/orders (not idempotent, no Idempotency-Key).
A response with "Connection: close" is honoured the standard way: http.client closes the socket after reading it
and opens a new connection for the NEXT request. That is not a retry.

Standard library only. Prints one JSON report on stdout; progress (completed requests) goes to --progress-file.
"""

import argparse
import http.client
import json
import random
import threading
import time
from collections import Counter


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.issued = 0
        self.completed = 0
        self.succeeded = 0
        self.failed = 0
        self.by_outcome = Counter()
        self.by_method = Counter()
        self.by_server = Counter()
        self.failures = []
        self.connections_opened = 0
        self.closed_by_server = 0

    def ticket(self, total):
        with self.lock:
            if self.issued >= total:
                return False
            self.issued += 1
            return True

    def record(self, method, outcome, ok, server, detail=None):
        with self.lock:
            self.completed += 1
            self.by_method[method] += 1
            self.by_outcome[outcome] += 1
            if server:
                self.by_server[server] += 1
            if ok:
                self.succeeded += 1
            else:
                self.failed += 1
                if len(self.failures) < 20:
                    self.failures.append({"t": round(time.time(), 3), "method": method, "outcome": outcome,
                                          "server": server, "detail": detail})


def worker(index, args, stats, deadline, keys):
    rng = random.Random(args.seed + index)
    key = keys[index % len(keys)] if keys else None
    conn = None
    while time.monotonic() < deadline and stats.ticket(args.requests):
        time.sleep(rng.uniform(args.idle_min, args.idle_max))
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
            with stats.lock:
                stats.connections_opened += 1
        headers = {"Accept": "application/json"}
        if key:
            headers["X-API-Key"] = key
        if rng.random() < args.post_share:
            method, path = "POST", "/api/v1/orders"
            body = json.dumps({"sku": "ZDT-%d" % index, "quantity": 1 + rng.randrange(5)})
            headers["Content-Type"] = "application/json"
        else:
            method, path, body = "GET", "/api/v1/orders?size=5", None
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            server = response.getheader("X-Served-By")
            ok = 200 <= response.status < 300
            stats.record(method, str(response.status), ok, server,
                         None if ok else (response.getheader("Content-Type"), response.reason))
            if response.will_close:
                # The server (or the router) said Connection: close: http.client has closed the socket;
                # the next request opens a new connection.
                with stats.lock:
                    stats.closed_by_server += 1
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as failure:
            # Never retried: this request failed. The next request uses a new connection.
            stats.record(method, type(failure).__name__, False, None, str(failure)[:200])
            conn.close()
            conn = None
    if conn is not None:
        conn.close()


def progress(args, stats, stop):
    while not stop.wait(0.5):
        with stats.lock:
            line = "%d %d %d\n" % (stats.completed, stats.succeeded, stats.failed)
        with open(args.progress_file, "w") as out:
            out.write(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--idle-min", type=float, default=0.1)
    parser.add_argument("--idle-max", type=float, default=0.5)
    parser.add_argument("--post-share", type=float, default=0.3)
    parser.add_argument("--timeout", type=float, default=30.0, help="socket timeout per request, seconds")
    parser.add_argument("--time-limit", type=float, default=300.0, help="the whole run, seconds")
    parser.add_argument("--keys-file", help="one API key per line; connection i uses key i mod n")
    parser.add_argument("--progress-file", default="/dev/null")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    keys = []
    if args.keys_file:
        with open(args.keys_file) as source:
            keys = [line.strip() for line in source if line.strip()]
    stats = Stats()
    started = time.monotonic()
    deadline = started + args.time_limit
    stop = threading.Event()
    reporter = threading.Thread(target=progress, args=(args, stats, stop), daemon=True)
    reporter.start()
    threads = [threading.Thread(target=worker, args=(i, args, stats, deadline, keys), name="conn-%d" % i)
               for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    elapsed = time.monotonic() - started
    with open(args.progress_file, "w") as out:
        out.write("%d %d %d\n" % (stats.completed, stats.succeeded, stats.failed))
    report = {
        "settings": {
            "connections": args.connections, "requests": args.requests, "idle_seconds": [args.idle_min, args.idle_max],
            "post_share": args.post_share, "retries": 0, "keep_alive": True, "timeout_seconds": args.timeout,
            "time_limit_seconds": args.time_limit, "api_keys": len(keys),
        },
        "completed": stats.completed,
        "succeeded": stats.succeeded,
        "failed": stats.failed,
        "elapsed_seconds": round(elapsed, 1),
        "requests_per_second": round(stats.completed / elapsed, 1) if elapsed else 0,
        "by_method": dict(stats.by_method),
        "by_outcome": dict(stats.by_outcome),
        "by_server": dict(stats.by_server),
        "connections_opened": stats.connections_opened,
        "connection_close_responses": stats.closed_by_server,
        "first_failures": stats.failures,
        "finished_all_requests": stats.completed >= args.requests,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
