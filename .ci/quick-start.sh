#!/usr/bin/env bash
# Backs the README's quick start with the command a newcomer types: `./mvnw spring-boot:run` starts on the embedded
# database, logs where it listens, and serves the orders API with the development key; then the same command with
# one variable (SPRING_DATASOURCE_URL, from .ci/postgres.sh) runs on PostgreSQL. Needs ports 8080 and 8081 free.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=
stop() {
  # spring-boot:run forks the application: stop the whole process group, as Ctrl-C would.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  pid=
}
trap 'stop; rm -rf "$work"' EXIT

run() {
  local name=$1 log="$work/$1.log"
  shift
  echo "[quick-start] $name: $* ./mvnw spring-boot:run"
  env "$@" setsid ./mvnw -B -ntp -q spring-boot:run >"$log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 240))
  until grep -q 'Ready: API http://localhost:8080/' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "[quick-start] FAIL $name: no 'Ready: API' line" >&2
      tail -40 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  grep -m1 'Ready: API' "$log" | sed 's/^.*\(Ready: API\)/  \1/'

  local key='X-API-Key: dev-key-change-me' headers="$work/headers" location
  code=$(curl -s -o /dev/null -D "$headers" -w '%{http_code}' -X POST localhost:8080/api/v1/orders -H "$key" \
    -H 'Content-Type: application/json' -H 'Idempotency-Key: quick-start-1' -d '{"sku":"QUICK-1","quantity":2}')
  location=$(tr -d '\r' <"$headers" | awk -F': ' 'tolower($1) == "location" { print $2 }')
  expect "$name: POST /api/v1/orders" 201 "$code"
  expect "$name: GET $location" 200 "$(curl -s -o /dev/null -w '%{http_code}' "localhost:8080$location" -H "$key")"
  expect "$name: GET /api/v1/orders without a key" 401 "$(curl -s -o /dev/null -w '%{http_code}' localhost:8080/api/v1/orders)"
  expect "$name: GET /readyz" 200 "$(curl -s -o /dev/null -w '%{http_code}' localhost:8080/readyz)"
  expect "$name: GET /actuator/prometheus on 8081" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' localhost:8081/actuator/prometheus)"
  stop
}

expect() {
  if [ "$2" != "$3" ]; then
    echo "[quick-start] FAIL $1: $3, expected $2" >&2
    exit 1
  fi
  echo "  $1 -> $3"
}

run embedded-database
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  # The README's one variable, with the credentials in the URL.
  run postgresql "SPRING_DATASOURCE_URL=${TEST_DATABASE_URL}?user=${TEST_DATABASE_USERNAME}&password=${TEST_DATABASE_PASSWORD}"
else
  echo "[quick-start] PostgreSQL run skipped: TEST_DATABASE_URL is not set (.ci/postgres.sh prints it)"
fi
echo "[quick-start] PASSED"
