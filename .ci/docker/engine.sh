#!/usr/bin/env bash
# Make a Docker engine available, idempotently.
#
# - If `docker info` already works (any engine: Docker Desktop, a system service,
#   or one this script started earlier), do nothing.
# - Otherwise install docker.io, docker-compose and debootstrap if missing
#   (apt-get update at most once), start dockerd in the background with its log
#   in $CI_WORK_DIR/dockerd.log and its PID in $CI_WORK_DIR/dockerd.pid, and wait
#   until `docker info` succeeds.
#
# Env: DOCKERD_START_TIMEOUT (seconds, default 60), CI_WORK_DIR (default .ci/work).
# Stop with .ci/docker/engine-stop.sh (stops only an engine this script started).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/docker-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/docker-lib.sh"

timeout_s=${DOCKERD_START_TIMEOUT:-60}
log_file=$CI_WORK_DIR/dockerd.log
pid_file=$CI_WORK_DIR/dockerd.pid
mkdir -p "$CI_WORK_DIR"

# The engine is machine-wide: serialise concurrent callers (other worktrees, parallel jobs).
exec 9>/run/lock/ci-docker-engine.lock
flock -w 300 9 || ci_die "timed out waiting for another engine.sh to finish (/run/lock/ci-docker-engine.lock)"

if ci_docker_ok; then
  ci_log "docker engine already running: $(docker info --format '{{.ServerVersion}} ({{.Driver}})' 2>/dev/null)"
  exit 0
fi

started=$(ci_now)
ci_apt_install docker.io docker-compose debootstrap

# An engine not reachable by `docker info` but still alive would fight over /var/run/docker.sock.
if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  ci_die "a dockerd (PID $(cat /var/run/docker.pid)) is running but 'docker info' fails; inspect it, do not start a second one"
fi

ci_log "starting dockerd (log: $log_file)"
# setsid: its own session, so the engine outlives the shell or CI step that started it.
# 9>&-: the engine must not inherit (and so hold forever) the lock.
setsid dockerd </dev/null >>"$log_file" 2>&1 9>&- &
pid=$!
echo "$pid" >"$pid_file"

deadline=$((SECONDS + timeout_s))
until ci_docker_ok; do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pid_file"
    ci_die "dockerd exited during startup; last lines of $log_file:
$(tail -n 30 "$log_file")"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    ci_die "dockerd (PID $pid) not ready after ${timeout_s}s; it is still running; last lines of $log_file:
$(tail -n 30 "$log_file")"
  fi
  sleep 0.5
done
# dockerd writes its own PID to /var/run/docker.pid; trust it if it differs.
if [ -s /var/run/docker.pid ] && [ "$(cat /var/run/docker.pid)" != "$pid" ]; then
  pid=$(cat /var/run/docker.pid)
  echo "$pid" >"$pid_file"
fi
ci_log "docker engine ready in $(ci_elapsed "$started")s: $(docker info --format '{{.ServerVersion}} ({{.Driver}}, cgroup v{{.CgroupVersion}})') PID $pid"
