#!/usr/bin/env bash
# Smoke-test the stand-in images (or, with the variables pointing elsewhere, the
# official ones) for the behaviour this project relies on:
#   postgres   - "ready to accept connections" twice on first start, password
#                login over TCP, pg_isready
#   haproxy    - config check via docker exec, reload on SIGHUP keeps the master
#   prometheus - ready, scrapes itself, promtool present
#   wiremock   - serves a mapping from /home/wiremock/mappings
#   temurin    - java 25 under JAVA_HOME=/opt/java/openjdk
# Usage: .ci/docker/smoke.sh [postgres haproxy prometheus wiremock temurin]
# Uses the *_IMAGE variables (source .ci/docker/env.sh for the stand-ins).
# Containers are named standin-smoke-*, publish on 127.0.0.1 random ports, and
# are removed (with their volumes) on exit.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/docker-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/docker-lib.sh"

POSTGRES_IMAGE=${POSTGRES_IMAGE:-postgres:17}
HAPROXY_IMAGE=${HAPROXY_IMAGE:-haproxy:3.2}
PROMETHEUS_IMAGE=${PROMETHEUS_IMAGE:-prom/prometheus:v3.5.0}
WIREMOCK_IMAGE=${WIREMOCK_IMAGE:-wiremock/wiremock:3.13.1}
JRE_IMAGE=${JRE_IMAGE:-eclipse-temurin:25-jre}

tmp=$(mktemp -d)
containers=()
c=
cleanup() {
  local c
  for c in "${containers[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# run NAME DOCKER-RUN-ARGS...: start container standin-smoke-NAME-PID, name in $c.
# Not in a subshell, so the cleanup list sees it.
run() {
  c=standin-smoke-$1-$$
  shift
  containers+=("$c")
  docker run -d --name "$c" "$@" >/dev/null
}
host_port() { docker port "$1" "$2" | head -n 1 | sed 's/.*://'; }
wait_for() { # SECONDS COMMAND...
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
# Predicates for wait_for.
pg_ready_twice() { [ "$(docker logs "$1" 2>&1 | grep -c 'database system is ready to accept connections')" -ge 2 ]; }
body_is() { [ "$(curl -fsS "$1")" = "$2" ]; }
body_has() { curl -fsS "$1" | grep -qF -- "$2"; }
ok() { ci_log "ok: $*"; }
fail() { ci_die "$*"; }

smoke_postgres() {
  local t0 port n ip
  t0=$(ci_now)
  run pg -e POSTGRES_PASSWORD=smoke -e POSTGRES_USER=smoke -e POSTGRES_DB=smokedb \
    -p 127.0.0.1::5432 "$POSTGRES_IMAGE" -c fsync=off
  wait_for 60 pg_ready_twice "$c" || fail "postgres: 'ready to accept connections' not logged twice; logs:
$(docker logs "$c" 2>&1 | tail -n 20)"
  ok "postgres: ready line logged twice after $(ci_elapsed "$t0")s"
  docker exec "$c" pg_isready -q -h 127.0.0.1 || fail "postgres: pg_isready failed"
  port=$(host_port "$c" 5432)
  # From another container over the bridge: inside the server's own container
  # 127.0.0.1 is "trust" (initdb's default, in the official image too).
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$c")
  n=$(docker run --rm -e PGPASSWORD=smoke "$POSTGRES_IMAGE" psql -h "$ip" -U smoke -d smokedb -Atc 'select 1')
  [ "$n" = 1 ] || fail "postgres: select 1 over TCP with password returned '$n'"
  ! docker run --rm -e PGPASSWORD=wrong "$POSTGRES_IMAGE" psql -h "$ip" -U smoke -d smokedb -Atc 'select 1' >/dev/null 2>&1 ||
    fail "postgres: a wrong password was accepted"
  ok "postgres: password login over TCP from another container, wrong password refused (published on 127.0.0.1:$port)"
}

smoke_haproxy() {
  local port master_before master_after body
  mkdir -p "$tmp/haproxy" && chmod 755 "$tmp/haproxy"
  write_cfg() {
    cat >"$tmp/haproxy/haproxy.cfg" <<EOF
global
  log stdout format raw local0
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend fe
  bind :8080
  http-request return status 200 content-type text/plain string "$1"
EOF
    chmod 644 "$tmp/haproxy/haproxy.cfg"
  }
  write_cfg one
  run haproxy -p 127.0.0.1::8080 -v "$tmp/haproxy:/usr/local/etc/haproxy:ro" "$HAPROXY_IMAGE"
  port=$(host_port "$c" 8080)
  wait_for 15 curl -fsS "http://127.0.0.1:$port/" || fail "haproxy: not serving; logs:
$(docker logs "$c" 2>&1 | tail -n 20)"
  master_before=$(docker inspect -f '{{.State.Pid}}' "$c")
  write_cfg two
  docker exec "$c" haproxy -c -q -f /usr/local/etc/haproxy/haproxy.cfg || fail "haproxy: config check failed"
  docker kill -s HUP "$c" >/dev/null
  wait_for 10 body_is "http://127.0.0.1:$port/" two || fail "haproxy: SIGHUP did not load the new configuration"
  master_after=$(docker inspect -f '{{.State.Pid}} {{.State.Running}}' "$c")
  [ "$master_after" = "$master_before true" ] || fail "haproxy: master changed or died on reload"
  body=$(curl -fsS "http://127.0.0.1:$port/")
  ok "haproxy: config check, SIGHUP reload served '$body' with the same master (PID $master_before)"
}

smoke_prometheus() {
  local port
  run prom -p 127.0.0.1::9090 "$PROMETHEUS_IMAGE"
  port=$(host_port "$c" 9090)
  wait_for 30 curl -fsS "http://127.0.0.1:$port/-/ready" || fail "prometheus: not ready"
  docker exec "$c" promtool check config /etc/prometheus/prometheus.yml >/dev/null || fail "prometheus: promtool"
  wait_for 40 body_has "http://127.0.0.1:$port/api/v1/query?query=up%3D%3D1" '"job":"prometheus"' || fail "prometheus: self-scrape not up"
  ok "prometheus: ready, promtool ok, up{job=\"prometheus\"} = 1"
}

smoke_wiremock() {
  local port body
  mkdir -p "$tmp/wm/mappings" "$tmp/wm/__files"
  cat >"$tmp/wm/mappings/hello.json" <<'EOF'
{ "request": { "method": "GET", "url": "/hello" },
  "response": { "status": 200, "bodyFileName": "hello.txt" } }
EOF
  echo 'hello from wiremock' >"$tmp/wm/__files/hello.txt"
  chmod -R a+rX "$tmp/wm"
  run wm -p 127.0.0.1::8080 -v "$tmp/wm/mappings:/home/wiremock/mappings:ro" \
    -v "$tmp/wm/__files:/home/wiremock/__files:ro" "$WIREMOCK_IMAGE"
  port=$(host_port "$c" 8080)
  wait_for 60 curl -fsS "http://127.0.0.1:$port/__admin/health" || fail "wiremock: not healthy; logs:
$(docker logs "$c" 2>&1 | tail -n 20)"
  body=$(curl -fsS "http://127.0.0.1:$port/hello")
  [ "$body" = 'hello from wiremock' ] || fail "wiremock: /hello returned '$body'"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nope")" = 404 ] || fail "wiremock: unmatched is not 404"
  ok "wiremock: mapping served ('$body'), unmatched request 404"
}

smoke_temurin() {
  local out
  out=$(docker run --rm "$JRE_IMAGE" sh -c 'echo "$JAVA_HOME"; java -version 2>&1 | head -n 1')
  case $out in
    /opt/java/openjdk*'version "25'*) ok "temurin: $(echo "$out" | tr '\n' ' ')" ;;
    *) fail "temurin: unexpected: $out" ;;
  esac
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(postgres haproxy prometheus wiremock temurin)
ci_docker_ok || ci_die "no Docker engine; run .ci/docker/engine.sh first"
for n in "${names[@]}"; do
  case $n in
    postgres | haproxy | prometheus | wiremock | temurin) "smoke_$n" ;;
    *) ci_die "unknown smoke test '$n'" ;;
  esac
done
ci_log "all smoke tests passed: ${names[*]}"
