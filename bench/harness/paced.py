#!/usr/bin/env python3
"""Constant-rate (open-loop) HTTP client: request i is due at start + i / rate, whatever happened to the others.

wrk keeps a fixed number of requests in flight (closed loop), so it cannot offer "twice the limit"; wrk2 is not
packaged. This client spreads the due requests over worker threads, each with its own keep-alive connection, and
records for every request: when it was due, when it was sent, how long the response took, and the status.

Usage: paced.py --port P --path /x --rate 400 --duration 10 [--header 'K: V'] [--workers 16] --out file.json
Only 127.0.0.1 is ever contacted.
"""
import argparse
import http.client
import json
import threading
import time


def get_status(connection, path, headers):
    """One GET on a keep-alive connection: the status, or "error:<exception>" (never raised). The connection is closed
    when the server asks for it or a request fails; http.client opens a new one for the next request."""
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
        return response.status
    except (OSError, http.client.HTTPException) as ex:
        connection.close()
        return "error:" + type(ex).__name__


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second offered")
    parser.add_argument("--duration", type=float, required=True, help="seconds")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    headers = {}
    for header in args.header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    total = int(round(args.rate * args.duration))
    interval = 1.0 / args.rate
    records = [None] * total
    start = time.monotonic() + 0.2  # let every worker reach its first wait

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
        for i in range(index, total, args.workers):
            due = start + i * interval
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            status = get_status(connection, args.path, headers)
            done = time.monotonic()
            records[i] = [round(due - start, 6), round(sent - start, 6), round((done - sent) * 1000, 4), status]
        connection.close()

    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(args.out, "w") as out:
        json.dump({"rate": args.rate, "duration": args.duration, "workers": args.workers,
                   "fields": ["due_s", "sent_s", "latency_ms", "status"], "records": records}, out)


if __name__ == "__main__":
    main()
