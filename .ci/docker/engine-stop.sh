#!/usr/bin/env bash
# Stop the dockerd that .ci/docker/engine.sh started (by the PID it recorded).
# Does nothing if engine.sh did not start the running engine. Never kills by name.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/docker-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/docker-lib.sh"

pid_file=$CI_WORK_DIR/dockerd.pid
timeout_s=${DOCKERD_STOP_TIMEOUT:-30}

if [ ! -s "$pid_file" ]; then
  ci_log "no $pid_file: engine.sh did not start an engine here; nothing to stop"
  exit 0
fi
pid=$(cat "$pid_file")
case $pid in '' | *[!0-9]*) ci_die "$pid_file does not hold a PID: '$pid'" ;; esac

# Guard against a stale file whose PID now belongs to another process.
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
  ci_log "PID $pid from $pid_file is not a running dockerd; removing stale file"
  rm -f "$pid_file"
  exit 0
fi

ci_log "stopping dockerd PID $pid (SIGTERM; running containers are stopped by the engine)"
kill -TERM "$pid"
deadline=$((SECONDS + timeout_s))
while kill -0 "$pid" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    ci_log "dockerd PID $pid still alive after ${timeout_s}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    break
  fi
  sleep 0.5
done
rm -f "$pid_file"
ci_log "dockerd stopped"
