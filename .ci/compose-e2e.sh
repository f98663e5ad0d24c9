#!/usr/bin/env bash
# The compose stack, for real, offline: image build, blue-green switches under load, monitoring checks.
#
#   .ci/compose-e2e.sh            (root; called by .ci/run; about 8-10 minutes on 2 cores once stand-ins exist)
#
# 1. Docker engine and stand-in images (.ci/docker/*.sh, branch docker-infra); image overrides from env.sh.
# 2. Static checks: shellcheck, compose file, HAProxy config test in the router image, promtool check/test rules,
#    every alert has a firing and a quiet test case, dashboards well-formed.
# 3. ./mvnw package, docker build of the application image with the JDK/JRE stand-ins; image facts (size, user,
#    health check, labels, AOT cache) and, unless E2E_MEASURE_AOT=0, startup with and without the AOT cache.
# 4. The stack (everything but Grafana, which has no offline stand-in) in its own compose project, ports and state
#    directory, so it never touches a developer's stack or .bluegreen/.
# 5. A keep-alive load through the router (scripts/load/keepalive_load.py: 50 connections, idle 0.1-0.5 s, a quarter
#    POST, half reads of the connection's own orders, never retrying, >= 20,000 requests) while: two deliberately
#    broken images are refused (JVM cannot start; ready but writes fail), `deploy` switches blue -> green, `rollback`
#    switches back. Every request must succeed.
# 6. Prometheus: both slots were scraped (up{slot=...}); every rule and dashboard expression returns data or is
#    quiet with all its metrics present (.ci/check-monitoring-exprs.py).
# 7. The watch window: the new slot is killed right after a switch; the script must switch back by itself.
# 8. `docker stop` of a slot under direct load: exit code 0 or 143 within the stop timeout, never a kill.
# Everything it started is removed at the end (trap), except the application image service-template:0.1.0.
# Runs are serialised per machine (/run/lock/compose-e2e.lock): a second one waits for the first.
#
# Env: E2E_PORT_BASE (default 18600: uses base+0..+10 on 127.0.0.1), E2E_SUBNET_PREFIX (default 172.29.62),
#      E2E_MIN_REQUESTS (20000), E2E_SKIP_PACKAGE=1 (reuse target/*.jar), E2E_MEASURE_AOT (1), E2E_KEEP=1 (leave
#      the stack running for inspection).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR source=lib/docker-lib.sh
. .ci/lib/docker-lib.sh

E2E_STARTED=$SECONDS
WORK=$CI_WORK_DIR/compose-e2e
PORT_BASE=${E2E_PORT_BASE:-18600}
SUBNET_PREFIX=${E2E_SUBNET_PREFIX:-172.29.62}
MIN_REQUESTS=${E2E_MIN_REQUESTS:-20000}
APP_IMAGE=service-template:0.1.0
NEXT_IMAGE=service-template:0.1.0-e2e-next
BROKEN_START_IMAGE=service-template:0.1.0-e2e-broken-start
BROKEN_WRITES_IMAGE=service-template:0.1.0-e2e-broken-writes
LOAD_PID=
SUMMARY=()

stage() { printf '\n=== compose-e2e: %s [%s, +%ds]\n' "$1" "$(date -u +%H:%M:%S)" $((SECONDS - E2E_STARTED)); }
fact() {
  SUMMARY+=("$*")
  printf '  -> %s\n' "$*"
}
fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  exit 1
}

# --- the stack's own project, ports, subnet and blue-green state --------------------------------------------------
export COMPOSE_PROJECT_NAME=stcompose-e2e
export ROUTER_PORT=$PORT_BASE ROUTER_STATS_PORT=$((PORT_BASE + 4))
export BLUE_HTTP_PORT=$((PORT_BASE + 1)) BLUE_MANAGEMENT_PORT=$((PORT_BASE + 2))
export GREEN_HTTP_PORT=$((PORT_BASE + 5)) GREEN_MANAGEMENT_PORT=$((PORT_BASE + 6))
export INVENTORY_PORT=$((PORT_BASE + 9)) PROMETHEUS_PORT=$((PORT_BASE + 10)) GRAFANA_PORT=$((PORT_BASE + 3))
export STACK_SUBNET=$SUBNET_PREFIX.0/24 STACK_IP_RANGE=$SUBNET_PREFIX.0/25 ROUTER_IP=$SUBNET_PREFIX.250
export BLUEGREEN_STATE_DIR=$WORK/bluegreen BLUEGREEN_ROUTER_DIR=$WORK/bluegreen/router
export APP_IMAGE APP_BLUE_IMAGE=$APP_IMAGE APP_GREEN_IMAGE=$APP_IMAGE
export BLUEGREEN_READY_TIMEOUT=150 BLUEGREEN_WATCH_SECONDS=15 BLUEGREEN_DRAIN_SECONDS=10 BLUEGREEN_STOP_TIMEOUT=40
PROM=http://127.0.0.1:$PROMETHEUS_PORT
ROUTER=http://127.0.0.1:$ROUTER_PORT

cleanup() {
  local rc=$?
  set +e
  [ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "E2E_KEEP=1: the stack stays up (project $COMPOSE_PROJECT_NAME); remove it with:"
    echo "  COMPOSE_PROJECT_NAME=$COMPOSE_PROJECT_NAME docker-compose down -v --remove-orphans"
  else
    if ci_docker_ok; then
      ci_compose logs --no-color >"$WORK/compose.log" 2>&1
      ci_compose down -v --remove-orphans >/dev/null 2>&1
      docker image rm "$NEXT_IMAGE" "$BROKEN_START_IMAGE" "$BROKEN_WRITES_IMAGE" >/dev/null 2>&1
    fi
  fi
  if [ ${#SUMMARY[@]} -gt 0 ]; then
    printf '\n=== compose-e2e summary (%ds)\n' $((SECONDS - E2E_STARTED))
    printf '  %s\n' "${SUMMARY[@]}"
  fi
  [ "$rc" -eq 0 ] || printf 'compose-e2e FAILED (exit %d); logs of the stack: %s\n' "$rc" "$WORK/compose.log" >&2
  exit "$rc"
}
trap cleanup EXIT

bluegreen() { scripts/bluegreen.sh "$@"; }
# Seconds, one decimal, since $1 (date +%s.%N).
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
served_by() { curl -s -o /dev/null -D - --max-time 2 "$ROUTER/readyz" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-served-by" { print $2 }'; }
prom_value() {
  curl -s --max-time 10 "$PROM/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "none")'
}
container() { docker ps -a -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --filter "label=com.docker.compose.service=$1" | head -n 1; }
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# The load client, as every load here uses it: a quarter POST, half GETs of an order the connection created, the rest
# the order list; connection i is client i, with the i-th key of load-keys (written below). An array, not a function:
# started with &, $! is then the client itself, which the trap can stop.
LOAD=(python3 scripts/load/keepalive_load.py --post-share 0.25 --own-order-share 0.5 --keys-file "$WORK/load-keys")

# ======================================================================================================================
stage "Docker engine and stand-in images"
.ci/docker/engine.sh
# One compose e2e at a time per machine: the project name, ports and subnet are fixed, so a second run (another
# checkout, another CI job) would tear this one's stack down. Taken after engine.sh, so that a dockerd it starts does
# not inherit the lock.
lock_file=/run/lock/compose-e2e.lock
[ -d /run/lock ] || lock_file=$CI_WORK_DIR/compose-e2e.lock
exec 8>"$lock_file"
if ! flock -n 8; then
  echo "another compose e2e holds $lock_file; waiting (at most 30 minutes)"
  flock -w 1800 8 || fail "another compose e2e still holds $lock_file after 30 minutes"
fi
.ci/docker/standins.sh
# shellcheck source-path=SCRIPTDIR source=docker/env.sh
. .ci/docker/env.sh
if [ -n "${STANDIN_MISSING:-}" ]; then
  fact "not stood in, skipped: ${STANDIN_MISSING} (Grafana: no Debian package, no offline image); its provisioning is checked statically only"
fi
export BLUEGREEN_EXCLUDE=grafana
# Prometheus < 2.43 drops a scrape whose _count series carry exemplars (prometheus#11984, fixed in 2.43); the
# application adds trace-id exemplars once tracing is on. The official default (v3.5.0) accepts them; an older
# Prometheus (the Debian 2.42 stand-in) gets exemplars switched off in the application, and the run says so.
prometheus_version=$(docker run --rm --entrypoint /bin/prometheus "$PROMETHEUS_IMAGE" --version 2>&1 |
  sed -n 's/^prometheus, version \([0-9]*\.[0-9]*\).*/\1/p')
if [ -n "$prometheus_version" ] && awk -v v="$prometheus_version" 'BEGIN { split(v, p, "."); exit !(p[1] < 2 || (p[1] == 2 && p[2] < 43)) }'; then
  export MANAGEMENT_TRACING_EXEMPLARS_INCLUDE=none
  fact "Prometheus $prometheus_version ($PROMETHEUS_IMAGE) rejects exemplars on _count series (fixed in 2.43): exemplars switched off in the application for this run (MANAGEMENT_TRACING_EXEMPLARS_INCLUDE=none)"
fi
rm -rf "$WORK"
mkdir -p "$WORK" "$BLUEGREEN_ROUTER_DIR"
ci_compose down -v --remove-orphans >/dev/null 2>&1 || true

# ======================================================================================================================
stage "Static checks: shell, compose file, router config, alert rules and their tests, dashboards"
if command -v shellcheck >/dev/null; then
  shellcheck -x scripts/bluegreen.sh .ci/compose-e2e.sh
  echo "shellcheck: clean"
else
  echo "shellcheck not installed: skipped"
fi
ci_compose config -q && echo "compose file: valid ($(ci_compose version --short 2>/dev/null || true))"
for slot in blue green; do
  printf 'global\n  setenv ACTIVE_SLOT %s\n' "$slot" >"$WORK/active-$slot.cfg"
  docker run --rm -v "$PWD/compose/haproxy/haproxy.cfg:/c/haproxy.cfg:ro" -v "$WORK/active-$slot.cfg:/c/active.cfg:ro" \
    --entrypoint haproxy "$HAPROXY_IMAGE" -c -f /c/active.cfg -f /c/haproxy.cfg 2>&1 | grep -E 'valid|ALERT' |
    sed "s|^|router ($slot active, $HAPROXY_IMAGE): |"
done
docker run --rm -v "$PWD/monitoring/prometheus:/rules:ro" -w /rules --entrypoint /bin/promtool "$PROMETHEUS_IMAGE" \
  check rules alert-rules.yml
docker run --rm -v "$PWD/monitoring/prometheus:/rules:ro" -w /rules --entrypoint /bin/promtool "$PROMETHEUS_IMAGE" \
  test rules alert-rules.test.yml
python3 .ci/check-monitoring-exprs.py --static
fact "promtool test rules: every alert has a firing and a quiet case, all pass ($PROMETHEUS_IMAGE)"

# ======================================================================================================================
stage "Application jar and image"
if [ "${E2E_SKIP_PACKAGE:-0}" != 1 ] || ! ls target/service-template-*.jar >/dev/null 2>&1; then
  ./mvnw -B -ntp -q -DskipTests package
fi
# shellcheck disable=SC2012 # file names are ours: service-template-<version>.jar
jar=$(ls -t target/service-template-*.jar | head -n 1)
version=$(sed -n 's:^\t<version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0
t=$(date +%s.%N)
docker build -q --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" --build-arg JAR_FILE="$jar" \
  --build-arg VERSION="$version" --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t "$APP_IMAGE" . >/dev/null
build_s=$(elapsed "$t")
size_mb=$(($(docker image inspect -f '{{.Size}}' "$APP_IMAGE") / 1000000))
aot_mb=$(docker run --rm --entrypoint ls "$APP_IMAGE" -l /app/app.aot | awk '{ printf "%d", $5 / 1000000 }')
user=$(docker image inspect -f '{{.Config.User}}' "$APP_IMAGE")
entrypoint=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$APP_IMAGE")
health=$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$APP_IMAGE")
labels=$(docker image inspect -f '{{range $k, $v := .Config.Labels}}{{$k}} {{end}}' "$APP_IMAGE" | tr ' ' '\n' | grep -c '^org.opencontainers.image.')
[ "$user" = 10001:10001 ] || fail "image user is '$user', expected 10001:10001"
case $entrypoint in '["java",'*) ;; *) fail "ENTRYPOINT is not exec-form java: $entrypoint" ;; esac
case $health in *HealthCheck*) ;; *) fail "no Java HEALTHCHECK: $health" ;; esac
fact "image $APP_IMAGE: ${size_mb} MB (on $JRE_IMAGE; the stand-in JRE is a full JDK), built in ${build_s}s, AOT cache ${aot_mb} MB, user $user, $labels OCI labels, HEALTHCHECK $health"
for variant in "$NEXT_IMAGE|a new release (same content, new image)|" \
  "$BROKEN_START_IMAGE|BROKEN on purpose: the JVM cannot start|ENV JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75 -Xss1k\"" \
  "$BROKEN_WRITES_IMAGE|BROKEN on purpose: ready, but every write fails (read-only connections)|ENV SPRING_DATASOURCE_HIKARI_READ_ONLY=true"; do
  IFS='|' read -r tag what env <<<"$variant"
  printf 'FROM %s\nLABEL org.opencontainers.image.description="e2e: %s"\n%s\n' "$APP_IMAGE" "$what" "$env" |
    docker build -q -t "$tag" - >/dev/null
done

# ======================================================================================================================
stage "Compose stack (project $COMPOSE_PROJECT_NAME, router on $ROUTER)"
# 50 load clients with keys of their own, one for the smoke tests: client-id:sha256(key).
: >"$WORK/load-keys"
api_keys="e2e-smoke:$(printf '%s' e2e-smoke-key | sha256sum | cut -d' ' -f1)"
for i in $(seq -w 1 50); do
  key="e2e-load-$i-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  echo "$key" >>"$WORK/load-keys"
  api_keys="$api_keys,load-$i:$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
done
export APP_SECURITY_API_KEYS=$api_keys BLUEGREEN_API_KEY=e2e-smoke-key
t=$(date +%s.%N)
bluegreen up
fact "stack up in $(elapsed "$t")s: $(docker ps --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
  --format '{{.Label "com.docker.compose.service"}}' | sort | tr '\n' ' ')(grafana skipped: no stand-in)"
bluegreen status

if [ "${E2E_MEASURE_AOT:-1}" = 1 ]; then
  stage "Startup with and without the AOT cache (context refresh against the stack's PostgreSQL, 3 runs each)"
  network=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$(container postgres)")
  run_once() {
    local t
    t=$(date +%s.%N)
    docker run --rm --network "$network" --memory 768m \
      -e SPRING_DATASOURCE_URL=jdbc:postgresql://postgres:5432/orders -e SPRING_DATASOURCE_USERNAME=orders \
      -e SPRING_DATASOURCE_PASSWORD=orders -e APP_INVENTORY_BASE_URL=http://inventory:8080 \
      -e APP_SECURITY_API_KEYS="$api_keys" -e SERVER_PORT=0 -e MANAGEMENT_SERVER_PORT=0 \
      -e JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dspring.context.exit=onRefresh" \
      "$@" >/dev/null 2>&1
    elapsed "$t"
  }
  with=() without=()
  for _ in 1 2 3; do
    with+=("$(run_once "$APP_IMAGE")")
    without+=("$(run_once --entrypoint java "$APP_IMAGE" -jar /app/app.jar)")
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
  fact "start to context refreshed (docker run, 768 MB): with AOT cache median $(median "${with[@]}")s (${with[*]}), without $(median "${without[@]}")s (${without[*]})"
fi

# ======================================================================================================================
stage "Warm-up (not counted): 10 connections, 300 requests"
# A cold stack (JVMs, the WireMock stub, the first inventory calls) answers the very first burst slowly, and the
# inventory bulkhead (20 concurrent calls, no waiting) turns part of it into 503: measured 46 of the first 50 POSTs
# within the first second when the load started on a cold stack. That is start-up behaviour, not the switch: warm up
# first, and report what the warm-up saw.
"${LOAD[@]}" --port "$ROUTER_PORT" --connections 10 --requests 300 --max-seconds 120 >"$WORK/warmup.json"
fact "warm-up (not counted): $(json_field "$WORK/warmup.json" requests) requests, $(json_field "$WORK/warmup.json" failed) failed $(json_field "$WORK/warmup.json" failures)"

# ======================================================================================================================
stage "Zero-failure load across deploy (blue -> green) and rollback, broken images refused"
rm -f "$WORK/load-stop"
# At least MIN_REQUESTS, and on until load-stop exists (created when the switches are done).
"${LOAD[@]}" --port "$ROUTER_PORT" --connections 50 --requests "$MIN_REQUESTS" --stop-file "$WORK/load-stop" \
  --max-seconds 900 --progress-file "$WORK/load-progress.json" --events-file "$WORK/load-failures.txt" \
  >"$WORK/load-summary.json" &
LOAD_PID=$!
until [ -f "$WORK/load-progress.json" ] && [ "$(json_field "$WORK/load-progress.json" requests)" -ge 500 ]; do
  kill -0 "$LOAD_PID" 2>/dev/null || fail "the load client exited early"
  sleep 1
done
echo "load running: $(cat "$WORK/load-progress.json")"

for broken in "$BROKEN_START_IMAGE" "$BROKEN_WRITES_IMAGE"; do
  t=$(date +%s.%N)
  set +e
  bluegreen deploy "$broken" >"$WORK/deploy-broken.out"
  rc=$?
  set -e
  cat "$WORK/deploy-broken.out"
  [ "$rc" = 3 ] || fail "deploy of $broken exited $rc, expected 3 (refused)"
  [ "$(served_by)" = blue ] || fail "the router does not serve blue after refusing $broken"
  fact "refused $broken in $(elapsed "$t")s; router stayed on blue"
done

t=$(date +%s.%N)
bluegreen deploy "$NEXT_IMAGE" | tee "$WORK/deploy.out"
[ "$(served_by)" = green ] || fail "the router does not serve green after the deploy"
fact "deploy blue -> green: $(elapsed "$t")s wall; $(cat "$WORK/deploy.out")"

t=$(date +%s.%N)
bluegreen rollback | tee "$WORK/rollback.out"
[ "$(served_by)" = blue ] || fail "the router does not serve blue after the rollback"
fact "rollback green -> blue: $(elapsed "$t")s wall; $(cat "$WORK/rollback.out")"

touch "$WORK/load-stop"
wait "$LOAD_PID" || fail "the load client failed"
LOAD_PID=
python3 - "$WORK/load-summary.json" "$MIN_REQUESTS" <<'EOF' || fail "the load had failures (see $WORK/load-failures.txt)"
import json, sys
s = json.load(open(sys.argv[1]))
print(json.dumps(s, indent=2))
served = s["served_by"]
# complete: stopped by the stop file (not --max-seconds), every connection's thread finished.
ok = (s["failed"] == 0 and s["requests"] >= int(sys.argv[2]) and s["complete"]
      and served.get("blue", 0) > 0 and served.get("green", 0) > 0)
sys.exit(0 if ok else 1)
EOF
if [ -s "$WORK/load-failures.txt" ]; then head -n 20 "$WORK/load-failures.txt"; fi
fact "load: $(json_field "$WORK/load-summary.json" requests) requests ($(json_field "$WORK/load-summary.json" posts_ok) POST) over 50 keep-alive connections, idle 0.1-0.5 s, no retries: $(json_field "$WORK/load-summary.json" failed) failed; served by $(json_field "$WORK/load-summary.json" served_by); Connection: close from the router $(json_field "$WORK/load-summary.json" connection_close_from_server)x; $(json_field "$WORK/load-summary.json" seconds)s"

# ======================================================================================================================
stage "Prometheus: both slots scraped, every rule and dashboard expression checked"
sleep 12 # one more scrape and rule evaluation after the load
blue_up=$(prom_value 'up{job="service-template", slot="blue"}')
green_seen=$(prom_value 'max_over_time(up{job="service-template", slot="green"}[30m])')
[ "$blue_up" = 1 ] || fail "up{slot=\"blue\"} is $blue_up"
[ "$green_seen" = 1 ] || fail "green was never scraped up (max_over_time: $green_seen)"
fact "Prometheus ($PROMETHEUS_IMAGE): up{slot=\"blue\"} = $blue_up now; green up while it ran (max_over_time 30m = $green_seen; stopped now, so no target)"
absent=()
[ -d src/main/java/com/example/service/ratelimit ] || absent+=(--absent-feature "rate limiting=ratelimit_requests_total")
[ -d src/main/java/com/example/service/order/inventory ] ||
  absent+=(--absent-feature "inventory client=resilience4j_circuitbreaker_state,inventory_calls_total")
grep -q 'http.server.requests' src/main/resources/application.yml ||
  absent+=(--absent-feature "request histogram (management.metrics.distribution)=http_server_requests_seconds_bucket")
python3 .ci/check-monitoring-exprs.py --prometheus "$PROM" "${absent[@]}" | tee "$WORK/exprs.txt"
fact "$(tail -n 1 "$WORK/exprs.txt") -- SKIPPED = metric of a feature not in this source tree"

# ======================================================================================================================
stage "Watch window: the new slot dies right after the switch; the script switches back by itself"
bluegreen deploy "$NEXT_IMAGE" >"$WORK/watch.out" 2>"$WORK/watch.err" &
deploy_pid=$!
deadline=$((SECONDS + 180))
# Kill it once the switch is complete and verified, i.e. when the watch window starts.
until grep -q 'watching app-green' "$WORK/watch.err"; do
  kill -0 "$deploy_pid" 2>/dev/null || fail "deploy ended before switching: $(cat "$WORK/watch.out" "$WORK/watch.err")"
  [ "$SECONDS" -lt "$deadline" ] || fail "the router never switched to green"
  sleep 0.2
done
[ "$(served_by)" = green ] || fail "the watch window started but the router does not serve green"
t=$(date +%s.%N)
docker kill "$(container app-green)" >/dev/null
set +e
wait "$deploy_pid"
rc=$?
set -e
cat "$WORK/watch.err" "$WORK/watch.out"
[ "$rc" = 4 ] || fail "deploy exited $rc after its slot was killed, expected 4 (switched back)"
[ "$(served_by)" = blue ] || fail "the router does not serve blue after the automatic switch back"
fact "watch window: app-green killed after the switch -> switched back to blue by itself in $(elapsed "$t")s"

# ======================================================================================================================
stage "docker stop under load: exit code 0 or 143 within the stop timeout"
APP_GREEN_IMAGE=$NEXT_IMAGE ci_compose up -d --no-deps --force-recreate app-green >/dev/null 2>&1
id=$(container app-green)
deadline=$((SECONDS + 150))
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "app-green did not become healthy for the stop test"
  sleep 1
done
rm -f "$WORK/stop-load-stop"
"${LOAD[@]}" --port "$GREEN_HTTP_PORT" --connections 20 --requests 0 --stop-file "$WORK/stop-load-stop" \
  --max-seconds 90 --idle-min 0 --idle-max 0.05 --timeout 5 --progress-file "$WORK/stop-load-progress.json" >"$WORK/stop-load.json" &
LOAD_PID=$!
sleep 5
before=$(json_field "$WORK/stop-load-progress.json" requests)
t=$(date +%s.%N)
docker stop -t 40 "$id" >/dev/null
stop_s=$(elapsed "$t")
touch "$WORK/stop-load-stop"
wait "$LOAD_PID" || true
LOAD_PID=
exit_code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
oom=$(docker inspect -f '{{.State.OOMKilled}}' "$id")
case $exit_code in 0 | 143) ;; *) fail "docker stop: exit code $exit_code (137 = killed after the timeout)" ;; esac
[ "$oom" = false ] || fail "docker stop: OOM-killed"
fact "docker stop -t 40 under direct load (20 connections without idle, no router): exit code $exit_code after ${stop_s}s, not killed; $before requests before the stop, $(($(json_field "$WORK/stop-load.json" requests) - before)) during and right after it, $(json_field "$WORK/stop-load.json" failed) failed $(json_field "$WORK/stop-load.json" failures) (informational: nothing in front of the slot, so requests after its listener closed are refused)"

stage "Done"
