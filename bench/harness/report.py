"""Turns results.json into RESULTS.md (goals with pass/miss, tables) and chart.png (bench/tools/Chart.java)."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGINGS = ("fat", "extracted", "aot")
PACKAGING_LABELS = {"fat": "fat jar", "extracted": "extracted", "aot": "extracted + AOT cache"}


def fmt(value, digits=2, suffix=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{suffix}"
    return f"{value}{suffix}"


def med(summary, key="median"):
    return summary.get(key) if summary else None


def spread(summary, digits=2):
    if not summary:
        return "n/a"
    return f"{summary['median']:.{digits}f} ({summary['min']:.{digits}f}–{summary['max']:.{digits}f})"


def verdict(ok):
    return "n/a" if ok is None else ("**pass**" if ok else "**MISS**")


# ---------------------------------------------------------------------------------------------------------- goals

def goals(results):
    phases = results.get("phases", {})
    rows = []
    startup = phases.get("startup", {})
    if "ratios" in startup:
        for packaging in PACKAGINGS:
            r = startup["ratios"][packaging]
            value = r["ready_template_over_baseline"]
            rows.append((f"Startup to ready, {PACKAGING_LABELS[packaging]}: template / baseline", "<= 1.25",
                         f"{fmt(value)} (paired runs {spread(r['ready_paired_runs'])})",
                         None if value is None else value <= 1.25))
        t_aot = startup["summary"]["template/aot"]["ready_ms"]["median"]
        b_fat = startup["summary"]["baseline/fat"]["ready_ms"]["median"]
        rows.append(("(info) Template with AOT cache vs bare baseline as a fat jar", "< 1.0",
                     fmt(t_aot / b_fat if b_fat else None), None if not b_fat else t_aot / b_fat < 1.0))
        value = startup["aot_speedup"]["template"]["fat_over_aot"]
        rows.append(("Startup, template: fat jar / AOT cache (speed-up)", ">= 1.8",
                     f"{fmt(value)} (baseline {fmt(startup['aot_speedup']['baseline']['fat_over_aot'])})",
                     None if value is None else value >= 1.8))
    throughput = phases.get("throughput", {})
    for threads in ("platform", "virtual"):
        comparison = throughput.get("comparisons", {}).get(f"template-{threads} / baseline-{threads}")
        if comparison:
            rps, p99 = med(comparison["rps"]), med(comparison["p99_ms"])
            rows.append((f"Throughput, {threads} threads: template / baseline", ">= 0.85",
                         spread(comparison["rps"]), None if rps is None else rps >= 0.85))
            rows.append((f"p99 latency, {threads} threads: template / baseline", "<= 1.3",
                         spread(comparison["p99_ms"]), None if p99 is None else p99 <= 1.3))
    ratelimit = phases.get("ratelimit", {})
    if "admitted_per_window" in ratelimit:
        deviation = ratelimit["max_abs_deviation_percent"]
        kept = ratelimit.get("schedule_kept", True)
        rows.append((f"Rate limiter: admitted per 1 s window vs limit {ratelimit['limit_per_second']} "
                     f"at {ratelimit['offered_per_second']}/s offered", "within 2 %",
                     f"max deviation {fmt(deviation, 1, ' %')}; windows {ratelimit['admitted_per_window']}"
                     + ("" if kept else " — INVALID: the client fell behind its schedule (p99 lag "
                        f"{fmt(ratelimit['send_lag_ms']['p99'], 0)} ms), the machine was too busy"),
                     None if (deviation is None or not kept) else deviation <= 2.0))
        admitted, rejected = ratelimit["latency_admitted"], ratelimit["latency_rejected"]
        closed = throughput.get("comparisons", {}).get("template-rejecting / template-platform", {})
        cpu = med(closed.get("server_cpu_us_per_request")) if closed else None
        latency_ok = (rejected["p50_ms"] is not None and admitted["p50_ms"] is not None
                      and rejected["p50_ms"] <= admitted["p50_ms"])
        ok = latency_ok and (cpu is None or cpu <= 1.0)
        rows.append(("Rejection costs no more than admission", "429 <= 200",
                     f"p50 {fmt(rejected['p50_ms'], 3)} ms vs {fmt(admitted['p50_ms'], 3)} ms at the same offered "
                     f"load; server CPU per request, all-rejected / all-admitted: {fmt(cpu)}", ok))
    memory = phases.get("memory", {})
    if "retained_mb" in memory:
        test = memory.get("template_test") or {}
        ok = (memory["size_after"] <= memory["max_clients"] and memory["retained_mb"] < 256
              and test.get("passed", True) is not False)
        rows.append((f"Limiter store under {memory['clients']:,} distinct clients", "bounded",
                     f"{memory['size_after']:,} tracked (bound {memory['max_clients']:,}), "
                     f"{fmt(memory['retained_mb'], 1)} MB retained, {fmt(memory['bytes_per_client'], 0)} B/client",
                     ok))
    return rows


# -------------------------------------------------------------------------------------------------------- markdown

def markdown(results):
    phases = results.get("phases", {})
    machine = results.get("machine", {})
    git = results.get("git", {})
    out = []
    label = results.get("label")
    title = "# Benchmark results" + (f" — {label.upper()}" if label else "")
    out.append(title)
    out.append("")
    if label:
        out.append(f"> **{label}**: taken on a shared, busy machine; the figures show that the harness works, not "
                   "what the template costs. Re-run `bench/run.sh` on a quiet machine for figures to quote.")
        out.append("")
    if results.get("provenance"):
        out.append(f"> {results['provenance']}")
        out.append("")
    out.append(f"- Command: `{results.get('command')}` (harness arguments: `{' '.join(results.get('harness_argv', []))}`)")
    out.append(f"- Commit: `{git.get('commit')}` on `{git.get('branch')}` — {git.get('describe')}"
               f"{' (uncommitted changes)' if git.get('dirty') else ''}")
    out.append(f"- Started {results.get('started_utc')}, took {fmt(results.get('seconds'), 0)} s")
    out.append(f"- Machine: {machine.get('cpus')} CPUs ({machine.get('cpu_model')}), {machine.get('memory_gb')} GiB, "
               f"{machine.get('os')}, kernel {machine.get('kernel')}")
    out.append(f"- JVM: {' / '.join(machine.get('java', [])[:2])}")
    out.append(f"- Load average (1/5/15 min) at start {results.get('load_at_start')}, at end "
               f"{results.get('load_at_end')}; per phase below. Anything above ~1.0 means other work shared the "
               "two CPUs: trust ratios over absolute numbers, and the spread tells how far.")
    out.append("")
    out.append("## Goals (issue 7)")
    out.append("")
    out.append("| Goal | Target | Measured: median (min–max) | Verdict |")
    out.append("|---|---|---|---|")
    for name, target, measured, ok in goals(results):
        out.append(f"| {name} | {target} | {measured} | {verdict(ok)} |")
    out.append("")
    analysis = ROOT / "bench" / "results" / "analysis.md"
    if analysis.exists():
        out.append("## Causes of the misses (hand-written: `bench/results/analysis.md`)")
        out.append("")
        out.append(analysis.read_text().strip())
        out.append("")
    for phase, outcome in phases.items():
        if "error" in outcome:
            out.append(f"**Phase `{phase}` failed**: `{outcome['error'][:600]}`")
            out.append("")
    out += startup_section(phases.get("startup"))
    out += throughput_section(phases.get("throughput"))
    out += ratelimit_section(phases.get("ratelimit"), phases.get("throughput"))
    out += memory_section(phases.get("memory"))
    out += prometheus_section(phases.get("prometheus"))
    out += jmh_section(phases.get("jmh"))
    out.append("## How to read this")
    out.append("")
    out.append("See `docs/benchmarks.md`. Every figure comes from `results.json` next to this file (raw runs "
               "included); `chart.png` draws the medians with min–max whiskers.")
    return "\n".join(out) + "\n"


def load_note(outcome):
    return f"Load average before/after: {outcome.get('load_before', ['?'])[0]:.2f} / " \
           f"{outcome.get('load_after', ['?'])[0]:.2f}; {outcome.get('seconds')} s."


def startup_section(startup):
    if not startup or "summary" not in startup:
        return []
    out = ["## 1. Startup to `/readyz` 200 and RSS at ready", ""]
    out.append(f"Template: production profile (no Spring profile), datasource {startup['database']}; Flyway "
               "validates the schema at every start. Baseline: no database — a handicap for the template, "
               "which has to open its pool and check migrations. Both on the same JVM with "
               f"`{' '.join(startup['jvm_options'])}`, not pinned. {startup['method']}. {load_note(startup)}")
    out.append("")
    out.append("| Packaging | Template ready ms | Baseline ready ms | Ratio | Template RSS MB | Baseline RSS MB |")
    out.append("|---|---|---|---|---|---|")
    for packaging in PACKAGINGS:
        t, b = startup["summary"][f"template/{packaging}"], startup["summary"][f"baseline/{packaging}"]
        r = startup["ratios"][packaging]
        out.append(f"| {PACKAGING_LABELS[packaging]} | {spread(t['ready_ms'], 0)} | {spread(b['ready_ms'], 0)} | "
                   f"{fmt(r['ready_template_over_baseline'])} | {spread(t['rss_mb'], 0)} | {spread(b['rss_mb'], 0)} |")
    out.append("")
    speed = startup["aot_speedup"]
    out.append(f"AOT cache speed-up (fat jar / AOT): template {fmt(speed['template']['fat_over_aot'])}, baseline "
               f"{fmt(speed['baseline']['fat_over_aot'])}; extracted alone: template "
               f"{fmt(speed['template']['fat_over_extracted'])}, baseline {fmt(speed['baseline']['fat_over_extracted'])}. "
               f"Training runs (`-XX:AOTCacheOutput`, `-Dspring.context.exit=onRefresh`): {startup['training']}.")
    out.append("")
    profile = startup.get("profile") or {}
    template, baseline = profile.get("template"), profile.get("baseline")
    if template and baseline:
        out.append("### What the template does before it is ready (JFR, one extra extracted start each)")
        out.append("")
        period = "1 ms of CPU time" if template.get("event") == "jdk.CPUTimeSample" else "10 ms of running"
        out.append(f"Classes loaded at ready: template {template['classes_loaded']}, baseline "
                   f"{baseline['classes_loaded']}. JFR samples (`{template.get('event')}`, one per about {period} "
                   f"per thread) until ready: template {template['samples']}, baseline {baseline['samples']}. Each "
                   "sample is charged to the nearest-to-leaf library or Spring Boot module (Boot 4's modules are "
                   "named after what they set up: `flyway`, `jdbc`, `security`...); generic Spring frames are "
                   "skipped, so what remains under \"Spring core\" is bean creation and configuration parsing "
                   "nobody more specific asked for.")
        out.append("")
        out.append("| Library | Template samples | Baseline samples | Difference |")
        out.append("|---|---|---|---|")
        rows = []
        for name in dict.fromkeys(list(template["share_percent"]) + list(baseline["share_percent"])):
            t = round(template["share_percent"].get(name, 0) / 100 * template["samples"])
            b = round(baseline["share_percent"].get(name, 0) / 100 * baseline["samples"])
            rows.append((t - b, f"| {name} | {t} | {b} | {t - b:+d} |"))
        out += [row for _, row in sorted(rows, key=lambda r: -r[0])]
        out.append("")
    return out


CONFIG_TEXT = {
    "baseline-platform": "baseline, platform threads",
    "template-platform": "template, platform threads",
    "baseline-virtual": "baseline, virtual threads",
    "template-virtual": "template, virtual threads",
    "template-rejecting": "template, limit 1/s: every request rejected (429)",
    "template-platform-lean": "what-if: template, platform threads, traces sampled at 10 %",
    "template-platform-db": "template, platform threads, real `GET /api/v1/orders/{id}` (database read)",
    "template-virtual-db": "template, virtual threads, real `GET /api/v1/orders/{id}` (database read)",
}


def throughput_section(throughput):
    if not throughput or "summary" not in throughput:
        return []
    out = ["## 2. Throughput and latency at fixed concurrency", ""]
    out.append(f"`{throughput['wrk']}` after a warm-up, configurations interleaved round by round "
               f"({throughput['pinning']}). Both services serve the same handler from `bench/probe` "
               f"(`{throughput['paths']['probe']}`: map lookup, ETag, seven-field JSON), so the difference is what "
               "the template wraps around it: API-key authentication (Spring Security), the rate limiter (limit "
               "1,000,000,000/s: never rejects), HTTP metrics, tracing and logging as configured in "
               "`application.yml`, management on its own port. The `-db` rows read a real order through "
               f"`GET /api/v1/orders/{{id}}` ({throughput['database']}) and are compared with the baseline's map "
               f"lookup: they add the example feature's database work. The what-if row runs the template with "
               f"`{' '.join(throughput.get('lean_args', []))}`. {load_note(throughput)}")
    out.append("")
    out.append("| Configuration | req/s | p50 ms | p99 ms | server CPU µs/request | other busy cores |")
    out.append("|---|---|---|---|---|---|")
    for key, s in throughput["summary"].items():
        out.append(f"| {CONFIG_TEXT.get(key, key)} | {spread(s['rps'], 0)} | {spread(s['p50_ms'])} | "
                   f"{spread(s['p99_ms'])} | {spread(s['server_cpu_us_per_request'], 1)} | "
                   f"{spread(s['other_cpu_cores'])} |")
    out.append("")
    out.append("Ratios, paired within each round (median, min–max over rounds):")
    out.append("")
    out.append("| Comparison | req/s | p50 | p99 | CPU per request |")
    out.append("|---|---|---|---|---|")
    for name, c in throughput.get("comparisons", {}).items():
        out.append(f"| {name} | {spread(c['rps'])} | {spread(c['p50_ms'])} | {spread(c['p99_ms'])} | "
                   f"{spread(c['server_cpu_us_per_request'])} |")
    out.append("")
    invalid = [r for r in throughput.get("rounds", []) if r.get("invalid")]
    if invalid:
        out.append(f"Warning: {len(invalid)} measurement(s) had errors: "
                   + "; ".join(f"{r['config']} round {r['round']}: {r['invalid']}" for r in invalid))
        out.append("")
    samples = throughput.get("samples", {})
    if samples:
        out.append("Response sizes (body bytes; header names): " + "; ".join(
            f"{k}: {v['body_bytes']} B, {len(v['headers'])} headers" for k, v in samples.items()))
        out.append("")
    profile = throughput.get("profile")
    if profile:
        out += profile_section(profile)
    return out


def profile_section(profile):
    out = ["### Where the CPU goes (JFR CPU samples, one extra run per service)", ""]
    template, baseline = profile.get("template-platform"), profile.get("baseline-platform")
    if not template or not baseline:
        return []
    t_cpu = template["wrk"].get("server_cpu_us_per_request") or 0
    b_cpu = baseline["wrk"].get("server_cpu_us_per_request") or 0
    out.append(f"JFR `{template.get('event')}` samples: template {template['samples']}, baseline "
               f"{baseline['samples']}. CPU per request in "
               f"these runs: template {fmt(t_cpu, 1)} µs, baseline {fmt(b_cpu, 1)} µs. A sample is charged to the "
               "library nearest the leaf (JDK frames skipped, kernel time in socket calls counted as socket I/O); "
               "µs/request = share × CPU per request (GC and JIT threads are not sampled: approximate).")
    out.append("")
    out.append("| Library | Template % | Template µs/req | Baseline % | Baseline µs/req | Difference µs/req |")
    out.append("|---|---|---|---|---|---|")
    names = list(dict.fromkeys(list(template["share_percent"]) + list(baseline["share_percent"])))
    rows = []
    for name in names:
        ts, bs = template["share_percent"].get(name, 0.0), baseline["share_percent"].get(name, 0.0)
        tu, bu = ts / 100 * t_cpu, bs / 100 * b_cpu
        rows.append((tu - bu, f"| {name} | {ts:.1f} | {tu:.1f} | {bs:.1f} | {bu:.1f} | {tu - bu:+.1f} |"))
    out += [row for _, row in sorted(rows, key=lambda r: -r[0])]
    out.append("")
    markers = template.get("markers_percent")
    if markers:
        out.append("Named suspects, share of the template's samples whose stack shows them (inclusive, they may "
                   "overlap) and the CPU per request that share stands for:")
        out.append("")
        for name, percent in markers.items():
            out.append(f"- {name}: {percent:.1f} % ≈ {percent / 100 * t_cpu:.1f} µs/request")
        out.append("")
    out.append("Top methods the template's samples were charged to: " + ", ".join(
        f"`{m}` {p} %" for m, p in template["top_charged_methods"][:12]))
    out.append("")
    return out


def ratelimit_section(ratelimit, throughput):
    if not ratelimit or "admitted_per_window" not in ratelimit:
        return []
    out = ["## 3. Rate limiter accuracy and the cost of a rejection", ""]
    out.append(f"One client (API key) offered {ratelimit['offered_per_second']} requests/s for {ratelimit['duration_s']} s "
               f"against a limit of {ratelimit['limit_per_second']} per 1 s window. Client: {ratelimit['client']}; "
               f"send lag behind schedule p50/p99/max {fmt(ratelimit['send_lag_ms']['p50'], 2)} / "
               f"{fmt(ratelimit['send_lag_ms']['p99'], 2)} / {fmt(ratelimit['send_lag_ms']['max'], 1)} ms. "
               f"{load_note(ratelimit)}")
    out.append("")
    out.append(f"- Requests {ratelimit['requests']}: admitted {ratelimit['admitted']}, rejected "
               f"{ratelimit['rejected']}, other {ratelimit['other'] or 'none'}.")
    out.append(f"- Admitted per 1 s window (windows start at the client's first request, as the limiter's do): "
               f"{ratelimit['admitted_per_window']}; deviation from the limit "
               f"{[round(d, 1) for d in ratelimit['window_deviation_percent']]} %.")
    out.append(f"- Most admitted in any sliding 1 s: {ratelimit['max_admitted_in_any_sliding_second']}. With load "
               "spread evenly every second is exactly at the limit; a client that bunches requests around a window "
               "boundary can get up to 2 × the limit within one second (fixed windows, resilience4j#1356; "
               "documented boundary burst).")
    a, r = ratelimit["latency_admitted"], ratelimit["latency_rejected"]
    out.append(f"- Latency at the same offered load, admitted (200) vs rejected (429): p50 {fmt(a['p50_ms'], 3)} vs "
               f"{fmt(r['p50_ms'], 3)} ms, p90 {fmt(a['p90_ms'], 3)} vs {fmt(r['p90_ms'], 3)} ms, p99 "
               f"{fmt(a['p99_ms'], 3)} vs {fmt(r['p99_ms'], 3)} ms (client overhead included in both).")
    if throughput and "comparisons" in throughput:
        c = throughput["comparisons"].get("template-rejecting / template-platform")
        if c:
            out.append(f"- Closed loop (section 2), every request rejected vs every request admitted: req/s "
                       f"{spread(c['rps'])}, server CPU per request {spread(c['server_cpu_us_per_request'])}.")
    sample = ratelimit.get("sample_rejection") or {}
    headers = sample.get("headers", {})
    out.append(f"- A rejection: `{sample.get('status')}`, `Retry-After: {headers.get('retry-after')}`, "
               f"`RateLimit: {headers.get('ratelimit')}`, `RateLimit-Policy: {headers.get('ratelimit-policy')}`, "
               f"`Content-Type: {headers.get('content-type')}`.")
    out.append("")
    return out


def memory_section(memory):
    if not memory or "retained_mb" not in memory:
        return []
    out = ["## 4. Limiter store under many distinct clients", ""]
    out.append(f"`LimiterStoreFootprint` (bench/jmh) feeds the template's own store (`ClientLimiters`, "
               f"max-clients {memory['max_clients']:,}, idle expiry {memory['idle_expiry']}) with "
               f"{memory['clients']:,} distinct client addresses in {fmt(memory['insert_seconds'], 1)} s, in a JVM with "
               f"`{memory['jvm']}`. Heap is measured after full GCs.")
    out.append("")
    out.append(f"- Tracked after the run: {memory['size_after']:,} (bound {memory['max_clients']:,}).")
    out.append(f"- Heap retained by the store: {fmt(memory['retained_mb'], 1)} MB, {fmt(memory['bytes_per_client'], 0)} "
               f"bytes per tracked client; at the bound that is {fmt(memory['bound_mb'], 1)} MB.")
    unbounded = memory.get("without_bound", {})
    out.append(f"- Without a bound (what a plain `RateLimiterRegistry` keeps), the same {memory['clients']:,} clients "
               f"hold {fmt(unbounded.get('retained_mb'), 0)} MB ({unbounded.get('size_after', 0):,} limiters, "
               f"{fmt(unbounded.get('bytes_per_client'), 0)} B each; measured in `{unbounded.get('jvm')}`).")
    test = memory.get("template_test") or {}
    if test.get("command"):
        out.append(f"- The template's own test, run as is (`{test['command']}`): "
                   + ({True: "passed", False: "FAILED"}.get(test.get("passed"), test.get("did_not_run") or "?"))
                   + (f"; it printed `{test.get('output')}`." if test.get("output") else "."))
    out.append(f"- Progress (clients offered → tracked, used heap MB without GC): "
               + ", ".join(f"{p['offered']:,}→{p['tracked']:,} ({p['used_mb']:.0f})" for p in memory["progress"]))
    out.append("")
    return out


def prometheus_section(prom):
    if not prom or "idle" not in prom:
        return []
    out = ["## 5. `/actuator/prometheus` scrape", ""]
    out.append(f"20 sequential scrapes each, at idle (after a little normal traffic) and after "
               f"{prom['cardinality_requests']:,} requests built to explode cardinality: " + "; ".join(prom["kinds"])
               + f". Statuses: {prom['cardinality_statuses']}. Trusted proxies {prom['trusted_proxies']}.")
    out.append("")
    out.append("| | Series | Bytes | Scrape p50 ms | Scrape p95 ms |")
    out.append("|---|---|---|---|---|")
    for name in ("idle", "after"):
        s = prom[name]
        out.append(f"| {name} | {s['series']} | {s['bytes']:,} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} |")
    out.append("")
    if "series_after_half" in prom:
        grows = prom["after"]["series"] > prom["series_after_half"]
        out.append(f"Series after the first half of the run: {prom['series_after_half']}, after all of it: "
                   f"{prom['after']['series']} — " + ("**still growing with the traffic**." if grows else
                                                       "no growth in the second half: bounded."))
        out.append("")
    out.append(f"Families that changed: {prom['families_that_grew'] or 'none'}. Label values carrying a URI, key "
               f"or client address from the run: {prom['leaked_label_value_count']} {prom['leaked_label_values']}.")
    out.append("")
    return out


def jmh_section(jmh):
    if not jmh or "results" not in jmh:
        return []
    out = ["## 6. JMH: the per-request rate-limit path", ""]
    out.append(f"`{jmh['command']}`. Single thread. `filter*` run `RateLimitFilter` on mock servlet objects "
               "(key resolution, store lookup, `acquirePermission`, headers, problem body when rejected); "
               "`store*` call the store only; `hotKey*` compare Caffeine's default maintenance (handed to the "
               "common pool) with maintenance run by the caller, in a cache built like the store.")
    out.append("")
    out.append("| Benchmark | Score | Error | Unit | Allocated B/op |")
    out.append("|---|---|---|---|---|")
    for row in jmh["results"]:
        out.append(f"| {row['benchmark']} | {row['score']:.1f} | ±{row['error']:.1f} | {row['unit']} | "
                   f"{fmt(row['alloc_bytes_per_op'], 0)} |")
    out.append("")
    return out


# ----------------------------------------------------------------------------------------------------------- chart

def chart_data(results):
    phases = results.get("phases", {})
    lines = []

    def panel(title, unit):
        lines.append(f"panel\t{title}\t{unit}")

    def bar(group, series, s):
        if s:
            lines.append(f"bar\t{group}\t{series}\t{s['median']}\t{s['min']}\t{s['max']}")

    startup = phases.get("startup", {})
    if "summary" in startup:
        panel("Start to /readyz 200 (median, min-max)", "ms")
        for p in PACKAGINGS:
            for service in ("template", "baseline"):
                bar(PACKAGING_LABELS[p], service, startup["summary"][f"{service}/{p}"]["ready_ms"])
        panel("RSS at ready", "MB")
        for p in PACKAGINGS:
            for service in ("template", "baseline"):
                bar(PACKAGING_LABELS[p], service, startup["summary"][f"{service}/{p}"]["rss_mb"])
    throughput = phases.get("throughput", {})
    if "summary" in throughput:
        s = throughput["summary"]
        groups = [("platform", "baseline-platform", "template-platform"),
                  ("virtual", "baseline-virtual", "template-virtual"),
                  ("what-if", None, "template-platform-lean"),
                  ("db, platform", None, "template-platform-db"),
                  ("db, virtual", None, "template-virtual-db"),
                  ("all 429", None, "template-rejecting")]
        for metric, title, unit in (("rps", "Throughput, wrk -c32, server on 1 CPU", "req/s"),
                                    ("p99_ms", "p99 latency", "ms"),
                                    ("server_cpu_us_per_request", "Server CPU per request", "µs")):
            panel(title, unit)
            for group, base, template in groups:
                if base in s:
                    bar(group, "baseline", s[base][metric])
                if template in s:
                    bar(group, "template", s[template][metric])
    ratelimit = phases.get("ratelimit", {})
    if "admitted_per_window" in ratelimit:
        panel(f"Admitted per 1 s window, offered {ratelimit['offered_per_second']}/s", "requests")
        for i, count in enumerate(ratelimit["admitted_per_window"]):
            lines.append(f"bar\t{i + 1}\tadmitted\t{count}\t{count}\t{count}")
        lines.append(f"ref\tlimit {ratelimit['limit_per_second']}\t{ratelimit['limit_per_second']}")
    profile = throughput.get("profile") if throughput else None
    if profile and "template-platform" in profile and "baseline-platform" in profile:
        panel("CPU per request by library (JFR)", "µs")
        t, b = profile["template-platform"], profile["baseline-platform"]
        t_cpu = t["wrk"].get("server_cpu_us_per_request") or 0
        b_cpu = b["wrk"].get("server_cpu_us_per_request") or 0
        names = sorted(set(t["share_percent"]) | set(b["share_percent"]),
                       key=lambda n: -(t["share_percent"].get(n, 0) * t_cpu))[:8]
        for name in names:
            tu = t["share_percent"].get(name, 0) / 100 * t_cpu
            bu = b["share_percent"].get(name, 0) / 100 * b_cpu
            short = name.split(" (")[0]
            lines.append(f"bar\t{short}\ttemplate\t{tu}\t{tu}\t{tu}")
            lines.append(f"bar\t{short}\tbaseline\t{bu}\t{bu}\t{bu}")
    return "\n".join(lines) + "\n"


def write(results, results_dir, java):
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "RESULTS.md").write_text(markdown(results))
    data = results_dir.parent / "work" / "chart.tsv" if results_dir.name == "results" else results_dir / "chart.tsv"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(chart_data(results))
    label = results.get("label") or ""
    title = "service-template vs bare Spring Boot " + (f"[{label.upper()}] " if label else "") + \
        f"commit {results.get('git', {}).get('commit', '')[:10]}, load at start {results.get('load_at_start', [0])[0]:.1f}"
    proc = subprocess.run([str(java), "-Djava.awt.headless=true", str(ROOT / "bench" / "tools" / "Chart.java"),
                           str(data), str(results_dir / "chart.png"), title], capture_output=True, text=True)
    if proc.returncode != 0:
        print("chart failed:", proc.stdout, proc.stderr)
