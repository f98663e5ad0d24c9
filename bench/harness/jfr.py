"""Attributes JFR CPU samples (jdk.CPUTimeSample, else jdk.ExecutionSample) to libraries: where the CPU goes.

Each sample is charged to the library of the deepest frame (nearest the leaf) that belongs to a known library;
frames of the JDK itself (java.*, jdk.*, sun.* apart from socket I/O) are skipped, so time in HashMap.get called
from Caffeine is the rate limiter's. Only Java threads are sampled: GC and JIT compiler threads are not.
"""
import re
import subprocess

CATEGORIES = [
    ("rate limiter", ["com.example.service.ratelimit", "io.github.resilience4j", "com.github.benmanes.caffeine"]),
    ("security (API keys, Spring Security)", ["com.example.service.security", "org.springframework.security"]),
    ("tracing", ["io.micrometer.tracing", "io.opentelemetry", "brave.", "zipkin2.",
                 "org.springframework.boot.micrometer.tracing", "org.springframework.boot.tracing"]),
    ("metrics / observation", ["io.micrometer", "org.springframework.boot.micrometer",
                               "org.springframework.boot.actuate.metrics",
                               "org.springframework.web.filter.ServerHttpObservationFilter",
                               "org.springframework.http.server.observation"]),
    ("logging", ["ch.qos.logback", "org.slf4j", "org.apache.logging", "org.springframework.boot.logging"]),
    ("database", ["com.zaxxer.hikari", "org.postgresql", "org.h2", "org.springframework.jdbc",
                  "org.springframework.data", "org.springframework.transaction", "org.flywaydb"]),
    ("validation", ["org.hibernate.validator", "jakarta.validation"]),
    ("OpenAPI (springdoc)", ["org.springdoc", "io.swagger"]),
    ("configuration (YAML)", ["org.yaml.snakeyaml"]),
    ("template: other", ["com.example.service"]),
    ("endpoint (same code in both)", ["com.example.bench"]),
    ("JSON (Jackson)", ["tools.jackson", "com.fasterxml.jackson"]),
    ("Spring MVC / framework", ["org.springframework"]),
    ("Tomcat", ["org.apache.catalina", "org.apache.coyote", "org.apache.tomcat"]),
    ("socket I/O", ["sun.nio.ch", "java.net.Socket", "sun.net"]),
]
PREFIXES = sorted(((prefix, name) for name, prefixes in CATEGORIES for prefix in prefixes),
                  key=lambda item: -len(item[0]))
OTHER = "JDK / other"
FRAME = re.compile(r"^\s+([\w$.]+)\(")


def category_of(class_name):
    for prefix, name in PREFIXES:
        if class_name.startswith(prefix):
            return name
    return None


def parse_stacks(text):
    """Stacks (leaf first) of every sample in `jfr print --events jdk.ExecutionSample` output."""
    stacks, current = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("stackTrace = ["):
            current = []
        elif current is not None and stripped == "]":
            stacks.append(current)
            current = None
        elif current is not None:
            match = FRAME.match(line)
            if match:
                current.append(match.group(1))
    return stacks


def classify(stack):
    for method in stack:
        name = category_of(method.rsplit(".", 1)[0])
        if name:
            return name, method
    return OTHER, (stack[0] if stack else "?")


# Spring Boot 4 is split into modules named after the technology (org.springframework.boot.flyway, .jdbc,
# .security, .micrometer...): for startup, a frame in such a module names what is being set up.
GENERIC_BOOT = {"autoconfigure", "context", "env", "util", "convert", "origin", "support", "builder", "diagnostics",
                "info", "availability", "bootstrap", "cloud", "system", "type", "ansi", "json", "io", "task",
                "thread", "ssl", "admin", "validation", "properties"}
SPRING_CORE = "Spring core (context refresh, bean creation, configuration parsing)"


def classify_startup(stack):
    """Charges a startup sample to the nearest-to-leaf library or Boot module, skipping generic Spring frames."""
    for method in stack:
        class_name, method_name = method.rsplit(".", 1)
        if method_name == "main" or class_name.endswith("ApplicationContext"):
            continue  # the entry point and the context's refresh are on every stack
        if class_name.startswith("org.springframework.boot."):
            parts = class_name.split(".")
            module = parts[3] if len(parts) > 4 else ""
            if module == "loader":
                return "Boot jar launcher (nested jars)", method
            if module == "data" and len(parts) > 5:
                module = "data." + parts[4]
            if module and module not in GENERIC_BOOT:
                return "Boot: " + module, method
            continue
        name = category_of(class_name)
        if name and name != "Spring MVC / framework":
            return name, method
    return SPRING_CORE, (stack[0] if stack else "?")


# JDK 25's CPU-time sampler (JEP 509) samples threads by the CPU time they use, from a signal, so it still works
# when the server is pinned to one busy CPU, where the classic sampler thread hardly gets to run.
SETTINGS = ["settings=profile", "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=1ms"]


# Named suspects, counted inclusively (a sample counts when the test holds for its stack). Found in trial profiles.
MARKERS = {
    "bean lookup per request (ObjectProvider.getIfAvailable in TraceIdResponseFilter)":
        lambda st: any("TraceIdResponseFilter" in f for f in st) and any("beans.factory" in f for f in st),
    "Spring Security observations (filter chain, authorization)":
        lambda st: any("ObservationFilterChainDecorator" in f or "ObservationAuthorizationManager" in f for f in st)
        and any(f.startswith("io.micrometer") for f in st[:15]),
    "tracing (OpenTelemetry via Micrometer Tracing)":
        lambda st: any(f.startswith(("io.opentelemetry", "io.micrometer.tracing")) for f in st[:20]),
    "API key hashing (SHA-256)":
        lambda st: any(f.startswith("com.example.service.security.ApiKeys") for f in st[:12]),
    "rate limiter (store, limiter, headers)":
        lambda st: any(f.startswith(("com.example.service.ratelimit", "io.github.resilience4j",
                                     "com.github.benmanes.caffeine")) for f in st[:12]),
}


def analyze(jfr_tool, recording, startup=False):
    for event in ("jdk.CPUTimeSample", "jdk.ExecutionSample"):
        text = subprocess.run([str(jfr_tool), "print", "--stack-depth", "256", "--events", event, str(recording)],
                              capture_output=True, text=True, check=True).stdout
        stacks = parse_stacks(text)
        if len(stacks) >= 50:
            break
    total = len(stacks) or 1
    by_category, leaves, charged = {}, {}, {}
    for stack in stacks:
        name, method = classify_startup(stack) if startup else classify(stack)
        by_category[name] = by_category.get(name, 0) + 1
        charged[method] = charged.get(method, 0) + 1
        if stack:
            leaves[stack[0]] = leaves.get(stack[0], 0) + 1
    share = {name: round(count / total * 100, 1) for name, count in
             sorted(by_category.items(), key=lambda kv: -kv[1])}
    top = lambda counts: [[m, round(c / total * 100, 1)] for m, c in  # noqa: E731
                          sorted(counts.items(), key=lambda kv: -kv[1])[:20]]
    markers = {name: round(sum(1 for st in stacks if test(st)) / total * 100, 1) for name, test in MARKERS.items()}
    return {"event": event, "samples": len(stacks), "share_percent": share, "markers_percent": markers, "top_charged_methods": top(charged),
            "top_leaf_methods": top(leaves)}
