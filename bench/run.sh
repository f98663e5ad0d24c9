#!/usr/bin/env bash
# Benchmarks the template against a bare Spring Boot service on this machine (issue 7; docs/benchmarks.md).
#
#   bench/run.sh            full run, about 15 minutes; writes bench/results/{results.json,RESULTS.md,chart.png}
#   bench/run.sh --quick    smoke run, about 5 minutes; writes bench/work/results-quick/
#   bench/run.sh --help     all options (phases, runs, durations, database, pinning, ports)
#
# Needs root or the tools already installed (Debian: wrk, util-linux taskset, python3, fontconfig + a font,
# PostgreSQL), a JDK 25 (BENCH_JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64) and the Maven registry.
# Starts servers on 127.0.0.1 ports 18700-18799 (BENCH_PORT_BASE) and stops them, and nothing else, at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="bench/run.sh${*:+ $*}"

skip_build=false
db=${BENCH_DB:-postgres}
args=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    --db=h2) db=h2; args+=("--db" "h2") ;;
    -h|--help) exec python3 bench/harness/bench.py --help ;;
    *) args+=("$arg") ;;
  esac
done
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--db" ] && db=${args[$((i + 1))]:-$db}
done

step() { printf '\n=== %s [%s]\n' "$1" "$(date +%H:%M:%S)"; }
die() { echo "bench/run.sh: $*" >&2; exit 1; }

step "Tools"
export BENCH_JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$BENCH_JAVA_HOME/bin/java"
[ -x "$java" ] || die "no JDK at $BENCH_JAVA_HOME: install a JDK 25 (the AOT cache needs it) and set BENCH_JAVA_HOME"
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${feature:-0}" -ge 25 ] 2>/dev/null || die "$java is Java $feature; the AOT cache flags need JDK 25 or newer"
packages=()
command -v wrk >/dev/null || packages+=(wrk)
command -v taskset >/dev/null || packages+=(util-linux)
command -v python3 >/dev/null || packages+=(python3)
command -v fc-list >/dev/null && [ -n "$(fc-list 2>/dev/null | head -1)" ] || packages+=(fontconfig fonts-dejavu-core)
if [ "$db" = postgres ] && ! command -v pg_ctlcluster >/dev/null; then packages+=(postgresql); fi
if [ ${#packages[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${packages[*]}: install them (apt-get install -y ${packages[*]}) or run as root"
  echo "installing ${packages[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
echo "java: $java ($feature); wrk: $(command -v wrk); load: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '{ if ($1 >= 1.0) print "WARNING: load average " $1 " >= 1.0: other work shares the CPUs; ratios still hold roughly, absolute figures do not." }' /proc/loadavg

if [ "$db" = postgres ]; then
  step "PostgreSQL for the template (127.0.0.1:5432, database bench)"
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    if [ -n "$version" ] && [ "$(id -u)" = 0 ]; then
      pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
      psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
      [ "$(psql_admin "select 1 from pg_roles where rolname = 'bench'")" = 1 ] \
        || psql_admin "create role bench login password 'bench'"
      [ "$(psql_admin "select 1 from pg_database where datname = 'bench'")" = 1 ] \
        || psql_admin "create database bench owner bench"
    fi
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "WARNING: no PostgreSQL on 127.0.0.1:5432: the template runs on in-memory H2 instead (noted in the results)"
    args+=("--db" "h2")
  fi
fi

if [ "$skip_build" = false ]; then
  step "Build: the template (./mvnw package, no tests) and bench/ (baseline, probe endpoint, JMH libraries)"
  JAVA_HOME=$BENCH_JAVA_HOME ./mvnw -B -q -ntp package -Dmaven.test.skip=true -Djacoco.skip=true
  JAVA_HOME=$BENCH_JAVA_HOME ./mvnw -B -q -ntp -f bench/pom.xml package
fi

step "Extract both jars (java -Djarmode=tools -jar app.jar extract)"
for service in template baseline; do
  case $service in
    template) jar=$(ls target/*.jar | grep -v -- '-plain\|\.original' | head -1) ;;
    baseline) jar=bench/baseline/target/baseline.jar ;;
  esac
  [ -f "$jar" ] || die "$jar missing: run without --skip-build"
  rm -rf "bench/work/$service/extracted"
  mkdir -p "bench/work/$service"
  "$java" -Djarmode=tools -jar "$jar" extract --destination "bench/work/$service/extracted" >/dev/null
  echo "$service: $jar -> bench/work/$service/extracted"
done

step "Compile the JMH benchmark against the template's classes"
rm -rf bench/work/jmh/classes
if "$BENCH_JAVA_HOME/bin/jar" tf bench/work/template/extracted/*.jar | grep -q 'com/example/service/ratelimit/ClientLimiters.class'; then
  mkdir -p bench/work/jmh/classes
  classpath="$(ls bench/work/template/extracted/*.jar):bench/work/template/extracted/lib/*:bench/jmh/target/jmh-lib/*"
  if "$BENCH_JAVA_HOME/bin/javac" --release 21 -proc:full -nowarn -d bench/work/jmh/classes -cp "$classpath" \
    -processorpath "$(ls bench/jmh/target/jmh-lib/*.jar | paste -sd:)" $(find bench/jmh/src/jmh/java -name '*.java'); then
    echo "compiled into bench/work/jmh/classes"
  else
    # The benchmark reaches into package-private types of the ratelimit package; if they changed, say so and measure
    # everything else.
    rm -rf bench/work/jmh/classes
    echo "WARNING: bench/jmh does not compile against this template (see above): the memory and jmh phases will fail"
  fi
else
  echo "WARNING: the template has no ratelimit package (ClientLimiters): the memory and jmh phases will report that"
fi

step "Measure"
BENCH_COMMAND="$command_line" exec python3 bench/harness/bench.py --java "$java" "${args[@]}"
