#!/usr/bin/env python3
"""Keep-alive load that never retries: the client behind every zero-failure claim in this repository.

Used by scripts/zero-downtime-test.sh (SIGTERM behind HAProxy), scripts/k8s-selector-flip-sim.sh (Service selector
flip) and .ci/compose-e2e.sh (blue-green deploy and rollback). Its numbers are only worth something if it can see
the failures those tests are about, so it is built the way a careless real client behaves, not the way a benchmark
tool does:

Why keep-alive connections that sit idle. A shutdown or a routing switch does not hurt a request that opens a new
connection (that one is routed to wherever traffic goes now) and rarely one in flight (graceful shutdown finishes
it). What it hurts is the connection a client opened earlier, keeps in its pool, and reuses after a pause: the server
may have closed it, or it may still lead to the instance that is going away. So each thread owns exactly one
HTTP/1.1 connection and waits a random --idle-min..--idle-max seconds between requests, which leaves most connections
idle at any given moment, not synchronised with each other, just as real clients are. A client that opened a
connection per request would pass every one of these tests whether the drain works or not.

Why never retry. A retry turns a dropped request into a slow success and the count into a lie; the tests exist to
show a count of zero that means zero. A share of the requests are POST /api/v1/orders without an Idempotency-Key: a
client that gets no answer to one cannot know whether the order was placed, so replaying it would be wrong, and
nothing between this client and the service (router, HAProxy) may replay it either. A failure is any exception
(reset, RemoteDisconnected, timeout, refused) and any status other than the one the request must get (201 for the
POST, 200 for a GET); it is counted and never sent again. After an exception the connection is in an unknown state,
so it is dropped and the next request opens a new one, as a client library would; after a complete response with
the wrong status the connection is still sound and is kept, as a client library would keep it.

Why "Connection: close" is not a retry. It comes with a successful response: the server answered and asks the client
to go elsewhere for the NEXT request. http.client closes the socket after reading that response, and the next request
opens a new connection. That is how a draining instance moves keep-alive clients off itself, and the count of such
responses is reported, since it shows the drain at work.

Why the mix reads back its own orders (--own-order-share): a new slot that cannot read what the old one wrote, or a
rollback that lost writes, shows up as a 404 here, not only as a 5xx.

Why the connections start staggered (over 0..--idle-max): fifty connections opening in the same millisecond measure
a thundering herd that no steady set of clients produces, not the switch.

How long it runs: --requests in total, then stop; with --stop-file, at least --requests and then until that file
exists (the orchestrator creates it when its switches are done); always at most --max-seconds. Loopback targets
only: this is a test instrument for processes on this machine.

Output: the summary (JSON, one line) on stdout; while running, the same counts (JSON) rewritten every 0.5 s to
--progress-file; one line per failure to --events-file. The exit code says whether the client ran (0) or not
(2: bad arguments; 1: it crashed): whether the RUN passed is the caller's judgement, from the summary ("failed",
"complete"), since some runs are meant to fail (a control without the drain).
Standard library only.
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

ORDERS = "/api/v1/orders"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
FIRST_FAILURES = 20


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="loopback only: 127.0.0.1, ::1 or localhost")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, default=50, help="threads, each with one keep-alive connection")
    p.add_argument("--requests", type=int, default=20000,
                   help="requests to send over all connections; with --stop-file the minimum before it counts")
    p.add_argument("--stop-file", help="after --requests, keep sending until this file exists")
    p.add_argument("--max-seconds", type=float, default=600.0, help="stop sending after this long, whatever else")
    p.add_argument("--idle-min", type=float, default=0.1, help="seconds a connection idles between requests, minimum")
    p.add_argument("--idle-max", type=float, default=0.5, help="seconds a connection idles between requests, maximum")
    p.add_argument("--post-share", type=float, default=0.25, help="share of requests that are POST " + ORDERS)
    p.add_argument("--own-order-share", type=float, default=0.5,
                   help="share of requests that GET an order this connection created (the list until it has one)")
    p.add_argument("--list-path", default=ORDERS + "?page=0&size=5", help="the GET of the order list (the rest)")
    p.add_argument("--timeout", type=float, default=10.0, help="socket timeout per request, seconds")
    p.add_argument("--keys-file", help="one API key per line, sent as X-API-Key; connection i uses key i mod n")
    p.add_argument("--progress-file", help="the counts so far (JSON), rewritten every 0.5 s")
    p.add_argument("--events-file", help="one line per failed request (time, connection, kind, detail)")
    args = p.parse_args(argv)
    if args.host not in LOOPBACK:
        p.error("only loopback targets are allowed (%s)" % ", ".join(LOOPBACK))
    if not 0 <= args.idle_min <= args.idle_max:
        p.error("need 0 <= --idle-min <= --idle-max")
    if not (0 <= args.post_share and 0 <= args.own_order_share and args.post_share + args.own_order_share <= 1):
        p.error("need shares >= 0 with --post-share + --own-order-share <= 1")
    if args.connections < 1 or args.requests < 0:
        p.error("need --connections >= 1 and --requests >= 0")
    return args


class Run:
    """Counts and the stop decision, shared by all connections (one lock; contention is negligible at this rate)."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.deadline = self.start + args.max_seconds
        self.stopping = threading.Event()
        self.stopped_by = None
        self.sent = 0
        self.ok = collections.Counter()
        self.failures = collections.Counter()
        self.served_by = collections.Counter()
        self.server_closes = 0
        self.connections_opened = 0
        self.events = []

    def next_request(self):
        """Permission to send one more request; False once the run is over (and every later call says so too)."""
        with self.lock:
            if self.stopped_by is None:
                if time.monotonic() >= self.deadline:
                    self.stopped_by = "max-seconds"
                elif self.sent < self.args.requests:
                    self.sent += 1
                    return True
                elif self.args.stop_file is None:
                    self.stopped_by = "requests"
                elif os.path.exists(self.args.stop_file):
                    self.stopped_by = "stop-file"
                else:
                    self.sent += 1
                    return True
        self.stopping.set()
        return False

    def opened(self):
        with self.lock:
            self.connections_opened += 1

    def answered(self, method, ok, served, will_close):
        with self.lock:
            if ok:
                self.ok[method] += 1
            if served:
                self.served_by[served] += 1
            if will_close:
                self.server_closes += 1

    def failed(self, index, kind, detail):
        now = time.time()
        with self.lock:
            self.failures[kind] += 1
            self.events.append((round(time.monotonic() - self.start, 3), now, index, kind, detail))

    def counts(self):
        with self.lock:
            seconds = time.monotonic() - self.start
            completed = sum(self.ok.values()) + sum(self.failures.values())
            return {
                "requests": self.sent,
                "succeeded": sum(self.ok.values()),
                "failed": sum(self.failures.values()),
                "failures": dict(self.failures),
                "posts_ok": self.ok["POST"],
                "gets_ok": self.ok["GET"],
                "served_by": dict(self.served_by),
                "connection_close_from_server": self.server_closes,
                "connections_opened": self.connections_opened,
                "seconds": round(seconds, 1),
                "requests_per_second": round(completed / seconds, 1) if seconds > 0 else 0.0,
            }


def wall(epoch):
    return time.strftime("%H:%M:%S", time.gmtime(epoch)) + ".%03dZ" % (epoch % 1 * 1000)


def worker(run, index, key):
    args = run.args
    rng = random.Random(index)
    headers = {"Accept": "application/json"}
    if key:
        headers["X-API-Key"] = key
    post_headers = dict(headers, **{"Content-Type": "application/json"})
    own_orders = []
    conn = None
    n = 0
    run.stopping.wait(rng.uniform(0, args.idle_max))
    while run.next_request():
        n += 1
        roll = rng.random()
        # The same mix from the first request on: a connection without an order of its own yet reads the list.
        if roll < args.post_share:
            method, path, expected = "POST", ORDERS, 201
            body = json.dumps({"sku": "LOAD-%03d" % index, "quantity": 1 + n % 5})
        elif roll < args.post_share + args.own_order_share and own_orders:
            method, path, body, expected = "GET", ORDERS + "/" + rng.choice(own_orders), None, 200
        else:
            method, path, body, expected = "GET", args.list_path, None, 200
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
            run.opened()
        try:
            conn.request(method, path, body=body, headers=post_headers if body is not None else headers)
            response = conn.getresponse()
            payload = response.read()
        except Exception as ex:  # whatever it was, this request failed and is not sent again
            run.failed(index, "%s %s" % (type(ex).__name__, method), "%s %s: %r" % (method, path, ex))
            conn.close()
            conn = None
        else:
            served = response.getheader("X-Served-By")
            ok = response.status == expected
            run.answered(method, ok, served, response.will_close)
            if not ok:
                run.failed(index, "HTTP %d %s" % (response.status, method),
                           "%s %s served by %s: %r" % (method, path, served or "-", payload[:200]))
            elif method == "POST" and args.own_order_share > 0:
                try:
                    own_orders.append(json.loads(payload)["id"])
                    del own_orders[:-20]
                except (ValueError, KeyError, TypeError):
                    pass
            if response.will_close:
                # The server asked for it (Connection: close); http.client has closed the socket already.
                conn.close()
                conn = None
        run.stopping.wait(rng.uniform(args.idle_min, args.idle_max))
    if conn is not None:
        conn.close()


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)  # readers never see a half-written file


def main(argv=None):
    args = parse_args(argv)
    keys = []
    if args.keys_file:
        with open(args.keys_file) as f:
            keys = [line.strip() for line in f if line.strip()]
    run = Run(args)
    threads = [threading.Thread(target=worker, args=(run, i, keys[i % len(keys)] if keys else None),
                                name="connection-%d" % i, daemon=True) for i in range(args.connections)]
    for t in threads:
        t.start()
    while True:
        alive = [t for t in threads if t.is_alive()]
        # A thread stuck past the deadline plus one timeout is reported as unfinished, not waited for.
        if not alive or time.monotonic() > run.deadline + args.timeout + 10:
            break
        if args.progress_file:
            write_json(args.progress_file, run.counts())
        alive[0].join(0.5)
    summary = run.counts()
    if args.progress_file:
        write_json(args.progress_file, summary)
    events = sorted(run.events)
    if args.events_file:
        with open(args.events_file, "w") as f:
            for at, epoch, index, kind, detail in events:
                f.write("%8.3fs %s connection %3d %s: %s\n" % (at, wall(epoch), index, kind, detail))
    unfinished = sum(t.is_alive() for t in threads)
    stopped_by = run.stopped_by or "max-seconds"
    list_share = 1 - args.post_share - args.own_order_share
    summary.update({
        "stopped_by": stopped_by,
        "unfinished_threads": unfinished,
        "complete": stopped_by != "max-seconds" and unfinished == 0,
        "first_failures": [{"seconds": at, "time": wall(epoch), "connection": index, "kind": kind, "detail": detail}
                           for at, epoch, index, kind, detail in events[:FIRST_FAILURES]],
        "settings": {
            "connections": args.connections, "requests": args.requests, "stop_file": args.stop_file,
            "max_seconds": args.max_seconds, "idle_seconds": [args.idle_min, args.idle_max],
            "post_share": args.post_share, "own_order_share": args.own_order_share, "list_path": args.list_path,
            "mix": "%g%% POST %s (201), %g%% GET %s/{own id} (200), %g%% GET %s (200)" % (
                100 * args.post_share, ORDERS, 100 * args.own_order_share, ORDERS, 100 * list_share, args.list_path),
            "keep_alive": True, "retries": 0, "start": "staggered over 0..idle-max", "timeout_seconds": args.timeout,
            "api_keys": len(keys),
            "client": "python %s http.client, one thread per connection" % sys.version.split()[0],
        },
    })
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
