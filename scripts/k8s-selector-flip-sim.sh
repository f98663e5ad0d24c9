#!/usr/bin/env bash
# Simulates a Kubernetes Service selector flip (blue-green promote) with real processes and a client that shows
# dropped requests, then reports the figures. No cluster needed; everything listens on 127.0.0.1 only.
#
#   instance A (old slot) --+
#                           +-- HAProxy, TCP mode, 127.0.0.1:${SIM_PORT_BASE} <-- 50 keep-alive clients, never retry
#   instance B (new slot) --+
#
# 1. A and B run the application jar (profile "local": no database or other service needed).
# 2. The load starts through HAProxy, which forwards to A.
# 3. The switch: HAProxy is soft-reloaded to forward to B. The old HAProxy worker keeps the established connections
#    to A (as kube-proxy/conntrack keeps established connections after a selector change); new connections go to B.
# 4. A gets the preStop treatment: it keeps serving for PRESTOP_SECONDS, then receives SIGTERM (its drain and
#    graceful shutdown must move every client off A without a failed request), and must exit within the grace period.
# 5. The load runs to completion against B. Any failed request, a short count or an unclean exit of A fails the run.
#
# Usage: scripts/k8s-selector-flip-sim.sh            (build the jar first: ./mvnw -DskipTests package)
# Environment (defaults in brackets):
#   JAR [target/service-template-*.jar]   JAVA [$JAVA_HOME/bin/java, else Temurin 25, else java]   HAPROXY [haproxy]
#   REQUESTS [20000]  CONNECTIONS [50]  IDLE_MIN [0.1]  IDLE_MAX [0.5]  POST_SHARE [0.25]  MAX_SECONDS [420]
#   SWITCH_AFTER_SECONDS [20]  PRESTOP_SECONDS [10]  GRACE_SECONDS [45]  SIM_PORT_BASE [18080]
#   SIM_API_KEY [dev-key-change-me, the key of profile "local"; empty: no header] (sent as X-API-Key)
#   SIM_APP_ARGS (extra arguments for both instances)
# The rate limits are raised far above the load (it is one client doing ~165 requests/s): the run measures the
# switch and the shutdown, not the limiter.
#   SIM_WORK_DIR [target/k8s-selector-flip-sim]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REQUESTS="${REQUESTS:-20000}"
CONNECTIONS="${CONNECTIONS:-50}"
IDLE_MIN="${IDLE_MIN:-0.1}"
IDLE_MAX="${IDLE_MAX:-0.5}"
POST_SHARE="${POST_SHARE:-0.25}"
MAX_SECONDS="${MAX_SECONDS:-420}"
SWITCH_AFTER_SECONDS="${SWITCH_AFTER_SECONDS:-20}"
PRESTOP_SECONDS="${PRESTOP_SECONDS:-10}"
GRACE_SECONDS="${GRACE_SECONDS:-45}"
PORT="${SIM_PORT_BASE:-18080}"
WORK="${SIM_WORK_DIR:-target/k8s-selector-flip-sim}"
SIM_API_KEY="${SIM_API_KEY-dev-key-change-me}"
HAPROXY="${HAPROXY:-haproxy}"
A_PORT=$((PORT + 1)) A_MGMT=$((PORT + 101)) B_PORT=$((PORT + 2)) B_MGMT=$((PORT + 102))

die() {
  echo "error: $*" >&2
  exit 2
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[%6ss] %s\n' "$(since "${T0}")" "$*"; }

find_java() {
  if [[ -n "${JAVA:-}" ]]; then
    echo "${JAVA}"
  elif [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    echo "${JAVA_HOME}/bin/java"
  elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    command -v java
  fi
}

JAR="${JAR:-$(find target -maxdepth 1 -name 'service-template-*.jar' ! -name '*-plain.jar' 2>/dev/null | head -n 1)}"
[[ -n "${JAR}" && -f "${JAR}" ]] || die "no application jar: build it with ./mvnw -DskipTests package (or set JAR=...)"
JAVA="$(find_java)" || die "no java found: set JAVA or JAVA_HOME (JDK 21 or newer)"
"${JAVA}" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])' || die "${JAVA} is older than Java 21: set JAVA or JAVA_HOME"
command -v "${HAPROXY}" >/dev/null || die "haproxy not found: apt-get install -y haproxy (the system service is not used)"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"
for p in "${PORT}" "${A_PORT}" "${A_MGMT}" "${B_PORT}" "${B_MGMT}"; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null || die "port ${p} is in use: set SIM_PORT_BASE"
done

rm -rf "${WORK}"
mkdir -p "${WORK}"
WORK="$(cd "${WORK}" && pwd)"
PIDS=()
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "${pid}" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "${pid}" 2>/dev/null || true
  done
}
trap cleanup EXIT

start_instance() {
  local name="$1" port="$2" mgmt="$3" slot="$4"
  # shellcheck disable=SC2086 # SIM_APP_ARGS is a list of arguments
  "${JAVA}" -Xmx384m -XX:+UseSerialGC -jar "${JAR}" --spring.profiles.active=local \
    --server.port="${port}" --server.address=127.0.0.1 \
    --management.server.port="${mgmt}" --management.server.address=127.0.0.1 \
    --app.slot="${slot}" --spring.lifecycle.timeout-per-shutdown-phase=20s \
    --server.tomcat.max-keep-alive-requests=-1 \
    --app.ratelimit.default.limit=1000000 --app.ratelimit.default.period=1s \
    --app.ratelimit.writes.limit=1000000 --app.ratelimit.writes.period=1s \
    ${SIM_APP_ARGS:-} >"${WORK}/${name}.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("${STARTED_PID}")
}

# API requests an instance has answered, from its own metrics (management port).
api_requests() {
  curl -s "http://127.0.0.1:$1/actuator/prometheus" |
    awk '/^http_server_requests_seconds_count\{/ && /uri="\/api\// { n += $NF } END { printf "%d", n }'
}

wait_ready() {
  local name="$1" port="$2" pid="$3" i
  for ((i = 0; i < 180; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port}/readyz")" == 200 ]] && return 0
    kill -0 "${pid}" 2>/dev/null || die "instance ${name^^} exited during startup: see ${WORK}/${name}.log"
    sleep 0.5
  done
  die "instance ${name^^} not ready on :${port}/readyz after 90 s: see ${WORK}/${name}.log"
}

haproxy_config() {
  cat >"${WORK}/haproxy.cfg.new" <<EOF
global
    maxconn 2000
    pidfile ${WORK}/haproxy.pid
    stats socket ${WORK}/haproxy.sock mode 600 level admin expose-fd listeners
    # An old worker never outlives the run, even if a connection stays open.
    hard-stop-after 120s
defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend service
    bind 127.0.0.1:${PORT}
    default_backend endpoints
backend endpoints
    server $1 127.0.0.1:$2
EOF
  mv "${WORK}/haproxy.cfg.new" "${WORK}/haproxy.cfg"
  "${HAPROXY}" -c -q -f "${WORK}/haproxy.cfg" || die "invalid HAProxy configuration"
}

T0="$(now)"
say "starting instance A (old slot) on :${A_PORT} and instance B (new slot) on :${B_PORT} from ${JAR}"
start_instance a "${A_PORT}" "${A_MGMT}" blue
A_PID="${STARTED_PID}"
start_instance b "${B_PORT}" "${B_MGMT}" green
B_PID="${STARTED_PID}"
wait_ready a "${A_PORT}" "${A_PID}"
wait_ready b "${B_PORT}" "${B_PID}"

haproxy_config a "${A_PORT}"
# Master-worker mode: SIGUSR2 to the master reloads; the old worker finishes its established connections.
"${HAPROXY}" -W -db -f "${WORK}/haproxy.cfg" >"${WORK}/haproxy.log" 2>&1 &
HAPROXY_PID=$!
PIDS+=("${HAPROXY_PID}")
for ((i = 0; i < 50; i++)); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT}/readyz")" == 200 ]] && break
  sleep 0.1
done
say "HAProxy (TCP mode) on :${PORT} -> A; ready"

# POST_SHARE writes, the rest list orders (one per page); every connection sends the same key.
LOAD_ARGS=(--port "${PORT}" --connections "${CONNECTIONS}" --requests "${REQUESTS}" --max-seconds "${MAX_SECONDS}"
  --idle-min "${IDLE_MIN}" --idle-max "${IDLE_MAX}" --post-share "${POST_SHARE}" --own-order-share 0
  --list-path '/api/v1/orders?page=0&size=1' --timeout 10 --events-file "${WORK}/failures.log")
if [[ -n "${SIM_API_KEY}" ]]; then
  printf '%s\n' "${SIM_API_KEY}" >"${WORK}/api-key"
  LOAD_ARGS+=(--keys-file "${WORK}/api-key")
fi
say "load: ${REQUESTS} requests over ${CONNECTIONS} keep-alive connections, idle ${IDLE_MIN}-${IDLE_MAX} s between requests, a share of ${POST_SHARE} POST, no retries"
LOAD_T0="$(now)"
python3 scripts/load/keepalive_load.py "${LOAD_ARGS[@]}" >"${WORK}/load.json" 2>"${WORK}/load.err" &
LOAD_PID=$!
PIDS+=("${LOAD_PID}")

sleep "${SWITCH_AFTER_SECONDS}"
haproxy_config b "${B_PORT}"
kill -USR2 "${HAPROXY_PID}"
SWITCH_AT="$(since "${LOAD_T0}")"
A_AT_SWITCH="$(api_requests "${A_MGMT}")"
say "switch: HAProxy reloaded -> B (load time ${SWITCH_AT}s); established connections stay on A"

sleep "${PRESTOP_SECONDS}"
say "preStop sleep of ${PRESTOP_SECONDS}s over: SIGTERM to A"
SIGTERM_AT="$(since "${LOAD_T0}")"
A_AT_SIGTERM="$(api_requests "${A_MGMT}")"
TERM_T0="$(now)"
kill -TERM "${A_PID}"
A_EXIT=0
A_KILLED=no
(sleep "${GRACE_SECONDS}" && kill -KILL "${A_PID}" 2>/dev/null && echo killed >"${WORK}/a.killed") &
KILLER_PID=$!
wait "${A_PID}" || A_EXIT=$?
A_SHUTDOWN="$(since "${TERM_T0}")"
kill "${KILLER_PID}" 2>/dev/null || true
wait "${KILLER_PID}" 2>/dev/null || true
[[ ! -f "${WORK}/a.killed" ]] || A_KILLED=yes
say "A exited with code ${A_EXIT} after ${A_SHUTDOWN}s (SIGKILL at the grace period of ${GRACE_SECONDS}s: ${A_KILLED})"

LOAD_EXIT=0
wait "${LOAD_PID}" || LOAD_EXIT=$?
say "load finished"
B_SERVED="$(api_requests "${B_MGMT}")"

python3 - "${WORK}/load.json" "${A_EXIT}" "${A_SHUTDOWN}" "${A_KILLED}" "${SWITCH_AT}" "${SIGTERM_AT}" "${B_SERVED}" \
  "${WORK}" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))
a_exit, a_shutdown, a_killed, switch_at, sigterm_at, b_served, work = sys.argv[2:]
s = summary["settings"]
print()
print("=== Service selector flip simulation (HAProxy TCP soft reload A -> B, then preStop sleep and SIGTERM to A)")
print(f"client:              {s['client']}, {s['connections']} keep-alive connections, idle {s['idle_seconds'][0]}-"
      f"{s['idle_seconds'][1]} s between requests, a share of {s['post_share']} POST, retries {s['retries']}")
print(f"switch at:           {switch_at} s, SIGTERM to A at {sigterm_at} s (load time)")
print(f"requests:            {summary['requests']} in {summary['seconds']} s "
      f"({summary['gets_ok']} GET and {summary['posts_ok']} POST succeeded)")
print(f"served by A / B:     {summary['succeeded'] - int(b_served)} / {b_served}")
print(f"failed:              {summary['failed']} {summary['failures'] or ''}")
print(f"server Connection: close responses: {summary['connection_close_from_server']}, "
      f"connections opened: {summary['connections_opened']}")
print(f"A exit code:         {a_exit} ({'SIGTERM, shutdown hooks ran' if a_exit == '143' else 'see log'}), "
      f"shutdown took {a_shutdown} s, killed at grace period: {a_killed}")
print(f"details:             {work}/ (failures.log, a.log, b.log, haproxy.log)")
EOF

status=0
FAILED="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failed"])' "${WORK}/load.json")"
COMPLETE="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["complete"])' "${WORK}/load.json")"
[[ "${FAILED}" -eq 0 ]] || { echo "FAIL: ${FAILED} failed requests" >&2; status=1; }
[[ "${LOAD_EXIT}" -eq 0 && "${COMPLETE}" == True ]] ||
  { echo "FAIL: the load did not complete cleanly (exit ${LOAD_EXIT}, complete: ${COMPLETE})" >&2; status=1; }
# Otherwise the run proves nothing: every client would have left A before its shutdown began.
say "A answered ${A_AT_SWITCH} API requests up to the switch and $((A_AT_SIGTERM - A_AT_SWITCH)) between the switch and SIGTERM"
[[ "${A_AT_SIGTERM}" -gt "${A_AT_SWITCH}" ]] ||
  { echo "FAIL: no client was still on A after the switch: the shutdown met no established connection" >&2; status=1; }
[[ "${A_KILLED}" == no && ("${A_EXIT}" -eq 0 || "${A_EXIT}" -eq 143) ]] ||
  { echo "FAIL: A did not shut down cleanly within ${GRACE_SECONDS}s" >&2; status=1; }
[[ "${status}" -ne 0 ]] || echo "PASS: 0 failed requests"
exit "${status}"
