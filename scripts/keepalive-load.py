#!/usr/bin/env python3
"""A bounded keep-alive load that never retries: the client that shows dropped requests during a switch.

Each of --connections threads holds one HTTP/1.1 keep-alive connection (http.client), sends a request, reads the
whole response, then sits idle for a random 0.1-0.5 s (like a real client between calls) before the next one, on the
same connection. Every --post-every-th request is a POST (not idempotent: nothing may retry it).

Any exception (reset, RemoteDisconnected, timeout, refused) and any status outside 2xx counts as a failure. A failed
request is never sent again; the thread opens a new connection for its next request, as a client library would.
A response with "Connection: close" makes http.client close the connection; the next request opens a new one.

Bounded in count (--requests) and time (--max-seconds); only 127.0.0.1 / ::1 targets are accepted.
Prints a JSON summary on stdout at the end (and progress on stderr while --progress-file is written).
"""
import argparse
import collections
import http.client
import json
import random
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--requests", type=int, default=20000, help="total requests over all connections")
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--idle-min", type=float, default=0.1, help="seconds idle between requests, minimum")
    p.add_argument("--idle-max", type=float, default=0.5, help="seconds idle between requests, maximum")
    p.add_argument("--post-every", type=int, default=4, help="every n-th request is a POST")
    p.add_argument("--get-path", default="/api/v1/orders?page=0&size=1")
    p.add_argument("--post-path", default="/api/v1/orders")
    p.add_argument("--post-body", default='{"sku": "SIM-001", "quantity": 1}')
    p.add_argument("--header", action="append", default=[], help="extra request header, 'Name: value'")
    p.add_argument("--timeout", type=float, default=10.0, help="socket timeout per request, seconds")
    p.add_argument("--max-seconds", type=float, default=600.0, help="stop sending after this long")
    p.add_argument("--events-file", help="append one line per failure (time, connection, kind) here")
    args = p.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        p.error("only loopback targets are allowed")
    if not 0 <= args.idle_min <= args.idle_max:
        p.error("need 0 <= idle-min <= idle-max")
    return args


class Counters:
    def __init__(self, total):
        self.lock = threading.Lock()
        self.remaining = total
        self.sent = 0
        self.ok = 0
        self.failures = collections.Counter()
        self.server_closes = 0
        self.connections_opened = 0
        self.by_method = collections.Counter()

    def take(self):
        with self.lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            self.sent += 1
            return True


def worker(index, args, headers, counters, deadline, start, events):
    rng = random.Random(index)
    conn = None
    n = 0
    while time.monotonic() < deadline and counters.take():
        n += 1
        post = args.post_every > 0 and (n + index) % args.post_every == 0
        method, path = ("POST", args.post_path) if post else ("GET", args.get_path)
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
            with counters.lock:
                counters.connections_opened += 1
        try:
            conn.request(method, path, body=args.post_body if post else None,
                         headers=dict(headers, **({"Content-Type": "application/json"} if post else {})))
            response = conn.getresponse()
            response.read()
            closing = response.will_close
            if 200 <= response.status < 300:
                with counters.lock:
                    counters.ok += 1
                    counters.by_method[method] += 1
            else:
                kind = f"HTTP {response.status} ({method})"
                with counters.lock:
                    counters.failures[kind] += 1
                events.append((time.monotonic() - start, index, kind))
            if closing:
                with counters.lock:
                    counters.server_closes += 1
                conn.close()
                conn = None
        except Exception as ex:  # any failure counts; the request is not sent again
            kind = f"{type(ex).__name__} ({method})"
            with counters.lock:
                counters.failures[kind] += 1
            events.append((time.monotonic() - start, index, kind))
            conn.close()
            conn = None
        time.sleep(rng.uniform(args.idle_min, args.idle_max))
    if conn is not None:
        conn.close()


def main():
    args = parse_args()
    headers = {"Connection": "keep-alive"}
    for h in args.header:
        name, _, value = h.partition(":")
        headers[name.strip()] = value.strip()
    counters = Counters(args.requests)
    start = time.monotonic()
    deadline = start + args.max_seconds
    events = []
    threads = [threading.Thread(target=worker, args=(i, args, headers, counters, deadline, start, events), daemon=True)
               for i in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + args.timeout + 5)
    elapsed = time.monotonic() - start
    if args.events_file:
        with open(args.events_file, "a") as f:
            for at, index, kind in sorted(events):
                f.write(f"{at:8.3f}s connection {index:3d} {kind}\n")
    failed = sum(counters.failures.values())
    summary = {
        "requests": counters.sent,
        "succeeded": counters.ok,
        "failed": failed,
        "failures": dict(counters.failures),
        "gets_ok": counters.by_method["GET"],
        "posts_ok": counters.by_method["POST"],
        "connection_close_from_server": counters.server_closes,
        "connections_opened": counters.connections_opened,
        "seconds": round(elapsed, 1),
        "unfinished_threads": sum(t.is_alive() for t in threads),
        "settings": {"connections": args.connections, "idle_seconds": [args.idle_min, args.idle_max],
                     "post_every": args.post_every, "timeout": args.timeout, "retries": 0,
                     "client": f"python {sys.version.split()[0]} http.client"},
    }
    print(json.dumps(summary))
    return 0 if failed == 0 and counters.sent == args.requests and summary["unfinished_threads"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
