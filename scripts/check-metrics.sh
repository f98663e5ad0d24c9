#!/usr/bin/env bash
# Lints a real scrape of /actuator/prometheus with `promtool check metrics` (Debian package "prometheus"; only the
# promtool binary is used, the Prometheus service is never started). Starts the jar in its production configuration
# on PostgreSQL, sends a few requests so that request, order, inventory and circuit-breaker series exist, scrapes,
# and fails on any finding that docs/metrics.md ("promtool findings") does not explain. Also fails if a series name
# that docs/metrics.md documents is missing from the scrape.
#
# Usage: scripts/check-metrics.sh   (CHECK_METRICS_JAR=... skips the build; CHECK_METRICS_BASE_PORT=18420;
#        CHECK_METRICS_DATABASE_URL/_USERNAME/_PASSWORD skip .ci/postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BASE=${CHECK_METRICS_BASE_PORT:-18420}
WORK=$ROOT/target/check-metrics
mkdir -p "$WORK"
log() { printf '[check-metrics] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# Findings explained in docs/metrics.md: Micrometer's own names, kept because dashboards and alert rules use them.
ALLOWED_FINDINGS='^(jvm_compilation_time_ms_total|process_cpu_time_ns_total) metric names should not contain abbreviated units$|^system_cpu_count non-histogram and non-summary metrics should not have "_count" suffix$'

if ! command -v promtool >/dev/null; then
  log "installing promtool (Debian package prometheus; its service is not started)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }
fi

JAVA=
for candidate in "${JAVA_HOME:-}/bin/java" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV) "$(command -v java || true)"; do
  [ -x "$candidate" ] || continue
  version=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${version:-0}" -ge 21 ] 2>/dev/null && { JAVA=$candidate; break; }
done
[ -n "$JAVA" ] || die "no JDK 21 or newer found: set JAVA_HOME"

if [ -n "${CHECK_METRICS_JAR:-}" ]; then
  cp "$CHECK_METRICS_JAR" "$WORK/app.jar"
else
  ./mvnw -B -ntp -q package -DskipTests -Djacoco.skip=true
  cp "$(ls target/service-template-*.jar | grep -v -- '-plain' | head -1)" "$WORK/app.jar"
fi
if [ -z "${CHECK_METRICS_DATABASE_URL:-}" ]; then
  eval "$(.ci/postgres.sh)"
  CHECK_METRICS_DATABASE_URL=$TEST_DATABASE_URL CHECK_METRICS_DATABASE_USERNAME=$TEST_DATABASE_USERNAME
  CHECK_METRICS_DATABASE_PASSWORD=$TEST_DATABASE_PASSWORD
fi

KEY="check-metrics-$RANDOM$RANDOM"
HASH=$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)
# The inventory client is on, pointed at a port where nothing listens: its calls fail fast and its metrics
# (inventory_calls_total, resilience4j_*) appear in the scrape.
env SPRING_DATASOURCE_URL="$CHECK_METRICS_DATABASE_URL" SPRING_DATASOURCE_USERNAME="$CHECK_METRICS_DATABASE_USERNAME" \
  SPRING_DATASOURCE_PASSWORD="$CHECK_METRICS_DATABASE_PASSWORD" SERVER_PORT=$BASE MANAGEMENT_SERVER_PORT=$((BASE + 1)) \
  APP_SLOT=green APP_INVENTORY_ENABLED=true APP_INVENTORY_BASE_URL="http://127.0.0.1:$((BASE + 2))" \
  APP_SECURITY_API_KEYS="check-metrics:$HASH" \
  "$JAVA" -Xmx384m -jar "$WORK/app.jar" >"$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  kill -0 $APP 2>/dev/null || die "the service exited during startup (see $WORK/app.log)"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BASE/readyz")" = 200 ] && break
  sleep 0.5
done

api() { curl -s -o /dev/null -H "X-API-Key: $KEY" "$@"; }
api "http://127.0.0.1:$BASE/api/v1/orders"
api "http://127.0.0.1:$BASE/api/v1/orders/00000000-0000-0000-0000-000000000000"
api "http://127.0.0.1:$BASE/no-such-path"
for _ in 1 2 3; do
  api -X POST -H 'Content-Type: application/json' -d '{"sku":"METRICS-1","quantity":1}' "http://127.0.0.1:$BASE/api/v1/orders"
done
curl -s "http://127.0.0.1:$((BASE + 1))/actuator/prometheus" >"$WORK/scrape.txt"
curl -s "http://127.0.0.1:$((BASE + 1))/actuator/prometheus" >"$WORK/scrape.txt"
[ -s "$WORK/scrape.txt" ] || die "empty scrape"

status=0
promtool check metrics <"$WORK/scrape.txt" >"$WORK/promtool.txt" 2>&1 || status=$?
log "promtool exit status $status; findings:"
sed 's/^/  /' "$WORK/promtool.txt" >&2
unexplained=$(grep -v -E "$ALLOWED_FINDINGS" "$WORK/promtool.txt" | grep -v '^$' || true)
[ -z "$unexplained" ] || die "findings not explained in docs/metrics.md:
$unexplained"

# Every series family that docs/metrics.md lists as always present must be in the scrape.
missing=
for name in http_server_requests_seconds_bucket http_server_requests_active_seconds_count orders_placed_total \
  hikaricp_connections_active hikaricp_connections_pending jvm_memory_used_bytes jvm_gc_pause_seconds_count \
  jvm_threads_live_threads process_cpu_usage tomcat_threads_busy_threads; do
  grep -q "^$name{" "$WORK/scrape.txt" || missing="$missing $name"
done
[ -z "$missing" ] || die "missing from the scrape:$missing"
grep -q 'slot="green"' "$WORK/scrape.txt" || die "the slot tag does not follow APP_SLOT"
log "PASSED: $(grep -vc '^#' "$WORK/scrape.txt") samples, only explained findings"
