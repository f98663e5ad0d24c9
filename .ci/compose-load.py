#!/usr/bin/env python3
"""Keep-alive load through the compose router that never retries: the client for the blue-green zero-failure test.

One thread per connection (--connections, default 50). Each thread holds one HTTP/1.1 keep-alive connection
(http.client), sends a request, reads the whole response, then sits idle for a random --idle-min..--idle-max seconds
(default 0.1-0.5 s, like a real client between calls) before the next request on the same connection (the first request comes after a random 0..--idle-max, so the clients do not
start in lockstep). Requests:
a quarter POST /api/v1/orders (not idempotent, no Idempotency-Key: nothing may replay it), half GET of an order this
connection created (the order list until it has one), a quarter GET of the order list. Each connection is a client of its own: connection i sends
the i-th key of --keys-file as X-API-Key (per-client rate limits see 50 clients, as they would in production).

A failure is any exception (reset, RemoteDisconnected, timeout, refused) and any status other than the expected
one (201 for POST, 200 for GET). A failed request is NEVER sent again; the thread opens a new connection for its
next request, as a client library would. A response with "Connection: close" makes http.client close the
connection after reading it; the next request opens a new one (that is the server asking, not a retry).

Bounded: runs until at least --min-requests were sent AND --stop-file exists (the orchestrator creates it when
its switches are done), or until --max-seconds. Only loopback targets. Progress (JSON) is rewritten every second
to --progress-file; the summary (JSON) goes to stdout; one line per failure to --events-file.
"""
import argparse
import collections
import http.client
import json
import os
import random
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--min-requests", type=int, default=20000)
    p.add_argument("--stop-file", help="stop once this exists and --min-requests were sent")
    p.add_argument("--max-seconds", type=float, default=900.0)
    p.add_argument("--idle-min", type=float, default=0.1)
    p.add_argument("--idle-max", type=float, default=0.5)
    p.add_argument("--timeout", type=float, default=10.0, help="socket timeout per request, seconds")
    p.add_argument("--keys-file", help="one API key per line; connection i uses key i mod n")
    p.add_argument("--progress-file")
    p.add_argument("--events-file")
    args = p.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        p.error("only loopback targets are allowed")
    if not 0 <= args.idle_min <= args.idle_max:
        p.error("need 0 <= idle-min <= idle-max")
    return args


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.ok = collections.Counter()
        self.failures = collections.Counter()
        self.served_by = collections.Counter()
        self.server_closes = 0
        self.connections_opened = 0
        self.events = []


class Run:
    def __init__(self, args):
        self.args = args
        self.stats = Stats()
        self.start = time.monotonic()
        self.deadline = self.start + args.max_seconds
        self.stopping = threading.Event()

    def should_stop(self):
        if self.stopping.is_set():
            return True
        now = time.monotonic()
        if now >= self.deadline:
            self.stopping.set()
            return True
        with self.stats.lock:
            enough = self.stats.sent >= self.args.min_requests
        if enough and (self.args.stop_file is None or os.path.exists(self.args.stop_file)):
            self.stopping.set()
            return True
        return False

    def failure(self, index, kind, detail):
        at = time.monotonic() - self.start
        with self.stats.lock:
            self.stats.failures[kind] += 1
            self.stats.events.append((at, index, kind, detail))


def worker(run, index, key):
    args = run.args
    stats = run.stats
    rng = random.Random(index)
    conn = None
    my_orders = []
    n = 0
    headers = {"Accept": "application/json"}
    if key:
        headers["X-API-Key"] = key
    # Clients do not start in the same millisecond: 50 simultaneous first POSTs would exceed the inventory bulkhead
    # (20 concurrent calls per instance) and measure a thundering herd instead of the switch.
    time.sleep(rng.uniform(0, args.idle_max))
    while not run.should_stop():
        n += 1
        roll = rng.random()
        # The same mix from the first request on (a connection without an order of its own yet reads the list): if
        # every connection opened with a POST, the start would be a burst of writes that no steady client makes.
        if roll < 0.25:
            method, path, body, expected = "POST", "/api/v1/orders", json.dumps(
                {"sku": "LOAD-%03d" % index, "quantity": 1 + n % 5}), 201
        elif roll < 0.75 and my_orders:
            method, path, body, expected = "GET", "/api/v1/orders/" + rng.choice(my_orders), None, 200
        else:
            method, path, body, expected = "GET", "/api/v1/orders?page=0&size=5", None, 200
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
            with stats.lock:
                stats.connections_opened += 1
        request_headers = dict(headers)
        if body is not None:
            request_headers["Content-Type"] = "application/json"
        with stats.lock:
            stats.sent += 1
        try:
            conn.request(method, path, body=body, headers=request_headers)
            response = conn.getresponse()
            payload = response.read()
            served = response.getheader("X-Served-By", "-")
            with stats.lock:
                stats.served_by[served] += 1
            if response.status == expected:
                with stats.lock:
                    stats.ok[method] += 1
                if method == "POST":
                    try:
                        my_orders.append(json.loads(payload)["id"])
                        del my_orders[:-20]
                    except (ValueError, KeyError, TypeError):
                        pass
            else:
                run.failure(index, "HTTP %d %s" % (response.status, method),
                            "%s %s served by %s: %s" % (method, path, served, payload[:200]))
            if response.will_close:
                with stats.lock:
                    stats.server_closes += 1
                conn.close()
                conn = None
        except Exception as ex:  # every failure counts; the request is never sent again
            run.failure(index, "%s %s" % (type(ex).__name__, method), "%s %s: %r" % (method, path, ex))
            conn.close()
            conn = None
        if not run.stopping.is_set():
            time.sleep(rng.uniform(args.idle_min, args.idle_max))
    if conn is not None:
        conn.close()


def snapshot(run):
    s = run.stats
    with s.lock:
        return {
            "seconds": round(time.monotonic() - run.start, 1),
            "requests": s.sent,
            "succeeded": sum(s.ok.values()),
            "failed": sum(s.failures.values()),
            "posts_ok": s.ok["POST"],
            "gets_ok": s.ok["GET"],
            "failures": dict(s.failures),
            "served_by": dict(s.served_by),
            "connection_close_from_server": s.server_closes,
            "connections_opened": s.connections_opened,
        }


def write_progress(run, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(snapshot(run), f)
    os.replace(tmp, path)


def main():
    args = parse_args()
    keys = []
    if args.keys_file:
        with open(args.keys_file) as f:
            keys = [line.strip() for line in f if line.strip()]
    run = Run(args)
    threads = [threading.Thread(target=worker, args=(run, i, keys[i % len(keys)] if keys else None), daemon=True)
               for i in range(args.connections)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if args.progress_file:
            write_progress(run, args.progress_file)
        time.sleep(1)
        if time.monotonic() > run.deadline + args.timeout + 10:
            break
    if args.progress_file:
        write_progress(run, args.progress_file)
    if args.events_file:
        with open(args.events_file, "w") as f:
            for at, index, kind, detail in sorted(run.stats.events):
                f.write("%8.3fs connection %3d %s: %s\n" % (at, index, kind, detail))
    summary = snapshot(run)
    summary["unfinished_threads"] = sum(t.is_alive() for t in threads)
    summary["hit_max_seconds"] = time.monotonic() >= run.deadline
    summary["settings"] = {
        "connections": args.connections, "idle_seconds": [args.idle_min, args.idle_max],
        "mix": "25% POST /api/v1/orders, 50% GET /api/v1/orders/{own id}, 25% GET /api/v1/orders?size=5",
        "keep_alive": True, "retries": 0, "start": "staggered over 0..idle-max", "timeout_seconds": args.timeout, "api_keys": len(keys),
        "client": "python %s http.client, one thread per connection" % sys.version.split()[0],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
