#!/usr/bin/env bash
# Blue-green releases of the compose stack (docker-compose.yml): two slots of the service, app-blue and app-green,
# behind one router (HAProxy). Documented in docs/compose.md.
#
#   scripts/bluegreen.sh up              start the stack with the active slot (the idle one stays stopped), smoke-test it
#   scripts/bluegreen.sh status          slots, images, health, what the router serves
#   scripts/bluegreen.sh deploy IMAGE    run IMAGE in the idle slot, check it, switch to it, drain and stop the old slot
#   scripts/bluegreen.sh switch          the same with the image the idle slot already has
#   scripts/bluegreen.sh rollback        the same back to the previous slot and its image
#
# A promotion: start the target slot -> wait until healthy and /readyz answers -> smoke tests against the slot
# directly (its own published port, not the router) -> any failure: refuse, stop the target, the router is untouched
# -> write the router's active-slot file, `haproxy -c` inside the router container, reload (SIGHUP) -> check the router
# answers from the target -> watch window: the target turning unhealthy switches the router back by itself -> drain:
# old router workers finish, the old slot keeps serving what is still in flight -> stop the old slot (SIGTERM,
# graceful shutdown).
#
# Works with `docker compose` (v2) and `docker-compose` (v1), whichever is installed (BLUEGREEN_COMPOSE overrides).
# Compose's usual variables apply (COMPOSE_PROJECT_NAME, the *_PORT and *_IMAGE variables of docker-compose.yml).
# State: .bluegreen/state (git-ignored): active slot, previous slot, the image pinned to each slot.
# Portable to bash 3.2 (macOS); needs docker and curl.
#
# Settings (environment):
#   APP_IMAGE                    image of both slots when no state exists yet (default service-template:0.1.0)
#   BLUEGREEN_API_KEY            X-API-Key for the smoke tests (default compose-dev-key, compose's development key)
#   BLUEGREEN_READY_TIMEOUT      seconds for the target slot to become healthy (default 180)
#   BLUEGREEN_WATCH_SECONDS      watch window after the switch (default 30)
#   BLUEGREEN_WATCH_FAILURES     consecutive failed checks in the window that switch back (default 2)
#   BLUEGREEN_DRAIN_SECONDS      least time between the switch and stopping the old slot (default 10)
#   BLUEGREEN_DRAIN_TIMEOUT      most time to wait for old router workers to finish (default 60)
#   BLUEGREEN_STOP_TIMEOUT       seconds `stop` gives the old slot before SIGKILL (default 40, as stop_grace_period)
#   BLUEGREEN_SMOKE_HOOK         optional executable run after the built-in smoke tests, with BASE_URL and
#                                MANAGEMENT_URL of the target slot in its environment; non-zero exit = refuse
#   BLUEGREEN_EXCLUDE            services `up` does not start (space-separated, e.g. "grafana")
#   BLUEGREEN_STATE_DIR          state directory (default .bluegreen; CI uses its own so that it never touches yours);
#                                its router/ subdirectory is what the router mounts (BLUEGREEN_ROUTER_DIR in compose)
#
# Exit codes: 0 done, 1 error, 2 usage, 3 refused (the target failed a check; the router was not touched),
# 4 switched back by the watch window.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR=${BLUEGREEN_STATE_DIR:-$ROOT/.bluegreen}
STATE_FILE=$STATE_DIR/state
LOCK_DIR=$STATE_DIR/lock
# Mounted into the router at /usr/local/etc/haproxy/active/ (docker-compose.yml); HAProxy loads its *.cfg files.
ROUTER_DIR=$STATE_DIR/router
ACTIVE_CFG=$ROUTER_DIR/active-slot.cfg
# Not *.cfg: HAProxy never loads a half-written candidate.
CANDIDATE_CFG=$ROUTER_DIR/.active-slot.cfg.candidate
ROUTER_CFG_DIR=/usr/local/etc/haproxy

DEFAULT_IMAGE=${APP_IMAGE:-service-template:0.1.0}
API_KEY=${BLUEGREEN_API_KEY:-compose-dev-key}
READY_TIMEOUT=${BLUEGREEN_READY_TIMEOUT:-180}
WATCH_SECONDS=${BLUEGREEN_WATCH_SECONDS:-30}
WATCH_FAILURES=${BLUEGREEN_WATCH_FAILURES:-2}
DRAIN_SECONDS=${BLUEGREEN_DRAIN_SECONDS:-10}
DRAIN_TIMEOUT=${BLUEGREEN_DRAIN_TIMEOUT:-60}
STOP_TIMEOUT=${BLUEGREEN_STOP_TIMEOUT:-40}
SMOKE_HOOK=${BLUEGREEN_SMOKE_HOOK:-}
EXCLUDE=${BLUEGREEN_EXCLUDE:-}

# State (loaded by load_state).
ACTIVE=
PREVIOUS=
BLUE_IMAGE=
GREEN_IMAGE=
CHANGED=

COMPOSE_CMD=
COMPOSE_V=
TMP_DIR=

log() { printf '[bluegreen %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'bluegreen: error: %s\n' "$*" >&2
  exit 1
}
usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# Milliseconds since the epoch; seconds precision where date has no %N (macOS).
now_ms() {
  local t
  t=$(date +%s%3N 2>/dev/null || true)
  case $t in
    '' | *[!0-9]*) t=$(($(date +%s) * 1000)) ;;
  esac
  printf '%s\n' "$t"
}
# Seconds with one decimal since a now_ms value.
since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

detect_compose() {
  if [ -n "${BLUEGREEN_COMPOSE:-}" ]; then
    COMPOSE_CMD=$BLUEGREEN_COMPOSE
  elif docker compose version >/dev/null 2>&1; then
    COMPOSE_CMD="docker compose"
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_CMD=docker-compose
  else
    die "neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed"
  fi
  case $COMPOSE_CMD in
    "docker compose"*) COMPOSE_V=2 ;;
    *) COMPOSE_V=1 ;;
  esac
}

# Compose with the images pinned to the slots, from the repository's docker-compose.yml.
compose() {
  # shellcheck disable=SC2086 # COMPOSE_CMD is "docker compose" or "docker-compose" on purpose
  APP_BLUE_IMAGE=$BLUE_IMAGE APP_GREEN_IMAGE=$GREEN_IMAGE BLUEGREEN_ROUTER_DIR=$ROUTER_DIR \
    $COMPOSE_CMD -f "$ROOT/docker-compose.yml" "$@"
}

other() { if [ "$1" = blue ]; then echo green; else echo blue; fi; }
image_of() { if [ "$1" = blue ]; then echo "$BLUE_IMAGE"; else echo "$GREEN_IMAGE"; fi; }
set_image() { if [ "$1" = blue ]; then BLUE_IMAGE=$2; else GREEN_IMAGE=$2; fi; }

# The container of a service, running or stopped (v2's `ps -q` lists running ones only, v1's all). Cached for the
# run in TMP_DIR (files, so command substitutions share it): each v1 call costs most of a second.
container_of() {
  local cache=$TMP_DIR/id-$1 id
  if [ -s "$cache" ]; then
    cat "$cache"
    return 0
  fi
  if [ "$COMPOSE_V" = 2 ]; then
    id=$(compose ps -a -q "$1" 2>/dev/null | head -n 1)
  else
    id=$(compose ps -q "$1" 2>/dev/null | head -n 1)
  fi
  [ -z "$id" ] || printf '%s\n' "$id" | tee "$cache"
}
forget_container() { rm -f "$TMP_DIR/id-$1"; }

# "status health image exitcode" of a container, or "absent".
container_state() {
  local id
  id=$(container_of "$1")
  if [ -z "$id" ]; then
    echo absent
    return 0
  fi
  docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.Config.Image}} {{.State.ExitCode}}' "$id" 2>/dev/null ||
    echo absent
}

# host:port where a service's container port is published, e.g. 127.0.0.1:8180 (cached like container_of).
published() {
  local cache=$TMP_DIR/port-$1-$2 addr
  if [ -s "$cache" ]; then
    cat "$cache"
    return 0
  fi
  addr=$(compose port "$1" "$2" 2>/dev/null | tail -n 1)
  [ -n "$addr" ] || return 1
  case $addr in 0.0.0.0:*) addr=127.0.0.1:${addr#0.0.0.0:} ;; esac
  printf '%s\n' "$addr" | tee "$cache"
}

load_state() {
  local key value
  ACTIVE='' PREVIOUS='' BLUE_IMAGE='' GREEN_IMAGE='' CHANGED=''
  if [ -f "$STATE_FILE" ]; then
    while IFS='=' read -r key value; do
      case $key in
        ACTIVE) ACTIVE=$value ;;
        PREVIOUS) PREVIOUS=$value ;;
        BLUE_IMAGE) BLUE_IMAGE=$value ;;
        GREEN_IMAGE) GREEN_IMAGE=$value ;;
        CHANGED) CHANGED=$value ;;
      esac
    done <"$STATE_FILE"
  fi
  if [ -z "$ACTIVE" ]; then
    # No state yet: the router's file if there is one, blue otherwise (compose/haproxy/haproxy.cfg's default).
    ACTIVE=blue
    if [ -f "$ACTIVE_CFG" ] && grep -q 'ACTIVE_SLOT green' "$ACTIVE_CFG"; then ACTIVE=green; fi
  fi
  case $ACTIVE in blue | green) ;; *) die "$STATE_FILE: ACTIVE must be blue or green, not '$ACTIVE'" ;; esac
  # Images not recorded yet: what the slot's container runs, else the variables compose would use.
  local blue_recorded=$BLUE_IMAGE green_recorded=$GREEN_IMAGE
  BLUE_IMAGE=${BLUE_IMAGE:-${APP_BLUE_IMAGE:-$DEFAULT_IMAGE}}
  GREEN_IMAGE=${GREEN_IMAGE:-${APP_GREEN_IMAGE:-$DEFAULT_IMAGE}}
  [ -n "$blue_recorded" ] || BLUE_IMAGE=$(running_image blue "$BLUE_IMAGE")
  [ -n "$green_recorded" ] || GREEN_IMAGE=$(running_image green "$GREEN_IMAGE")
}

# The image of a slot's container, or the given default when it has none.
running_image() {
  local state
  state=$(container_state "app-$1")
  if [ "$state" = absent ]; then
    printf '%s\n' "$2"
  else
    echo "$state" | cut -d' ' -f3
  fi
}

save_state() {
  mkdir -p "$STATE_DIR"
  CHANGED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  printf 'ACTIVE=%s\nPREVIOUS=%s\nBLUE_IMAGE=%s\nGREEN_IMAGE=%s\nCHANGED=%s\n' \
    "$ACTIVE" "$PREVIOUS" "$BLUE_IMAGE" "$GREEN_IMAGE" "$CHANGED" >"$STATE_FILE.tmp"
  mv -f "$STATE_FILE.tmp" "$STATE_FILE"
}

lock() {
  mkdir -p "$STATE_DIR"
  if ! mkdir "$LOCK_DIR" 2>/dev/null; then
    local pid
    pid=$(cat "$LOCK_DIR/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      die "another bluegreen.sh (PID $pid) is running; wait for it"
    fi
    log "removing the stale lock of PID ${pid:-unknown}"
    rm -rf "$LOCK_DIR"
    mkdir "$LOCK_DIR" || die "cannot take $LOCK_DIR"
  fi
  echo $$ >"$LOCK_DIR/pid"
  TMP_DIR=$(mktemp -d)
  trap 'rm -rf "$LOCK_DIR" "$TMP_DIR"' EXIT
}

write_router_file() { printf '# Written by scripts/bluegreen.sh: the slot the router sends traffic to.\nglobal\n  setenv ACTIVE_SLOT %s\n' "$1" >"$2"; }

# GET url -> prints the status code; body in $TMP_DIR/body, headers in $TMP_DIR/headers.
http_get() {
  curl -sS -o "$TMP_DIR/body" -D "$TMP_DIR/headers" -w '%{http_code}' --max-time 5 "$@" 2>"$TMP_DIR/curl.err" || echo 000
}

# The slot answering through the router (its X-Served-By header), or "-".
served_by() {
  local addr code
  addr=$(published router 8080) || {
    echo -
    return 0
  }
  code=$(http_get "http://$addr/readyz")
  if [ "$code" = 200 ]; then
    tr -d '\r' <"$TMP_DIR/headers" | awk -F': ' 'tolower($1) == "x-served-by" { print $2; found = 1 } END { if (!found) print "-" }'
  else
    echo -
  fi
}

wait_healthy() {
  local slot=$1 deadline state status health addr code
  deadline=$(($(date +%s) + READY_TIMEOUT))
  while :; do
    state=$(container_state "app-$slot")
    status=$(echo "$state" | cut -d' ' -f1)
    health=$(echo "$state" | cut -d' ' -f2)
    case $status in
      exited | dead | absent | restarting)
        log "app-$slot is $status (exit code $(echo "$state" | cut -d' ' -f4))"
        return 1
        ;;
    esac
    if [ "$health" = unhealthy ]; then
      log "app-$slot is unhealthy"
      return 1
    fi
    if [ "$health" = healthy ] || [ "$health" = none ]; then
      # The published port is known once the container runs.
      if addr=$(published "app-$slot" 8080); then
        code=$(http_get "http://$addr/readyz")
        [ "$code" = 200 ] && return 0
      fi
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "app-$slot not ready after ${READY_TIMEOUT}s (status $status, health $health)"
      return 1
    fi
    sleep 1
  done
}

# One smoke check: name, expected status, then curl arguments.
check() {
  local name=$1 expect=$2 code
  shift 2
  code=$(http_get "$@")
  if [ "$code" = "$expect" ]; then
    log "  ok   $name ($code)"
    return 0
  fi
  log "  FAIL $name: expected $expect, got $code $(head -c 300 "$TMP_DIR/body" 2>/dev/null | tr '\n' ' ') $(cat "$TMP_DIR/curl.err" 2>/dev/null)"
  return 1
}

# Smoke tests against the slot itself (its published ports), never through the router.
smoke() {
  local slot=$1 base mgmt failed=0 location key
  base=http://$(published "app-$slot" 8080) || return 1
  mgmt=http://$(published "app-$slot" 8081) || return 1
  log "smoke tests against app-$slot directly ($base, $mgmt)"
  check "GET /readyz" 200 "$base/readyz" || failed=1
  check "GET /livez" 200 "$base/livez" || failed=1
  check "GET /actuator/health (management port)" 200 "$mgmt/actuator/health" || failed=1
  key="smoke-$slot-$(date +%s)-$$"
  if check "POST /api/v1/orders" 201 -X POST "$base/api/v1/orders" -H "X-API-Key: $API_KEY" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d '{"sku":"SMOKE-TEST","quantity":1}'; then
    location=$(tr -d '\r' <"$TMP_DIR/headers" | awk -F': ' 'tolower($1) == "location" { print $2 }')
    if [ -n "$location" ]; then
      check "GET $location" 200 "$base$location" -H "X-API-Key: $API_KEY" || failed=1
    else
      log "  FAIL POST /api/v1/orders: no Location header"
      failed=1
    fi
    check "POST /api/v1/orders again with the same Idempotency-Key" 201 -X POST "$base/api/v1/orders" \
      -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
      -d '{"sku":"SMOKE-TEST","quantity":1}' || failed=1
  else
    failed=1
  fi
  check "GET /api/v1/orders?size=1" 200 "$base/api/v1/orders?size=1" -H "X-API-Key: $API_KEY" || failed=1
  if check "GET /actuator/prometheus (management port)" 200 "$mgmt/actuator/prometheus"; then
    if ! grep -q '^jvm_memory_used_bytes' "$TMP_DIR/body"; then
      log "  FAIL metrics: no jvm_memory_used_bytes"
      failed=1
    fi
    # An image that tags its metrics with the slot must tag them with this one (APP_SLOT reached the application).
    if grep -q 'slot="' "$TMP_DIR/body" && ! grep -q "slot=\"$slot\"" "$TMP_DIR/body"; then
      log "  FAIL metrics: tagged with another slot than $slot"
      failed=1
    fi
  else
    failed=1
  fi
  if [ -n "$SMOKE_HOOK" ]; then
    if BASE_URL=$base MANAGEMENT_URL=$mgmt SLOT=$slot "$SMOKE_HOOK" >&2; then
      log "  ok   $SMOKE_HOOK"
    else
      log "  FAIL $SMOKE_HOOK"
      failed=1
    fi
  fi
  return "$failed"
}

router_id() {
  local id
  id=$(container_of router)
  if [ -z "$id" ] || [ "$(docker inspect -f '{{.State.Running}}' "$id" 2>/dev/null)" != true ]; then
    die "the router is not running: start the stack first (scripts/bluegreen.sh up)"
  fi
  printf '%s\n' "$id"
}

# Number of HAProxy processes in the router: 2 (master + worker) when no old worker is draining.
router_processes() { docker top "$1" 2>/dev/null | awk 'NR > 1 && /haproxy/ { n++ } END { print n + 0 }'; }

# Point the router at a slot: candidate file, config test in the router container, atomic rename, reload, verify.
switch_router() {
  local to=$1 id out deadline by
  id=$(router_id)
  mkdir -p "$ROUTER_DIR"
  write_router_file "$to" "$CANDIDATE_CFG"
  if ! out=$(docker exec "$id" haproxy -c -f "$ROUTER_CFG_DIR/active/$(basename "$CANDIDATE_CFG")" \
    -f "$ROUTER_CFG_DIR/haproxy.cfg" 2>&1); then
    rm -f "$CANDIDATE_CFG"
    log "router configuration test failed:"
    printf '%s\n' "$out" >&2
    return 1
  fi
  log "router configuration test passed (haproxy -c in the router container)"
  mv -f "$CANDIDATE_CFG" "$ACTIVE_CFG"
  docker kill -s HUP "$id" >/dev/null
  deadline=$(($(date +%s) + 15))
  while :; do
    by=$(served_by)
    [ "$by" = "$to" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "the router still answers from '$by' 15 s after the reload"
      return 1
    fi
    sleep 0.2
  done
  log "router reloaded: new connections go to $to"
}

# The target slot keeps passing its checks during the watch window; returns 1 when it fails too often in a row.
watch_slot() {
  local slot=$1 end failures=0 state health status addr code
  addr=$(published "app-$slot" 8080) || return 1
  end=$(($(date +%s) + WATCH_SECONDS))
  log "watching app-$slot for ${WATCH_SECONDS}s (switches back after $WATCH_FAILURES failed checks in a row)"
  while [ "$(date +%s)" -lt "$end" ]; do
    state=$(container_state "app-$slot")
    status=$(echo "$state" | cut -d' ' -f1)
    health=$(echo "$state" | cut -d' ' -f2)
    code=$(http_get "http://$addr/readyz")
    if [ "$status" = running ] && [ "$health" != unhealthy ] && [ "$code" = 200 ]; then
      failures=0
    else
      failures=$((failures + 1))
      log "  app-$slot check failed ($failures/$WATCH_FAILURES): status $status, health $health, /readyz $code"
      [ "$failures" -ge "$WATCH_FAILURES" ] && return 1
    fi
    sleep 2
  done
  return 0
}

stop_slot() {
  local slot=$1 started id
  started=$(now_ms)
  compose stop -t "$STOP_TIMEOUT" "app-$slot" >/dev/null 2>&1 || true
  id=$(container_of "app-$slot")
  if [ -n "$id" ]; then
    log "app-$slot stopped in $(since "$started")s: $(docker inspect -f 'exit code {{.State.ExitCode}}, OOM-killed {{.State.OOMKilled}}' "$id")"
  fi
}

# Refuse a promotion: the router was never touched; stop the target so the broken release does not keep running.
refuse() {
  local slot=$1 reason=$2 id
  log "REFUSED: $reason; the router serves $ACTIVE"
  id=$(container_of "app-$slot")
  if [ -n "$id" ]; then
    log "last log lines of app-$slot:"
    docker logs --tail 15 "$id" 2>&1 | sed 's/^/    /' >&2 || true
  fi
  stop_slot "$slot"
  echo "refused: $reason (the router serves $ACTIVE)"
  exit 3
}

promote() {
  local to=$1 image=$2 verb=$3 from started t state phase_ready phase_smoke phase_switch phase_watch phase_drain
  local phase_stop deadline procs id waited switched
  from=$ACTIVE
  [ "$to" != "$from" ] || die "$to is already active"
  started=$(now_ms)
  router_id >/dev/null
  log "$verb: $from -> $to ($image)"

  # 1. Start the target: recreated unless it already runs the right image and is healthy (a quick rollback while the
  #    old slot has not been stopped yet).
  t=$(now_ms)
  state=$(container_state "app-$to")
  if [ "$(echo "$state" | cut -d' ' -f1-3)" = "running healthy $image" ]; then
    log "app-$to already runs $image and is healthy"
  else
    local saved
    saved=$(image_of "$to")
    set_image "$to" "$image"
    forget_container "app-$to"
    compose up -d --no-deps --force-recreate "app-$to" >&2 2>"$TMP_DIR/up.err" || {
      cat "$TMP_DIR/up.err" >&2
      set_image "$to" "$saved"
      refuse "$to" "compose could not start app-$to with $image"
    }
    set_image "$to" "$saved"
  fi
  log "waiting for app-$to to become healthy (at most ${READY_TIMEOUT}s)"
  wait_healthy "$to" || refuse "$to" "app-$to ($image) did not become ready"
  phase_ready=$(since "$t")
  log "app-$to is ready after ${phase_ready}s"

  # 2. Smoke tests against the target itself.
  t=$(now_ms)
  smoke "$to" || refuse "$to" "smoke tests failed against app-$to ($image)"
  phase_smoke=$(since "$t")

  # 3. Switch the router.
  t=$(now_ms)
  id=$(router_id)
  switch_router "$to" || {
    write_router_file "$from" "$ACTIVE_CFG"
    docker kill -s HUP "$id" >/dev/null 2>&1 || true
    refuse "$to" "the router could not be switched to $to (or $to failed the check right after); set back to $from"
  }
  phase_switch=$(since "$t")
  switched=$(now_ms)
  set_image "$to" "$image"
  PREVIOUS=$from
  ACTIVE=$to
  save_state

  # 4. Watch window; the old slot is still running, so switching back is instant. It doubles as drain time.
  t=$(now_ms)
  if ! watch_slot "$to"; then
    log "app-$to failed in the watch window: switching back to $from"
    if switch_router "$from"; then
      ACTIVE=$from
      PREVIOUS=$to
      save_state
      stop_slot "$to"
      echo "switched back to $from: app-$to failed within ${WATCH_SECONDS}s of the switch"
      exit 4
    fi
    die "app-$to is failing and the router could not be switched back to $from: check the router"
  fi
  phase_watch=$(since "$t")

  # 5. Drain: old router workers answer their clients' next request (from the old slot) with Connection: close and
  #    exit; give in-flight requests at least BLUEGREEN_DRAIN_SECONDS since the switch.
  t=$(now_ms)
  deadline=$(($(date +%s) + DRAIN_TIMEOUT))
  while :; do
    procs=$(router_processes "$id")
    [ "$procs" -le 2 ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "old router workers still running after ${DRAIN_TIMEOUT}s (hard-stop-after ends them)"
      break
    fi
    sleep 0.5
  done
  waited=$((($(now_ms) - switched) / 1000))
  if [ "$waited" -lt "$DRAIN_SECONDS" ]; then sleep $((DRAIN_SECONDS - waited)); fi
  phase_drain=$(since "$t")

  # 6. Stop the old slot (SIGTERM: readiness goes down, keep-alive connections are closed, in-flight requests finish).
  t=$(now_ms)
  stop_slot "$from"
  phase_stop=$(since "$t")

  echo "$verb done: $from -> $to ($image) in $(since "$started")s" \
    "(ready ${phase_ready}s, smoke ${phase_smoke}s, router ${phase_switch}s, watch ${phase_watch}s," \
    "drain ${phase_drain}s, stop ${phase_stop}s)"
}

cmd_up() {
  local services=() s skip idle
  idle=$(other "$ACTIVE")
  mkdir -p "$ROUTER_DIR"
  [ -f "$ACTIVE_CFG" ] || write_router_file "$ACTIVE" "$ACTIVE_CFG"
  save_state
  for s in $(compose config --services); do
    skip=0
    [ "$s" = "app-$idle" ] && skip=1
    case " $EXCLUDE " in *" $s "*) skip=1 ;; esac
    [ "$skip" = 1 ] || services+=("$s")
  done
  log "starting ${services[*]} (active slot $ACTIVE: $(image_of "$ACTIVE"))"
  compose up -d "${services[@]}" >&2
  wait_healthy "$ACTIVE" || die "app-$ACTIVE did not become ready"
  smoke "$ACTIVE" || die "smoke tests failed against app-$ACTIVE: the stack is up but not working"
  echo "up: $ACTIVE active ($(image_of "$ACTIVE")), router on http://$(published router 8080)"
}

cmd_status() {
  local slot state addr marker
  printf 'active:   %s%s\n' "$ACTIVE" "${PREVIOUS:+ (previous: $PREVIOUS)}${CHANGED:+, since $CHANGED}"
  for slot in blue green; do
    state=$(container_state "app-$slot")
    marker=' '
    [ "$slot" = "$ACTIVE" ] && marker='*'
    addr=$(published "app-$slot" 8080 2>/dev/null || echo '-')
    if [ "$state" = absent ]; then
      printf '%s %-6s %-40s %s\n' "$marker" "$slot" "$(image_of "$slot")" "no container"
    else
      case $state in
        running*) printf '%s %-6s %-40s running (%s) http://%s\n' "$marker" "$slot" "$(image_of "$slot")" \
          "$(echo "$state" | cut -d' ' -f2)" "$addr" ;;
        *) printf '%s %-6s %-40s %s (exit code %s)\n' "$marker" "$slot" "$(image_of "$slot")" \
          "$(echo "$state" | cut -d' ' -f1)" "$(echo "$state" | cut -d' ' -f4)" ;;
      esac
    fi
  done
  printf 'router:   file says %s, answers from %s\n' \
    "$(sed -n 's/.*setenv ACTIVE_SLOT //p' "$ACTIVE_CFG" 2>/dev/null || echo '? (no file: blue)')" "$(served_by)"
}

main() {
  [ $# -ge 1 ] || usage
  local cmd=$1
  shift
  case $cmd in -h | --help | help) usage ;; esac
  command -v docker >/dev/null || die "docker is not installed"
  command -v curl >/dev/null || die "curl is not installed"
  detect_compose
  case $cmd in
    status)
      [ $# -eq 0 ] || usage
      TMP_DIR=$(mktemp -d)
      trap 'rm -rf "$TMP_DIR"' EXIT
      load_state
      cmd_status
      ;;
    up)
      [ $# -eq 0 ] || usage
      lock
      load_state
      cmd_up
      ;;
    deploy)
      [ $# -eq 1 ] || usage
      lock
      load_state
      docker image inspect "$1" >/dev/null 2>&1 || die "image $1 not found (build or pull it first)"
      promote "$(other "$ACTIVE")" "$1" deploy
      ;;
    switch)
      [ $# -eq 0 ] || usage
      lock
      load_state
      promote "$(other "$ACTIVE")" "$(image_of "$(other "$ACTIVE")")" switch
      ;;
    rollback)
      [ $# -eq 0 ] || usage
      lock
      load_state
      [ -n "$PREVIOUS" ] || die "nothing to roll back to: no switch recorded in $STATE_FILE"
      promote "$PREVIOUS" "$(image_of "$PREVIOUS")" rollback
      ;;
    *) usage ;;
  esac
}

main "$@"
