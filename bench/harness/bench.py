#!/usr/bin/env python3
"""Benchmark harness (issue 7): the template against a bare Spring Boot service, side by side on one machine.

Run through bench/run.sh, which installs the tools, builds both services and the JMH benchmark, and then calls this.
Phases (all by default): startup, throughput, ratelimit, memory, prometheus, jmh. Writes results.json,
RESULTS.md and chart.png into the results directory. Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import apps as A  # noqa: E402
import jfr  # noqa: E402
import paced  # noqa: E402
import procs as P  # noqa: E402
import report  # noqa: E402
from procs import log  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
WORK = BENCH / "work"
PHASES = ("startup", "throughput", "ratelimit", "memory", "prometheus", "jmh")


# ----------------------------------------------------------------------------------------------------------- settings

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run (about 5 minutes); results go to "
                        "bench/work/results-quick unless --results is given")
    parser.add_argument("--only", default=",".join(PHASES), help="comma-separated phases: " + ",".join(PHASES))
    parser.add_argument("--results", help="results directory (default bench/results)")
    parser.add_argument("--label", default="", help="label written into the results, e.g. provisional")
    parser.add_argument("--java", default=os.environ.get("BENCH_JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"))
    parser.add_argument("--db", choices=("postgres", "h2"), default=os.environ.get("BENCH_DB", "postgres"))
    parser.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                           "jdbc:postgresql://127.0.0.1:5432/bench"))
    parser.add_argument("--db-user", default=os.environ.get("BENCH_DATABASE_USERNAME", "bench"))
    parser.add_argument("--db-password", default=os.environ.get("BENCH_DATABASE_PASSWORD", "bench"))
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT_BASE", "18700")))
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load generator to CPUs")
    parser.add_argument("--server-cpus", default="0")
    parser.add_argument("--client-cpus", default="1")
    parser.add_argument("--runs", type=int, help="measured starts per service and packaging (default 5, quick 2)")
    parser.add_argument("--rounds", type=int, help="interleaved throughput rounds (default 3, quick 1)")
    parser.add_argument("--duration", type=int, help="seconds per wrk measurement (default 10, quick 3)")
    parser.add_argument("--warmup", type=int, help="seconds of wrk warm-up per configuration (default 10, quick 3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--limit", type=int, default=200, help="rate limit per second for the accuracy test")
    parser.add_argument("--rl-duration", type=int, help="seconds of offered load at 2x the limit (default 10)")
    parser.add_argument("--clients", type=int, default=1_000_000, help="distinct clients for the store memory test")
    parser.add_argument("--cardinality", type=int, help="requests per kind in the cardinality run (default 2500)")
    parser.add_argument("--no-profile", action="store_true", help="skip the JFR profile of the throughput run")
    parser.add_argument("--report-only", help="re-render RESULTS.md and chart.png from this results.json")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = dict(runs=(2, 5), rounds=(1, 3), duration=(3, 10), warmup=(3, 10), rl_duration=(5, 10),
                    cardinality=(500, 2500))
    for name, (quick_value, full_value) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick_value if quick else full_value)
    if args.results is None:
        args.results = str(WORK / "results-quick") if quick else str(BENCH / "results")
    args.phases = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s) {sorted(unknown)}")
    return args


class Context:
    def __init__(self, args):
        self.args = args
        self.java = Path(args.java)
        self.jdk_bin = self.java.parent
        self.keys = A.ApiKeys()
        self.db = A.Database(args.db, args.db_url, args.db_user, args.db_password)
        self.ports = P.Ports(args.port_base)
        self.logs = WORK / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        probe = BENCH / "probe" / "target" / "bench-probe-0.1.0-SNAPSHOT.jar"
        # Whatever the project's name and version (scripts/rename.sh, a release): the one jar the build made.
        jars = sorted(p for p in (ROOT / "target").glob("*.jar") if not p.name.endswith(("-sources.jar", "-plain.jar")))
        if len(jars) != 1:
            sys.exit(f"expected one application jar in {ROOT / 'target'}, found {[p.name for p in jars]}")
        self.template = A.App("template", jars[0], WORK / "template" / "extracted", probe)
        self.baseline = A.App("baseline", BENCH / "baseline" / "target" / "baseline.jar",
                              WORK / "baseline" / "extracted", probe)
        self.server_cpus = None if args.no_pin else args.server_cpus
        self.client_cpus = None if args.no_pin else args.client_cpus

    def start(self, app, name, packaging="extracted", args=(), jvm=(), with_probe=False, pinned=False, env=None):
        cmd, cwd = app.command(self.java, packaging, args=args, jvm=jvm, with_probe=with_probe)
        return P.Proc(name, cmd, env, cwd, self.logs / f"{name}.log", cpus=self.server_cpus if pinned else None)

    def template_instance(self, name, args=(), jvm=(), packaging="extracted", with_probe=True, pinned=True,
                          extra_env=None, all_clients=False):
        port, management = self.ports.take(), self.ports.take()
        env = A.template_env(self.db, self.keys, port, management, name.replace("-", "_"), extra_env, all_clients)
        proc = self.start(self.template, name, packaging, args, jvm, with_probe, pinned, env)
        return Server(proc, port, management)

    def baseline_instance(self, name, args=(), jvm=(), packaging="extracted", with_probe=True, pinned=True):
        port = self.ports.take()
        proc = self.start(self.baseline, name, packaging, args, jvm, with_probe, pinned, A.baseline_env(port))
        return Server(proc, port, port)


class Server:
    def __init__(self, proc, port, management_port):
        self.proc = proc
        self.port = port
        self.management_port = management_port

    def ready(self, timeout=120):
        return P.wait_ready(self.proc, self.port, timeout=timeout)


def stop_all(servers, grace=20):
    for server in servers:
        server.proc._signal(15)
    for server in servers:
        if not server.proc._reap(grace):
            server.proc.kill()


# ------------------------------------------------------------------------------------------------------------ numbers

def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values),
            "values": values}


def ratio(a, b):
    return (a / b) if (a is not None and b) else None


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    index = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[index]


def loadavg():
    return list(os.getloadavg())


# ------------------------------------------------------------------------------------------------------------ startup

STARTED_LINE = re.compile(r"Started \w+ in ([0-9.]+) seconds \(process running for ([0-9.]+)\)")


def phase_startup(ctx):
    """Start to /readyz 200 and RSS at that moment, per service and packaging, interleaved."""
    args = ctx.args
    template_ports = (ctx.ports.take(), ctx.ports.take())
    baseline_port = ctx.ports.take()
    services = {
        "template": (ctx.template, lambda: A.template_env(ctx.db, ctx.keys, *template_ports, "startup")),
        "baseline": (ctx.baseline, lambda: A.baseline_env(baseline_port)),
    }
    ports = {"template": template_ports[0], "baseline": baseline_port}

    training = {}
    for name, (app, env) in services.items():
        if app.aot_file.exists():
            app.aot_file.unlink()
        cmd, cwd = app.training_command(ctx.java)
        proc = P.Proc(f"aot-training-{name}", cmd, env(), cwd, ctx.logs / f"aot-training-{name}.log")
        started = time.monotonic()
        try:
            proc.popen.wait(300)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise RuntimeError(f"AOT training of {name} did not finish in 300 s; log {proc.log_path}")
        proc._reap(5)
        if proc.popen.returncode != 0 or not app.aot_file.exists():
            raise RuntimeError(f"AOT training of {name} failed ({proc.popen.returncode}); log {proc.log_path}:\n"
                               f"{proc.log_tail()}")
        training[name] = {"seconds": round(time.monotonic() - started, 2),
                          "cache_mb": round(app.aot_file.stat().st_size / 2**20, 1)}
        log(f"AOT cache for {name}: {training[name]}")

    warmups = 1
    runs = []
    for run in range(warmups + args.runs):
        for index, packaging in enumerate(A.PACKAGINGS):
            order = ["template", "baseline"] if (run + index) % 2 == 0 else ["baseline", "template"]
            for name in order:
                app, env = services[name]
                cmd, cwd = app.command(ctx.java, packaging)
                proc = P.Proc(f"startup-{name}-{packaging}", cmd, env(), cwd,
                              ctx.logs / f"startup-{name}-{packaging}.log")
                try:
                    ready = P.wait_ready(proc, ports[name])
                    rss = proc.rss_kb()
                finally:
                    proc.kill()
                text = proc.log_path.read_text(errors="replace")
                match = STARTED_LINE.search(text)
                record = {"service": name, "packaging": packaging, "run": run, "warmup": run < warmups,
                          "ready_ms": round(ready * 1000, 1), "rss_mb": round(rss / 1024, 1) if rss else None,
                          "log_started_s": float(match.group(1)) if match else None,
                          "log_process_running_s": float(match.group(2)) if match else None,
                          "load1": round(os.getloadavg()[0], 2)}
                runs.append(record)
                log(f"startup {name:8} {packaging:9} run {run}{' (warm-up)' if run < warmups else ''}: "
                    f"{record['ready_ms']:.0f} ms, RSS {record['rss_mb']} MB")
                time.sleep(0.3)

    profiles = profile_startup(ctx, services, ports)
    measured = [r for r in runs if not r["warmup"]]
    by = {}
    for name in services:
        for packaging in A.PACKAGINGS:
            rows = [r for r in measured if r["service"] == name and r["packaging"] == packaging]
            by[f"{name}/{packaging}"] = {"ready_ms": summary([r["ready_ms"] for r in rows]),
                                         "rss_mb": summary([r["rss_mb"] for r in rows])}
    ratios = {}
    for packaging in A.PACKAGINGS:
        t, b = by[f"template/{packaging}"], by[f"baseline/{packaging}"]
        paired = [ratio(tr["ready_ms"], br["ready_ms"]) for tr, br in zip(
            [r for r in measured if r["service"] == "template" and r["packaging"] == packaging],
            [r for r in measured if r["service"] == "baseline" and r["packaging"] == packaging])]
        ratios[packaging] = {"ready_template_over_baseline": ratio(t["ready_ms"]["median"], b["ready_ms"]["median"]),
                             "ready_paired_runs": summary(paired),
                             "rss_template_over_baseline": ratio(t["rss_mb"]["median"], b["rss_mb"]["median"])}
    aot_speedup = {name: {"fat_over_aot": ratio(by[f"{name}/fat"]["ready_ms"]["median"],
                                                by[f"{name}/aot"]["ready_ms"]["median"]),
                          "fat_over_extracted": ratio(by[f"{name}/fat"]["ready_ms"]["median"],
                                                      by[f"{name}/extracted"]["ready_ms"]["median"])}
                   for name in services}
    return {"database": ctx.db.describe(), "training": training, "runs": runs, "summary": by, "ratios": ratios,
            "profile": profiles,
            "aot_speedup": aot_speedup, "jvm_options": A.JVM_OPTIONS, "pinned": False,
            "method": "process start (fork) to the first 200 from GET /readyz, polled every 10 ms; RSS is VmRSS "
                      "from /proc/<pid>/status at that moment; one warm-up start per service and packaging "
                      "discarded; services alternate order; the process is killed after each start"}


def profile_startup(ctx, services, ports):
    """One more start per service (extracted) with JFR from the first instruction: execution samples until ready,
    charged to libraries, and the number of classes loaded by then."""
    out = {}
    jcmd = ctx.jdk_bin / "jcmd"
    for name, (app, env) in services.items():
        recording = WORK / "jfr" / f"startup-{name}.jfr"
        recording.parent.mkdir(parents=True, exist_ok=True)
        if recording.exists():
            recording.unlink()
        cmd, cwd = app.command(ctx.java, "extracted",
                               jvm=["-XX:StartFlightRecording=name=startup," + ",".join(jfr.SETTINGS)])
        proc = P.Proc(f"startup-profile-{name}", cmd, env(), cwd, ctx.logs / f"startup-profile-{name}.log")
        try:
            ready = P.wait_ready(proc, ports[name])
            subprocess.run([str(jcmd), str(proc.pid), "JFR.dump", "name=startup", f"filename={recording}"],
                           check=True, capture_output=True, timeout=60)
            counters = subprocess.run([str(jcmd), str(proc.pid), "PerfCounter.print"], capture_output=True,
                                      text=True, timeout=60).stdout
        finally:
            proc.kill()
        loaded = re.search(r"java\.cls\.loadedClasses=(\d+)", counters)
        shared = re.search(r"sun\.cls\.sharedLoadedClasses=(\d+)", counters)
        analysis = jfr.analyze(ctx.jdk_bin / "jfr", recording, startup=True)
        analysis.update({"ready_ms_with_jfr": round(ready * 1000), "classes_loaded": int(loaded.group(1)) if loaded
                         else None, "classes_from_cds": int(shared.group(1)) if shared else None,
                         "recording": str(recording.relative_to(ROOT))})
        out[name] = analysis
        log(f"startup profile {name}: {analysis['samples']} samples, {analysis['classes_loaded']} classes")
    return out


# --------------------------------------------------------------------------------------------------------- throughput

WRK_LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$", re.M)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(text):
    result = {}
    for pct, value, unit in WRK_LATENCY.findall(text):
        result[f"p{pct}_ms"] = float(value) * UNITS_MS[unit]
    match = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    result["rps"] = float(match.group(1)) if match else None
    match = re.search(r"(\d+) requests in ([0-9.]+)(\w+)", text)
    result["requests"] = int(match.group(1)) if match else None
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(int(g) for g in match.groups()) if match else 0
    return result


def wrk(ctx, port, path, headers, seconds, out_name, script=None):
    cmd = ["wrk", "-t1", f"-c{ctx.args.connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = WORK / "wrk" / f"{out_name}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    code, client_cpu, wall = P.run_measured(cmd, out, cpus=ctx.client_cpus, timeout=seconds + 60)
    text = out.read_text(errors="replace")
    if code != 0:
        raise RuntimeError(f"wrk failed ({code}): {text[-500:]}")
    result = parse_wrk(text)
    result.update({"client_cpu_s": round(client_cpu, 3), "wall_s": round(wall, 3)})
    return result


def measure_wrk(ctx, server, path, headers, seconds, out_name, script=None):
    cpu0, (busy0, _), load0 = server.proc.cpu_seconds(), P.machine_cpu(), os.getloadavg()[0]
    result = wrk(ctx, server.port, path, headers, seconds, out_name, script)
    cpu1, (busy1, _) = server.proc.cpu_seconds(), P.machine_cpu()
    server_cpu = cpu1 - cpu0
    result["server_cpu_s"] = round(server_cpu, 3)
    result["server_cpu_us_per_request"] = (round(server_cpu / result["requests"] * 1e6, 2)
                                           if result.get("requests") else None)
    result["other_cpu_cores"] = round(max(0.0, (busy1 - busy0) - server_cpu - result["client_cpu_s"])
                                      / result["wall_s"], 2)
    result["load1_before"] = round(load0, 2)
    return result


# The JIT compiles the hot path after some thousands of calls; warm up with at least this many requests.
WARMUP_REQUESTS = 30_000

THROUGHPUT_CONFIGS = [
    # key, instance, endpoint, expected status, compared with
    ("baseline-platform", "baseline-platform", "probe", 200, None),
    ("template-platform", "template-platform", "probe", 200, "baseline-platform"),
    ("baseline-virtual", "baseline-virtual", "probe", 200, None),
    ("template-virtual", "template-virtual", "probe", 200, "baseline-virtual"),
    ("template-rejecting", "template-rejecting", "probe", 429, "template-platform"),
    ("template-platform-lean", "template-lean", "probe", 200, "baseline-platform"),
    ("template-platform-db", "template-platform", "orders", 200, "baseline-platform"),
    ("template-virtual-db", "template-virtual", "orders", 200, "baseline-virtual"),
]


def phase_throughput(ctx):
    args = ctx.args
    stackdepth = ["-XX:FlightRecorderOptions:stackdepth=256"]
    platform_args, virtual_args = ["--spring.threads.virtual.enabled=false"], ["--spring.threads.virtual.enabled=true"]
    servers = {}
    try:
        servers["baseline-platform"] = ctx.baseline_instance("tp-baseline-platform", platform_args, stackdepth)
        servers["template-platform"] = ctx.template_instance(
            "tp-template-platform", platform_args + A.rate_limit_args(A.LIMIT_HIGH), stackdepth)
        servers["baseline-virtual"] = ctx.baseline_instance("tp-baseline-virtual", virtual_args, stackdepth)
        servers["template-virtual"] = ctx.template_instance(
            "tp-template-virtual", virtual_args + A.rate_limit_args(A.LIMIT_HIGH), stackdepth)
        servers["template-lean"] = ctx.template_instance(
            "tp-template-lean", platform_args + A.rate_limit_args(A.LIMIT_HIGH) + A.LEAN_ARGS, stackdepth)
        servers["template-rejecting"] = ctx.template_instance(
            "tp-template-rejecting", platform_args + A.rate_limit_args(1), stackdepth)
        for name, server in servers.items():
            log(f"{name}: ready in {server.ready():.1f} s on :{server.port}")

        order_path = create_order(ctx, servers["template-platform"])
        paths = {"probe": A.PROBE_PATH, "orders": order_path}
        headers = ctx.keys.header("bench")
        samples = {}
        for key, instance, endpoint, expected, _ in THROUGHPUT_CONFIGS:
            server = servers[instance]
            if endpoint == "orders" and order_path is None:
                continue
            if key == "template-rejecting":
                P.http_request(server.port, paths[endpoint], headers=headers)  # spends the one permit
            status, response_headers, body = P.http_request(server.port, paths[endpoint], headers=headers)
            if key == "template-rejecting" and status == 200:
                log("template-rejecting: still 200 with a limit of 1/s: this template has no rate limiter, "
                    "the rejection cost is not measured")
                continue
            if status != expected:
                raise RuntimeError(f"{key}: GET {paths[endpoint]} answered {status}, expected {expected}: "
                                   f"{body[:300]!r}")
            samples[key] = {"status": status, "headers": response_headers, "body_bytes": len(body),
                            "body": body.decode(errors="replace")[:600]}
        configs = [c for c in THROUGHPUT_CONFIGS if c[0] in samples]

        minimum = 5_000 if args.quick else WARMUP_REQUESTS
        for key, instance, endpoint, _, _ in configs:
            done = 0
            for attempt in range(4):  # bounded: a busy machine may not reach the minimum
                done += wrk(ctx, servers[instance].port, paths[endpoint], headers, args.warmup,
                            f"warmup-{key}-{attempt}")["requests"] or 0
                if done >= minimum:
                    break
            log(f"warm-up {key}: {done} requests")

        rounds = []
        for round_index in range(args.rounds):
            shift = round_index % len(configs)
            order = configs[shift:] + configs[:shift]
            for key, instance, endpoint, expected, _ in order:
                result = measure_wrk(ctx, servers[instance], paths[endpoint], headers, args.duration,
                                     f"round{round_index}-{key}")
                result.update({"config": key, "round": round_index})
                if expected == 200 and (result["non_2xx"] or result["socket_errors"]):
                    result["invalid"] = f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors"
                rounds.append(result)
                log(f"round {round_index} {key:22} {result['rps']:>9.0f} req/s  p50 {result.get('p50_ms', 0):.2f} "
                    f"ms  p99 {result.get('p99_ms', 0):.2f} ms  cpu/req {result['server_cpu_us_per_request']} us  "
                    f"other cores {result['other_cpu_cores']}")

        profile = None
        if not args.no_profile:
            profile = profile_throughput(ctx, servers, paths, headers)
    finally:
        stop_all(list(servers.values()))

    by = {}
    for key, *_ in configs:
        rows = [r for r in rounds if r["config"] == key]
        by[key] = {metric: summary([r.get(metric) for r in rows])
                   for metric in ("rps", "p50_ms", "p90_ms", "p99_ms", "server_cpu_us_per_request",
                                  "other_cpu_cores")}
    comparisons = {}
    for key, _, _, _, reference in configs:
        if reference is None or reference not in by:
            continue
        paired = {metric: [] for metric in ("rps", "p50_ms", "p99_ms", "server_cpu_us_per_request")}
        for round_index in range(args.rounds):
            mine = next(r for r in rounds if r["config"] == key and r["round"] == round_index)
            theirs = next(r for r in rounds if r["config"] == reference and r["round"] == round_index)
            for metric in paired:
                paired[metric].append(ratio(mine.get(metric), theirs.get(metric)))
        comparisons[f"{key} / {reference}"] = {metric: summary(values) for metric, values in paired.items()}
    return {"database": ctx.db.describe(), "paths": paths, "samples": samples, "rounds": rounds, "summary": by,
            "lean_args": A.LEAN_ARGS,
            "comparisons": comparisons, "profile": profile,
            "wrk": f"wrk -t1 -c{args.connections} -d{args.duration}s --latency --timeout 5s -H 'X-API-Key: ...'",
            "pinning": (f"servers on CPU {ctx.server_cpus}, wrk on CPU {ctx.client_cpus} (taskset)"
                        if ctx.server_cpus else "not pinned"),
            "jvm_options": A.JVM_OPTIONS + stackdepth}


def create_order(ctx, server):
    body = json.dumps({"sku": "BENCH-1", "quantity": 1}).encode()
    headers = dict(ctx.keys.header("bench"))
    headers.update({"Content-Type": "application/json", "Idempotency-Key": "bench-" + uuid.uuid4().hex})
    status, response_headers, data = P.http_request(server.port, "/api/v1/orders", "POST", headers, body)
    if status != 201:
        log(f"could not create an order ({status} {data[:200]!r}): the database read is not measured")
        return None
    return urllib.parse.urlsplit(response_headers["location"]).path


def profile_throughput(ctx, servers, paths, headers):
    """One extra wrk run per service with JFR execution sampling; CPU samples attributed by library."""
    out = {}
    jcmd = ctx.jdk_bin / "jcmd"
    for key in ("template-platform", "baseline-platform"):
        server = servers[key]
        recording = WORK / "jfr" / f"{key}.jfr"
        recording.parent.mkdir(parents=True, exist_ok=True)
        if recording.exists():
            recording.unlink()
        subprocess.run([str(jcmd), str(server.proc.pid), "JFR.start", "name=bench", *jfr.SETTINGS,
                        f"filename={recording}"], check=True, capture_output=True)
        result = measure_wrk(ctx, server, paths["probe"], headers, ctx.args.duration, f"profile-{key}")
        subprocess.run([str(jcmd), str(server.proc.pid), "JFR.stop", "name=bench"], check=True, capture_output=True)
        analysis = jfr.analyze(ctx.jdk_bin / "jfr", recording)
        analysis["wrk"] = {k: result.get(k) for k in ("rps", "p50_ms", "p99_ms", "server_cpu_us_per_request")}
        analysis["recording"] = str(recording.relative_to(ROOT))
        out[key] = analysis
        log(f"profile {key}: {analysis['samples']} samples")
    return out


# ---------------------------------------------------------------------------------------------------------- ratelimit

def write_rotating_keys_script(ctx, path):
    script = WORK / "wrk" / "rotating-keys.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    keys = [v for k, v in ctx.keys.keys.items() if k.startswith("warm")]
    script.write_text("-- wrk: one request per warm-up client in turn, so most requests are admitted\n"
                      "local keys = {" + ", ".join(f'"{k}"' for k in keys) + "}\n"
                      "local i = 0\n"
                      "request = function()\n"
                      "  i = i + 1\n"
                      f'  return wrk.format("GET", "{path}", {{["X-API-Key"] = keys[(i % #keys) + 1]}})\n'
                      "end\n")
    return script


def phase_ratelimit(ctx):
    args = ctx.args
    limit = args.limit
    server = ctx.template_instance("rl-template", A.rate_limit_args(limit, "1s"), all_clients=True)
    try:
        log(f"rl-template ready in {server.ready():.1f} s")
        script = write_rotating_keys_script(ctx, A.PROBE_PATH)
        warm = wrk(ctx, server.port, A.PROBE_PATH, {}, args.warmup, "rl-warmup", script)
        log(f"rate-limit warm-up: {warm['rps']:.0f} req/s, {warm['non_2xx']} rejected")
        out = WORK / "ratelimit-paced.json"
        rate = 2 * limit
        cmd = [sys.executable, str(BENCH / "harness" / "paced.py"), "--port", str(server.port), "--path",
               A.PROBE_PATH, "--rate", str(rate), "--duration", str(args.rl_duration), "--workers", "16",
               "--header", f"X-API-Key: {ctx.keys.keys['ratelimit']}", "--out", str(out)]
        cpu0 = server.proc.cpu_seconds()
        code, client_cpu, wall = P.run_measured(cmd, WORK / "ratelimit-paced.log", cpus=ctx.client_cpus,
                                                timeout=args.rl_duration + 120)
        server_cpu = server.proc.cpu_seconds() - cpu0
        if code != 0:
            raise RuntimeError("paced client failed: " + (WORK / "ratelimit-paced.log").read_text()[-800:])
        rejected_sample = None
        for _ in range(2 * limit + 10):  # spend the current window's permits, keep the first rejection
            status, headers, body = P.http_request(server.port, A.PROBE_PATH, headers=ctx.keys.header("ratelimit"))
            if status == 429:
                rejected_sample = {"status": status, "headers": headers, "body": body.decode(errors="replace")}
                break
    finally:
        stop_all([server])
    data = json.loads(out.read_text())
    result = analyze_paced(data["records"], limit)
    result.update({"limit_per_second": limit, "offered_per_second": rate, "duration_s": args.rl_duration,
                   "client": "bench/harness/paced.py: open loop, 16 threads with one keep-alive connection each, "
                             "request i due at start + i/rate; latency = send to full response",
                   "client_cpu_s": round(client_cpu, 2), "server_cpu_s": round(server_cpu, 2),
                   "warmup": {k: warm.get(k) for k in ("rps", "non_2xx", "requests")},
                   "sample_rejection": rejected_sample})
    return result


# Beyond this p99 lag behind schedule the offered load was not even, and windows say nothing about the limiter.
MAX_SEND_LAG_S = 0.02


def analyze_paced(records, limit):
    records = [r for r in records if r is not None]
    admitted = sorted(r[1] for r in records if r[3] == 200)
    rejected = [r for r in records if r[3] == 429]
    other = {}
    for r in records:
        if r[3] not in (200, 429):
            other[str(r[3])] = other.get(str(r[3]), 0) + 1
    lag = [r[1] - r[0] for r in records]
    windows = []
    if admitted:
        # The client's limiter is created by its first request, so its windows start there.
        start = min(r[1] for r in records)
        end = max(r[1] for r in records)
        for k in range(int(end - start)):
            low, high = start + k, start + k + 1
            windows.append(sum(1 for t in admitted if low <= t < high))
    sliding_max = 0
    j = 0
    for i, t in enumerate(admitted):
        while admitted[j] < t - 1.0:
            j += 1
        sliding_max = max(sliding_max, i - j + 1)
    deviations = [(w - limit) / limit * 100 for w in windows]

    def latency(rows):
        values = [r[2] for r in rows]
        return {"n": len(values), "p50_ms": percentile(values, 50), "p90_ms": percentile(values, 90),
                "p99_ms": percentile(values, 99), "mean_ms": statistics.fmean(values) if values else None}

    ok_rows = [r for r in records if r[3] == 200]
    lag_p99 = percentile(lag, 99) if lag else None
    schedule_kept = lag_p99 is not None and lag_p99 <= MAX_SEND_LAG_S
    return {"schedule_kept": schedule_kept, "requests": len(records), "admitted": len(admitted), "rejected": len(rejected), "other": other,
            "admitted_per_window": windows, "window_deviation_percent": deviations,
            "max_abs_deviation_percent": max((abs(d) for d in deviations), default=None),
            "max_admitted_in_any_sliding_second": sliding_max,
            "send_lag_ms": {"p50": percentile(lag, 50) * 1000 if lag else None,
                            "p99": percentile(lag, 99) * 1000 if lag else None,
                            "max": max(lag) * 1000 if lag else None},
            "latency_admitted": latency(ok_rows), "latency_rejected": latency(rejected)}


# ------------------------------------------------------------------------------------------------------------- memory

def jmh_classpath():
    template_dir = WORK / "template" / "extracted"
    jars = sorted(template_dir.glob("*.jar")) + sorted((template_dir / "lib").glob("*.jar"))
    jmh_libs = sorted((BENCH / "jmh" / "target" / "jmh-lib").glob("*.jar"))
    return ":".join([str(WORK / "jmh" / "classes")] + [str(j) for j in jmh_libs + jars])


def phase_memory(ctx):
    """The limiter store fed with --clients distinct client addresses: at the template's configured bound in a small
    heap, and with a bound as large as the number of clients (what an unbounded registry holds) in a large one."""
    classes = WORK / "jmh" / "classes"
    if not classes.exists():
        raise RuntimeError("JMH classes missing: bench/run.sh compiles them (the template needs the ratelimit package)")
    results = {}
    for mode, heap in (("bounded", "-Xmx256m"), ("unbounded", "-Xmx3g")):
        out = WORK / f"memory-{mode}.json"
        cmd = [str(ctx.java), heap, "-XX:+UseG1GC", "-cp", jmh_classpath(),
               "com.example.service.ratelimit.LimiterStoreFootprint", str(ctx.args.clients), mode, str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        (ctx.logs / f"memory-{mode}.log").write_text(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            raise RuntimeError(f"LimiterStoreFootprint {mode} failed ({proc.returncode}):\n"
                               f"{(proc.stdout + proc.stderr)[-1500:]}")
        result = json.loads(out.read_text())
        result["jvm"] = heap + " -XX:+UseG1GC"
        results[mode] = result
        log(f"limiter store, {mode}: {json.dumps({k: v for k, v in result.items() if k != 'progress'})}")
    bounded = results["bounded"]
    bounded["without_bound"] = results["unbounded"]
    bounded["unbounded_estimate_mb"] = results["unbounded"]["retained_mb"]
    bounded["template_test"] = run_store_test(ctx)
    return bounded


STORE_TEST = "BoundedStoreMemoryTest"
STORE_TEST_LINE = re.compile(r"\[bounded-store\][^\n]*")


def run_store_test(ctx):
    """The template's own test of the bounded store (issue 3), run as it is, as a cross-check of the figures."""
    if not list((ROOT / "src" / "test" / "java").rglob(f"{STORE_TEST}.java")):
        return {"skipped": f"the template has no {STORE_TEST}"}
    env = dict(os.environ, JAVA_HOME=str(ctx.jdk_bin.parent))
    cmd = ["./mvnw", "-B", "-q", "-ntp", "test", f"-Dtest={STORE_TEST}", "-Dsurefire.failIfNoSpecifiedTests=false",
           "-Djacoco.skip=true", "-Dspring-javaformat.skip=true"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    (ctx.logs / "store-test.log").write_text(proc.stdout + proc.stderr)
    line = STORE_TEST_LINE.search(proc.stdout + proc.stderr)
    log(f"{STORE_TEST}: exit {proc.returncode}: {line.group(0) if line else 'no [bounded-store] line'}")
    text = proc.stdout + proc.stderr
    ran = line is not None or re.search(r"Tests run: \d+", text) is not None
    return {"command": " ".join(cmd), "passed": (proc.returncode == 0) if ran else None,
            "did_not_run": None if ran else "the test did not run (build error, see bench/work/logs/store-test.log)",
            "output": line.group(0) if line else None,
            "seconds": round(time.monotonic() - started, 1)}


# --------------------------------------------------------------------------------------------------------- prometheus

def scrape(port, count):
    times, series, size, text = [], None, None, ""
    for _ in range(count):
        started = time.monotonic()
        status, _, body = P.http_request(port, "/actuator/prometheus", timeout=10)
        times.append((time.monotonic() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"/actuator/prometheus answered {status}")
        text = body.decode(errors="replace")
        size = len(body)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    series = len(lines)
    families = {}
    for line in lines:
        name = re.split(r"[{ ]", line, 1)[0]
        families[name] = families.get(name, 0) + 1
    return {"latency_ms": summary(times), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "series": series, "bytes": size, "families": families}, text


def send_many(port, requests, threads=4):
    """Sends (path, headers) pairs over keep-alive connections; returns a count per status."""
    import http.client
    counts = {}
    lock = threading.Lock()

    def worker(chunk):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local = {}
        for path, headers in chunk:
            status = paced.get_status(connection, path, headers)
            local[status] = local.get(status, 0) + 1
        with lock:
            for k, v in local.items():
                counts[str(k)] = counts.get(str(k), 0) + v

    chunks = [requests[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return counts


def phase_prometheus(ctx):
    args = ctx.args
    n = args.cardinality
    server = ctx.template_instance("prom-template", A.rate_limit_args(A.LIMIT_HIGH),
                                   extra_env={"APP_RATELIMIT_TRUSTED_PROXIES": "127.0.0.1/32"})
    try:
        log(f"prom-template ready in {server.ready():.1f} s")
        key = ctx.keys.header("bench")
        order_path = create_order(ctx, server)
        normal = [(A.PROBE_PATH, key)] * 20 + [("/api/v1/orders/" + str(uuid.uuid4()), key)] * 5 \
            + [(A.PROBE_PATH, {})] * 5 + ([(order_path, key)] * 20 if order_path else [])
        normal_counts = send_many(server.port, normal, threads=2)
        scrape(server.management_port, 3)  # JIT and first-scrape costs
        idle, _ = scrape(server.management_port, 20)
        log(f"idle scrape: {idle['series']} series, p50 {idle['p50_ms']:.1f} ms")

        def address(i):
            return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"

        cardinality = []
        for i in range(n):
            cardinality.append((f"/api/v1/unknown-{i}/x", key))                             # 404, known client
            cardinality.append((f"/api/v1/orders/{uuid.uuid4()}", key))                     # 404, templated URI
            cardinality.append((A.PROBE_PATH, {"X-Forwarded-For": address(i)}))             # 401, new address
            cardinality.append((f"/nope-{i}", {"X-API-Key": f"wrong-{i}",
                                               "X-Forwarded-For": address(n + i)}))         # unknown key and URI
        random.Random(7).shuffle(cardinality)
        started = time.monotonic()
        # In two halves: if the series count still grows between the halves, it grows with the traffic.
        half = len(cardinality) // 2
        counts = send_many(server.port, cardinality[:half])
        halfway, _ = scrape(server.management_port, 1)
        for status, count in send_many(server.port, cardinality[half:]).items():
            counts[status] = counts.get(status, 0) + count
        elapsed = time.monotonic() - started
        log(f"cardinality run: {len(cardinality)} requests in {elapsed:.1f} s: {counts}; "
            f"{halfway['series']} series after the first half")
        after, text = scrape(server.management_port, 20)
        log(f"after: {after['series']} series, p50 {after['p50_ms']:.1f} ms")
        leaked = sorted({m for m in re.findall(r'"([^"]*)"', text)
                         if re.search(r"unknown-\d|nope-\d|wrong-\d|^10\.\d+\.\d+\.\d+$", m)})
        grew = {name: [idle["families"].get(name, 0), count] for name, count in after["families"].items()
                if count != idle["families"].get(name, 0)}
    finally:
        stop_all([server])
    for snapshot in (idle, after):
        snapshot["top_families"] = sorted(snapshot.pop("families").items(), key=lambda kv: -kv[1])[:15]
    return {"idle": idle, "after": after, "series_after_half": halfway["series"],
            "cardinality_requests": len(cardinality),
            "cardinality_statuses": counts, "normal_statuses": normal_counts, "families_that_grew": grew,
            "leaked_label_values": leaked[:20], "leaked_label_value_count": len(leaked),
            "kinds": ["valid key + distinct unknown URI /api/v1/unknown-<i>/x (404)",
                      "valid key + /api/v1/orders/<random uuid> (404, templated URI)",
                      "no key + distinct X-Forwarded-For address (401)",
                      "distinct wrong key + distinct unknown URI /nope-<i> + distinct address"],
            "trusted_proxies": "127.0.0.1/32"}


# ---------------------------------------------------------------------------------------------------------------- jmh

def phase_jmh(ctx):
    classes = WORK / "jmh" / "classes"
    if not (classes / "META-INF" / "BenchmarkList").exists():
        raise RuntimeError("JMH benchmarks not compiled (bench/run.sh does it when the template has a "
                           "ratelimit package)")
    out = WORK / "jmh.json"
    quick = ctx.args.quick
    cmd = [str(ctx.java), "-cp", jmh_classpath(), "org.openjdk.jmh.Main", "RateLimitPathBenchmark|StoreMaintenanceBenchmark",
           "-f", "1", "-wi", "2" if quick else "3", "-w", "1s", "-i", "3" if quick else "5", "-r", "1s",
           "-prof", "gc", "-rf", "json", "-rff", str(out)]
    log("JMH: " + " ".join(cmd[4:]))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    (ctx.logs / "jmh.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"JMH failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-2000:]}")
    rows = []
    for entry in json.loads(out.read_text()):
        secondary = entry.get("secondaryMetrics", {})
        alloc = secondary.get("gc.alloc.rate.norm", {})
        rows.append({"benchmark": entry["benchmark"].rsplit(".", 1)[-1], "params": entry.get("params", {}),
                     "mode": entry["mode"], "score": entry["primaryMetric"]["score"],
                     "error": entry["primaryMetric"]["scoreError"], "unit": entry["primaryMetric"]["scoreUnit"],
                     "alloc_bytes_per_op": alloc.get("score"),
                     "raw": entry["primaryMetric"].get("rawData")})
    return {"command": "java -cp <bench/work/jmh/classes:JMH:template jar and lib/*> org.openjdk.jmh.Main "
                       + " ".join(cmd[4:-2]), "results": rows}


# ------------------------------------------------------------------------------------------------------------- main

def machine_info(ctx):
    def run(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
    cpu_model = None
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        mem_kb = int(meminfo.readline().split()[1])
    java_version = subprocess.run([str(ctx.java), "-version"], capture_output=True, text=True).stderr.strip()
    return {"hostname": platform.node(), "kernel": platform.release(), "cpus": os.cpu_count(),
            "cpu_model": cpu_model, "memory_gb": round(mem_kb / 2**20, 1), "java": java_version.splitlines(),
            "wrk": (run("wrk", "--version") or "").splitlines()[:1] if shutil.which("wrk") else None,
            "python": platform.python_version(), "os": run("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME")}


def git_info():
    def git(*args):
        return subprocess.run(["git", "-C", str(ROOT)] + list(args), capture_output=True, text=True).stdout.strip()
    return {"commit": git("rev-parse", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
            "describe": git("log", "-1", "--format=%h %s"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def main(argv):
    args = parse_args(argv)
    results_dir = Path(args.results)
    if args.report_only:
        results = json.loads(Path(args.report_only).read_text())
        report.write(results, results_dir, Path(args.java))
        return 0
    ctx = Context(args)
    results_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = {
        "schema": 1,
        "label": args.label or ("quick" if args.quick else ""),
        "command": os.environ.get("BENCH_COMMAND", "bench/run.sh") ,
        "harness_argv": argv,
        "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git": git_info(),
        "machine": machine_info(ctx),
        "load_at_start": loadavg(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("report_only",)},
        "phases": {},
    }
    log(f"load average at start: {results['load_at_start']}")
    functions = {"startup": phase_startup, "throughput": phase_throughput, "ratelimit": phase_ratelimit,
                 "memory": phase_memory, "prometheus": phase_prometheus, "jmh": phase_jmh}
    for phase in args.phases:
        log(f"=== {phase}")
        phase_started = time.monotonic()
        load_before = loadavg()
        try:
            outcome = functions[phase](ctx)
        except Exception as ex:  # one failed phase must not lose the others
            traceback.print_exc()
            outcome = {"error": f"{type(ex).__name__}: {ex}"[:3000]}
        outcome["load_before"] = load_before
        outcome["load_after"] = loadavg()
        outcome["seconds"] = round(time.monotonic() - phase_started, 1)
        results["phases"][phase] = outcome
        (WORK / "results-partial.json").write_text(json.dumps(results, indent=1, default=str))
    results["load_at_end"] = loadavg()
    results["seconds"] = round(time.monotonic() - started, 1)
    (results_dir / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    report.write(results, results_dir, ctx.java)
    log(f"done in {results['seconds']:.0f} s: {results_dir}/results.json, RESULTS.md, chart.png")
    failed = [p for p, o in results["phases"].items() if "error" in o]
    if failed:
        log(f"phases with errors: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
