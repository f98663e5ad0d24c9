#!/usr/bin/env bash
# Zero-downtime shutdown, end to end with real processes (docs/lifecycle.md, "Proving it"):
#   two instances of the service jar on PostgreSQL, a real HAProxy (HTTP mode) in front, an honest load client
#   (scripts/load/keepalive_load.py: 50 keep-alive connections, idle 0.1-0.5 s between requests, GET and POST,
#   never retries), and SIGTERM to one instance in the middle of the run.
# Runs (ZDT_VARIANTS, default "drain no-drain"):
#   drain        the service as shipped (app.lifecycle.drain-delay=5s): must report 0 failed requests, and the
#                terminated instance must exit with 0 or 143 within its budget (drain + shutdown phase).
#   no-drain     the drain disabled (APP_LIFECYCLE_DRAIN_DELAY=0: no delay, no Connection: close): must report failed
#                requests, which proves the client and the router setup can see the failure the drain prevents.
#   drain-l4, no-drain-l4   the same with HAProxy in TCP mode (L4, like kube-proxy): the client's own keep-alive
#                connections reach the instance that shuts down.
# Exits non-zero if an expectation is not met. About 2.5 minutes per run (~20,000 requests at ~150/s + startup).
#
# Usage: scripts/zero-downtime-test.sh            (builds the jar, starts the machine's PostgreSQL via .ci/postgres.sh)
# Settings (environment): ZDT_VARIANTS="drain no-drain", ZDT_REQUESTS=20000, ZDT_CONNECTIONS=50, ZDT_POST_SHARE=0.3,
#   ZDT_SIGTERM_AT=0.35 (fraction of the requests completed), ZDT_BASE_PORT=18400 (uses BASE..BASE+12 on 127.0.0.1),
#   ZDT_TIME_LIMIT=300 (seconds per run), ZDT_JAR (skip the build), ZDT_DATABASE_URL/_USERNAME/_PASSWORD (skip
#   .ci/postgres.sh), JAVA_HOME (a JDK 21+; otherwise the newest found under /usr/lib/jvm).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

VARIANTS=${ZDT_VARIANTS:-"drain no-drain"}
REQUESTS=${ZDT_REQUESTS:-20000}
CONNECTIONS=${ZDT_CONNECTIONS:-50}
POST_SHARE=${ZDT_POST_SHARE:-0.3}
IDLE_MIN=0.1
IDLE_MAX=0.5
SIGTERM_AT=${ZDT_SIGTERM_AT:-0.35}
TIME_LIMIT=${ZDT_TIME_LIMIT:-300}
BASE=${ZDT_BASE_PORT:-18400}
DRAIN_DELAY=5s
PHASE_TIMEOUT=20s
# The terminated instance's budget: one phase for the drain, one for Tomcat's graceful shutdown, as configured.
BUDGET_SECONDS=25
WORK=$ROOT/target/zero-downtime
mkdir -p "$WORK"

log() { printf '[zdt %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# --- prerequisites -------------------------------------------------------------------------------------------------
if ! command -v haproxy >/dev/null; then
  log "installing haproxy (Debian package; only the binary is used, never the system service)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
fi
command -v python3 >/dev/null || die "python3 is required"
command -v curl >/dev/null || die "curl is required"

java_version() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}/bin/java" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV) "$(command -v java || true)"; do
    [ -x "$candidate" ] || continue
    [ "$(java_version "$candidate")" -ge 21 ] 2>/dev/null && { echo "$candidate"; return; }
  done
  die "no JDK 21 or newer found: set JAVA_HOME"
}
JAVA=$(find_java)

for port in $BASE $((BASE + 1)) $((BASE + 2)) $((BASE + 9)) $((BASE + 11)) $((BASE + 12)); do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is in use: set ZDT_BASE_PORT"
done

# --- the jar ---------------------------------------------------------------------------------------------------------
if [ -n "${ZDT_JAR:-}" ]; then
  cp "$ZDT_JAR" "$WORK/app.jar"
else
  log "building the jar (./mvnw package, tests skipped: this script tests the jar)"
  ./mvnw -B -ntp -q package -DskipTests -Djacoco.skip=true
  for jar in target/service-template-*.jar; do cp "$jar" "$WORK/app.jar"; break; done
fi

# --- PostgreSQL ------------------------------------------------------------------------------------------------------
if [ -z "${ZDT_DATABASE_URL:-}" ]; then
  eval "$(.ci/postgres.sh)"
  ZDT_DATABASE_URL=$TEST_DATABASE_URL ZDT_DATABASE_USERNAME=$TEST_DATABASE_USERNAME
  ZDT_DATABASE_PASSWORD=$TEST_DATABASE_PASSWORD
fi

# --- API keys: one per connection, as distinct clients. Ignored by builds without API security; with it (issue 3)
# they authenticate, and each client stays far below its rate limit (about 3 requests per second).
python3 - "$WORK/keys.txt" "$WORK/api-keys.env" "$CONNECTIONS" <<'EOF'
import hashlib, secrets, sys
keys_file, env_file, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
keys = ["zdt-%02d-%s" % (i, secrets.token_hex(16)) for i in range(count)]
open(keys_file, "w").write("\n".join(keys) + "\n")
pairs = ",".join("zdt-%02d:%s" % (i, hashlib.sha256(k.encode()).hexdigest()) for i, k in enumerate(keys))
open(env_file, "w").write(pairs)
EOF
API_KEYS=$(cat "$WORK/api-keys.env")

# --- one instance ----------------------------------------------------------------------------------------------------
# Starts an instance in the background of THIS shell (so that `wait` can read its exit code); sets STARTED_PID.
start_instance() { # name port management-port drain-delay
  local name=$1 port=$2 management=$3 drain=$4
  env SPRING_DATASOURCE_URL="$ZDT_DATABASE_URL" SPRING_DATASOURCE_USERNAME="$ZDT_DATABASE_USERNAME" \
    SPRING_DATASOURCE_PASSWORD="$ZDT_DATABASE_PASSWORD" SERVER_PORT="$port" MANAGEMENT_SERVER_PORT="$management" \
    SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_ADDRESS=127.0.0.1 \
    APP_SLOT=blue APP_LIFECYCLE_DRAIN_DELAY="$drain" SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE="$PHASE_TIMEOUT" \
    APP_INVENTORY_ENABLED=false APP_SECURITY_API_KEYS="$API_KEYS" \
    "$JAVA" -Xms128m -Xmx384m -XX:+ExitOnOutOfMemoryError -jar "$WORK/app.jar" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

wait_ready() { # port pid name
  for _ in $(seq 1 180); do
    kill -0 "$2" 2>/dev/null || die "instance $3 exited during startup (see $WORK/$3.log)"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return
    sleep 0.5
  done
  die "instance $3 not ready after 90 s (see $WORK/$3.log)"
}

# --- HAProxy: HTTP mode, nothing that would hide a failure ---------------------------------------------------------
write_haproxy_config() { # file mode(http|tcp)
  local file=$1 mode=$2
  {
    cat <<EOF
# Generated by scripts/zero-downtime-test.sh. Own ports on 127.0.0.1; never the system service.
global
    maxconn 1000
    # HAProxy's own log lines go to stdout, i.e. to target/zero-downtime/<run>-haproxy.log.
    log stdout format raw local0 info

defaults
    mode $mode
    log global
    # No retry of any kind: a request (http) or connection (tcp) that fails on a server is reported to the client
    # as it failed, so the client counts it. retries 0 also disables the default retry on connection failure.
    retries 0
    # Never send a failed request to another server either (off by default; stated for the reader).
    no option redispatch
    timeout connect 2s
    timeout client 30s
    timeout server 30s
EOF
    if [ "$mode" = http ]; then
      cat <<EOF
    option httplog
    # Keep-alive on both sides (the default): idle client connections stay open between requests, and idle server
    # connections are pooled and reused (http-reuse safe, the default): the connections a shutdown can break.
    option http-keep-alive
    timeout http-keep-alive 30s
    timeout http-request 10s
EOF
    else
      cat <<EOF
    # L4, as kube-proxy: each client connection is pinned to one instance for its whole life, so the client's own
    # keep-alive connections reach the instance that shuts down.
    option tcplog
EOF
    fi
    cat <<EOF

frontend api
    bind 127.0.0.1:$BASE
    default_backend instances

backend instances
    balance roundrobin
    # Health checks on the API port's readiness probe: /readyz answers 503 as soon as an instance starts draining.
    # Every second; 2 failures mark a server down (about 2-3 s), well inside the 5 s drain; 2 successes bring it back.
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
EOF
    if [ "$mode" = http ]; then
      cat <<EOF
    # Which instance served each response, for the report.
    http-response set-header X-Served-By %s
EOF
    fi
    cat <<EOF
    server a 127.0.0.1:$((BASE + 1)) check
    server b 127.0.0.1:$((BASE + 2)) check

frontend stats
    mode http
    bind 127.0.0.1:$((BASE + 9))
    stats enable
    stats uri /stats
EOF
  } >"$file"
}

servers_up() {
  curl -s "http://127.0.0.1:$((BASE + 9))/stats;csv" | awk -F, '$1=="instances" && ($2=="a" || $2=="b") && $18=="UP"' | wc -l
}

# --- one run ---------------------------------------------------------------------------------------------------------
run_variant() { # name drain-delay router-mode(http|tcp)
  local name=$1 drain=$2 mode=$3
  log "run '$name': app.lifecycle.drain-delay=$drain, spring.lifecycle.timeout-per-shutdown-phase=$PHASE_TIMEOUT, HAProxy mode $mode"
  local a b proxy client
  start_instance "$name-a" $((BASE + 1)) $((BASE + 11)) "$drain"; a=$STARTED_PID
  start_instance "$name-b" $((BASE + 2)) $((BASE + 12)) "$drain"; b=$STARTED_PID
  wait_ready $((BASE + 1)) "$a" "$name-a"
  wait_ready $((BASE + 2)) "$b" "$name-b"
  write_haproxy_config "$WORK/haproxy.cfg" "$mode"
  cp "$WORK/haproxy.cfg" "$WORK/$name-haproxy.cfg"
  haproxy -c -q -f "$WORK/haproxy.cfg" || die "haproxy configuration invalid"
  haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/$name-haproxy.log" 2>&1 &
  proxy=$!; PIDS+=("$proxy")
  for _ in $(seq 1 40); do [ "$(servers_up)" = 2 ] && break; sleep 0.25; done
  [ "$(servers_up)" = 2 ] || die "HAProxy does not see both instances UP"

  # The mix of docs/lifecycle.md: POST_SHARE writes, the rest list orders. The socket timeout is the router's own
  # (timeout server 30s): the router, not the client, decides when a slow request has failed.
  rm -f "$WORK/$name-progress.json"
  python3 scripts/load/keepalive_load.py --port "$BASE" --connections "$CONNECTIONS" --requests "$REQUESTS" \
    --max-seconds "$TIME_LIMIT" --idle-min "$IDLE_MIN" --idle-max "$IDLE_MAX" --post-share "$POST_SHARE" \
    --own-order-share 0 --list-path '/api/v1/orders?size=5' --timeout 30 --keys-file "$WORK/keys.txt" \
    --progress-file "$WORK/$name-progress.json" >"$WORK/$name-report.json" &
  client=$!; PIDS+=("$client")

  local threshold done_count
  threshold=$(python3 -c "print(int($REQUESTS * $SIGTERM_AT))")
  while :; do
    kill -0 "$client" 2>/dev/null || die "the load client ended before the SIGTERM"
    # Requests completed (answered or failed), from the progress file the client rewrites every 0.5 s.
    done_count=$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); print(p["succeeded"] + p["failed"])' \
      "$WORK/$name-progress.json" 2>/dev/null || echo 0)
    [ "${done_count:-0}" -ge "$threshold" ] && break
    sleep 0.5
  done
  log "run '$name': $done_count requests completed, SIGTERM to instance a (pid $a)"
  local started ended exit_code=0
  started=$(date +%s.%N)
  kill -TERM "$a"
  wait "$a" || exit_code=$?
  ended=$(date +%s.%N)
  local duration
  duration=$(python3 -c "print(round($ended - $started, 1))")
  log "run '$name': instance a exited with $exit_code after $duration s"

  wait "$client" || die "the load client failed (see $WORK/$name-report.json)"
  kill "$b" "$proxy" 2>/dev/null || true
  wait "$b" 2>/dev/null || true
  wait "$proxy" 2>/dev/null || true

  python3 - "$WORK/$name-report.json" "$name" "$drain" "$exit_code" "$duration" "$BUDGET_SECONDS" "$SIGTERM_AT" "$mode" \
    >"$WORK/$name-summary.txt" <<'EOF'
import json, sys
report_file, name, drain, exit_code, duration, budget, sigterm_at, mode = sys.argv[1:]
r = json.load(open(report_file))
s = r["settings"]
print("run %-11s drain-delay=%-3s | requests=%d succeeded=%d (GET %d, POST %d) FAILED=%d %s in %ss (%s req/s) "
      "| by server %s" % (name, drain, r["requests"], r["succeeded"], r["gets_ok"], r["posts_ok"], r["failed"],
                          r["failures"] or "", r["seconds"], r["requests_per_second"], r["served_by"]))
print("         client: %d keep-alive connections (one thread each), idle %s-%s s between requests, POST share %s, "
      "retries %d, %d API keys; SIGTERM to instance a after %s of the requests"
      % (s["connections"], s["idle_seconds"][0], s["idle_seconds"][1], s["post_share"], s["retries"], s["api_keys"],
         sigterm_at))
print("         router: HAProxy 2.6 %s mode, roundrobin, retries 0, no option redispatch, checks GET /readyz "
      "inter 1s fall 2 rise 2" % mode.upper())
print("         instance a: exit code %s after %s s (budget %s s); client connections opened %d, responses with "
      "'Connection: close' %d (drain and Tomcat's max-keep-alive-requests)" % (exit_code, duration, budget, r["connections_opened"], r["connection_close_from_server"]))
if r["first_failures"]:
    print("         first failures: %s" % json.dumps(r["first_failures"][:3]))
EOF
  cat "$WORK/$name-summary.txt"

  local failed requests complete
  failed=$(python3 -c "import json;print(json.load(open('$WORK/$name-report.json'))['failed'])")
  requests=$(python3 -c "import json;print(json.load(open('$WORK/$name-report.json'))['requests'])")
  complete=$(python3 -c "import json;print(json.load(open('$WORK/$name-report.json'))['complete'])")
  [ "$complete" = True ] ||
    die "run '$name' did not complete: $requests of $REQUESTS requests sent within $TIME_LIMIT s"
  case "$name" in
    drain*)
      [ "$failed" = 0 ] || die "run '$name': $failed requests failed (expected 0)"
      [ "$exit_code" = 0 ] || [ "$exit_code" = 143 ] || die "run '$name': instance a exited with $exit_code"
      python3 -c "import sys; sys.exit(0 if $duration <= $BUDGET_SECONDS else 1)" \
        || die "run '$name': shutdown took $duration s, over the budget of $BUDGET_SECONDS s"
      ;;
    no-drain*)
      [ "$failed" -gt 0 ] || die "run '$name': no request failed, so this setup could not have caught a broken drain"
      ;;
  esac
}

for variant in $VARIANTS; do
  case "$variant" in
    drain) run_variant drain "$DRAIN_DELAY" http ;;
    no-drain) run_variant no-drain 0 http ;;
    drain-l4) run_variant drain-l4 "$DRAIN_DELAY" tcp ;;
    no-drain-l4) run_variant no-drain-l4 0 tcp ;;
    *) die "unknown variant '$variant' (drain, no-drain, drain-l4, no-drain-l4)" ;;
  esac
done
log "PASSED ($VARIANTS). Reports: $WORK/<run>-report.json, logs: $WORK/<run>-{a,b,haproxy}.log"
for variant in $VARIANTS; do cat "$WORK/$variant-summary.txt"; done
