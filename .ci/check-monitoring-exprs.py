#!/usr/bin/env python3
"""Checks every PromQL expression of the alert rules and the Grafana dashboards against a real Prometheus.

Copied alert rules that use the wrong metric names silently never fire (production-rules.md). So every expression in
monitoring/prometheus/alert-rules.yml and monitoring/grafana/dashboards/*.json is sent to Prometheus' /api/v1/query:

  DATA     the expression returns series now
  QUIET    it returns nothing now, but every metric and every label it selects on exists in the scrape: a condition
           that is not met (an alert that is not firing, a ratio of 5xx when there were none). Alert thresholds are
           proven by promtool test rules (monitoring/prometheus/alert-rules.test.yml) instead.
  MISSING  a metric it uses has no series at all, or a label it selects on exists on none of them: a wrong name
  SKIPPED  MISSING, but the metric belongs to a feature this build does not have (--absent-feature)
  ERROR    Prometheus rejects the expression

For alerts the value without its threshold is queried too ("without threshold: N series"), so the arithmetic is seen
working on real data. Grafana variables are replaced: $slot, $version -> .* ; $__rate_interval -> 1m.
With --static (no Prometheus): checks that every alert has a firing and a quiet test case in the promtool test file
and that the dashboards are well-formed.

Exit status 1 if anything is ERROR or MISSING (or a static check fails).
"""
import argparse
import glob
import json
import os
import re
import sys
import urllib.parse
import urllib.request

import yaml

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan", "atan2"}
GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
SELECTOR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?")
MATCHER = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"')
THRESHOLD = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(\(\s*[\d.]+\s*(\*\s*[\d.]+\s*)?\)|[\d.]+)")


def rule_exprs(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    for group in doc["groups"]:
        for rule in group["rules"]:
            name = rule.get("alert") or rule.get("record")
            yield ("alert" if "alert" in rule else "record"), name, " ".join(rule["expr"].split())


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def dashboard_exprs(path):
    with open(path) as f:
        dash = json.load(f)
    for p in walk_panels(dash.get("panels", [])):
        for t in p.get("targets", []):
            if t.get("expr"):
                yield "panel", "%s / %s [%s]" % (os.path.basename(path), p.get("title"), t.get("refId")), t["expr"]
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = re.match(r"label_values\((.*),\s*[a-zA-Z_]+\)\s*$", q or "")
        if m:
            yield "variable", "%s / $%s" % (os.path.basename(path), v["name"]), m.group(1)


def grafana_to_promql(expr):
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m")
    return re.sub(r"\$\{?[a-zA-Z_][a-zA-Z0-9_]*(:[a-z]+)?\}?", ".*", expr)


def selectors(expr):
    """(metric, matcher list) for every vector selector of a PromQL expression (a pragmatic scanner)."""
    text = re.sub(r"\[[^\]]*\]", "", expr)
    text = GROUPING.sub(" ", text)
    found = []
    for m in SELECTOR.finditer(text):
        name, braces = m.group(1), m.group(2) or ""
        rest = text[m.end():].lstrip()
        before = text[:m.start()].rstrip()
        if name.lower() in KEYWORDS or rest.startswith("(") or before.endswith(('"', "'")):
            continue
        if re.fullmatch(r"[0-9.e+-]+", name):
            continue
        found.append((name, MATCHER.findall(braces)))
    return found


class Prometheus:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def query(self, expr):
        data = urllib.parse.urlencode({"query": expr}).encode()
        req = urllib.request.Request(self.url + "/api/v1/query", data=data)
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            body = json.load(e)
        if body.get("status") != "success":
            return None, body.get("error", "unknown error")
        return body["data"]["result"], None

    def count(self, expr):
        result, error = self.query("count(%s)" % expr)
        if error or not result:
            return 0
        return int(float(result[0]["value"][1]))


def check_live(args):
    prom = Prometheus(args.prometheus)
    absent = {}
    for spec in args.absent_feature:
        feature, _, metrics = spec.partition("=")
        for metric in metrics.split(","):
            absent[metric.strip()] = feature
    items = list(rule_exprs(args.rules))
    for path in sorted(glob.glob(os.path.join(args.dashboards, "*.json"))):
        items.extend(dashboard_exprs(path))
    counts = {}
    bad = 0
    for kind, name, raw in items:
        expr = grafana_to_promql(raw) if kind in ("panel", "variable") else raw
        result, error = prom.query(expr)
        if error:
            status, detail = "ERROR", error
        elif result:
            status, detail = "DATA", "%d series" % len(result)
        else:
            status, detail = "QUIET", "no series now; every metric and label exists"
            problems, skipped = [], []
            for metric, matchers in selectors(expr):
                if metric.startswith(("slot:", "namespace:")):
                    continue  # recording rules are checked through their own expressions
                if prom.count(metric) == 0:
                    (skipped if metric in absent else problems).append(
                        "%s%s" % (metric, " (feature '%s' not in this build)" % absent[metric]
                                  if metric in absent else " has no series"))
                    continue
                for label, op, value in matchers:
                    if op in ("!=", "!~") or value in (".*", ".+") or label == "__name__":
                        continue
                    if prom.count('%s{%s!=""}' % (metric, label)) == 0:
                        problems.append("%s has no label %s" % (metric, label))
            if problems:
                status, detail = "MISSING", "; ".join(dict.fromkeys(problems))
            elif skipped:
                status, detail = "SKIPPED", "; ".join(dict.fromkeys(skipped))
        if kind == "alert" and status in ("DATA", "QUIET"):
            bare = THRESHOLD.sub("", expr)
            if bare != expr:
                r, e = prom.query(bare)
                detail += "; without threshold: %s" % (e or "%d series" % len(r or []))
        counts[status] = counts.get(status, 0) + 1
        bad += status in ("ERROR", "MISSING")
        print("  %-7s %-8s %s: %s" % (status, kind, name, detail))
    print("expressions: %d (%s)" % (len(items), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return bad == 0


def check_static(args):
    ok = True
    with open(args.rules) as f:
        rules = yaml.safe_load(f)
    alerts = [r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r]
    with open(args.tests) as f:
        tests = yaml.safe_load(f)
    fires, quiet = set(), set()
    for test in tests["tests"]:
        for case in test.get("alert_rule_test", []):
            (fires if case.get("exp_alerts") else quiet).add(case["alertname"])
    for alert in alerts:
        missing = [what for what, have in (("firing", fires), ("quiet", quiet)) if alert not in have]
        if missing:
            ok = False
            print("  FAIL    alert %s has no %s test case in %s" % (alert, " and no ".join(missing), args.tests))
    print("alerts: %d, each with a firing and a quiet promtool test case: %s" % (len(alerts), "yes" if ok else "NO"))
    for path in sorted(glob.glob(os.path.join(args.dashboards, "*.json"))):
        with open(path) as f:
            dash = json.load(f)
        ids, n = set(), 0
        names = {v["name"] for v in dash.get("templating", {}).get("list", [])} | {"__rate_interval", "__interval"}
        for p in walk_panels(dash.get("panels", [])):
            if p.get("id") in ids:
                ok = False
                print("  FAIL    %s: duplicate panel id %s" % (path, p.get("id")))
            ids.add(p.get("id"))
            for t in p.get("targets", []):
                n += 1
                for var in re.findall(r"\$\{?([a-zA-Z_][a-zA-Z0-9_]*)", t.get("expr", "")):
                    if var not in names:
                        ok = False
                        print("  FAIL    %s / %s: unknown variable $%s" % (path, p.get("title"), var))
        if not dash.get("uid") or not dash.get("title"):
            ok = False
            print("  FAIL    %s: uid and title are required" % path)
        print("dashboard %s: %d panels, %d queries" % (os.path.basename(path), len(ids), n))
    return ok


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--prometheus", help="base URL, e.g. http://127.0.0.1:9090")
    p.add_argument("--static", action="store_true", help="only the checks that need no Prometheus")
    p.add_argument("--rules", default=os.path.join(root, "monitoring/prometheus/alert-rules.yml"))
    p.add_argument("--tests", default=os.path.join(root, "monitoring/prometheus/alert-rules.test.yml"))
    p.add_argument("--dashboards", default=os.path.join(root, "monitoring/grafana/dashboards"))
    p.add_argument("--absent-feature", action="append", default=[], metavar="FEATURE=metric,metric",
                   help="metrics this build cannot have (the feature is not in the source tree)")
    args = p.parse_args()
    ok = check_static(args)
    if not args.static:
        if not args.prometheus:
            p.error("--prometheus is required unless --static")
        ok = check_live(args) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
