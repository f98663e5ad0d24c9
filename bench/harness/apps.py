"""The two services under test and how the benchmark starts them.

template: the repository's jar, production profile (no Spring profile: JSON logs, API keys, rate limits, metrics,
          tracing as configured in application.yml), its own PostgreSQL database, management on its own port.
baseline: bench/baseline, Spring Boot web + actuator only, one port.
Both run with the same JVM and the same JVM options.
"""
import hashlib
import os
import zipfile
from pathlib import Path

PACKAGINGS = ("fat", "extracted", "aot")
PACKAGING_LABELS = {"fat": "fat jar (java -jar)", "extracted": "extracted (jarmode tools)",
                    "aot": "extracted + AOT cache"}

# Same for both services in every phase. A fixed heap keeps RSS comparable; the GC is left to ergonomics
# (G1 on 2 CPUs, Serial when the server is pinned to one CPU), as in a container with that many CPUs.
JVM_OPTIONS = ["-Xmx512m", "-XX:+ExitOnOutOfMemoryError"]

# The read endpoint both services serve from bench/probe (same bytecode).
PROBE_ID = "00000000-0000-4000-8000-000000000001"
PROBE_PATH = "/api/v1/bench/orders/" + PROBE_ID

# Rate limits for the template (app.ratelimit.*, issue 3).
LIMIT_HIGH = 1_000_000_000


# What-if configuration measured beside the template as shipped (not judged): the same protections with one trace
# in ten sampled, the lever production-minded users reach for first (tracing is the largest named cost in the profile).
LEAN_ARGS = ["--management.tracing.sampling.probability=0.1"]


def rate_limit_args(limit, period="1s"):
    return [f"--app.ratelimit.default.limit={limit}", f"--app.ratelimit.default.period={period}"]


class ApiKeys:
    """Benchmark clients and their keys; the template gets client:sha256(key) pairs (APP_SECURITY_API_KEYS)."""

    def __init__(self, warmup_clients=64):
        self.keys = {"bench": "bench-key-6c0d7a3e91f2", "ratelimit": "bench-key-rl-5b8e02d4"}
        for i in range(warmup_clients):
            self.keys[f"warm{i}"] = f"bench-key-warm-{i:03d}"

    def header(self, client="bench"):
        return {"X-API-Key": self.keys[client]}

    def setting(self, all_clients=False):
        """The benchmark's two clients; all_clients adds the warm-up clients (the rate-limit test). The template
        compares a key with every configured digest, so the number of keys is kept as small as the test allows."""
        return ",".join(f"{client}:{hashlib.sha256(key.encode()).hexdigest()}" for client, key in self.keys.items()
                        if all_clients or not client.startswith("warm"))


class App:
    def __init__(self, name, fat_jar, extracted_dir, probe_jar):
        self.name = name
        self.fat_jar = Path(fat_jar)
        self.extracted_dir = Path(extracted_dir)
        jars = sorted(p for p in self.extracted_dir.glob("*.jar"))
        if len(jars) != 1:
            raise RuntimeError(f"expected one jar in {self.extracted_dir}, found {jars}: run bench/run.sh")
        self.extracted_jar = jars[0]
        self.probe_jar = Path(probe_jar)
        with zipfile.ZipFile(self.extracted_jar) as jar:
            manifest = jar.read("META-INF/MANIFEST.MF").decode()
        self.main_class = next(line.split(":", 1)[1].strip() for line in manifest.splitlines()
                               if line.startswith("Main-Class:"))
        self.aot_file = self.extracted_dir / "app.aot"

    def command(self, java, packaging, args=(), jvm=(), with_probe=False):
        """(argv, working directory). The AOT cache is only valid for the class path it was trained with, so the
        extracted jar always runs from its own directory by relative name."""
        options = [str(java)] + JVM_OPTIONS + list(jvm)
        if with_probe:
            classpath = f"{self.extracted_jar.name}:{self.probe_jar}"
            return options + ["-cp", classpath, self.main_class] + list(args), self.extracted_dir
        if packaging == "fat":
            return options + ["-jar", str(self.fat_jar)] + list(args), self.extracted_dir.parent
        if packaging == "extracted":
            return options + ["-jar", self.extracted_jar.name] + list(args), self.extracted_dir
        if packaging == "aot":
            # AOTMode=on: fail instead of silently running without the cache.
            return (options + [f"-XX:AOTCache={self.aot_file.name}", "-XX:AOTMode=on", "-jar",
                               self.extracted_jar.name] + list(args), self.extracted_dir)
        raise ValueError(packaging)

    def training_command(self, java, args=()):
        return ([str(java)] + JVM_OPTIONS + [f"-XX:AOTCacheOutput={self.aot_file.name}",
                                              "-Dspring.context.exit=onRefresh", "-jar", self.extracted_jar.name]
                + list(args), self.extracted_dir)


def clean_environment():
    """The caller's environment without anything that would configure Spring or the JVM behind our back."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith(("SPRING_", "APP_", "MANAGEMENT_", "SERVER_", "LOGGING_"))
                   or k in ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS"))}
    env["LANG"] = "C.UTF-8"
    return env


class Database:
    """Where the template's datasource points: the machine's PostgreSQL (default) or in-memory H2."""

    def __init__(self, kind, url, username, password):
        self.kind = kind
        self.url = url
        self.username = username
        self.password = password

    def env(self, instance):
        if self.kind == "postgres":
            return {"SPRING_DATASOURCE_URL": self.url, "SPRING_DATASOURCE_USERNAME": self.username,
                    "SPRING_DATASOURCE_PASSWORD": self.password}
        return {"SPRING_DATASOURCE_URL": f"jdbc:h2:mem:{instance};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                                         "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "SPRING_DATASOURCE_USERNAME": "sa", "SPRING_DATASOURCE_PASSWORD": "",
                "SPRING_DATA_JDBC_DIALECT": "postgresql"}

    def describe(self):
        if self.kind == "postgres":
            return f"PostgreSQL {self.url} (the machine's server, shared cores)"
        return "H2 in memory, PostgreSQL mode (no PostgreSQL reachable)"


def template_env(db, keys, port, management_port, instance, extra=None, all_clients=False):
    env = clean_environment()
    env.update(db.env(instance))
    env.update({
        "SERVER_PORT": str(port),
        "MANAGEMENT_SERVER_PORT": str(management_port),
        "APP_SECURITY_API_KEYS": keys.setting(all_clients),
        # The inventory service is not part of the benchmark; reads never call it.
        "APP_INVENTORY_ENABLED": "false",
    })
    env.update(extra or {})
    return env


def baseline_env(port):
    env = clean_environment()
    env["SERVER_PORT"] = str(port)
    return env
