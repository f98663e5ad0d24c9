# shellcheck shell=bash
# Helpers shared by the .ci/docker scripts. Source it; do not execute it.
#
#   CI_ROOT      repository root (derived from this file's location)
#   CI_WORK_DIR  scratch directory, git-ignored (default: $CI_ROOT/.ci/work)

CI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CI_WORK_DIR=${CI_WORK_DIR:-$CI_ROOT/.ci/work}
export CI_ROOT CI_WORK_DIR

ci_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
ci_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with millisecond precision, for timings.
ci_now() { date +%s.%3N; }
ci_elapsed() { awk -v a="$1" -v b="$(ci_now)" 'BEGIN { printf "%.1f", b - a }'; }

ci_docker_ok() { docker info >/dev/null 2>&1; }

# Run Docker Compose whichever flavour is installed: v2 plugin ("docker compose")
# on developer machines, v1 ("docker-compose") on the offline CI machines.
ci_compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose "$@"
  else
    ci_die "neither 'docker compose' (v2) nor 'docker-compose' (v1) is installed"
  fi
}

# Install the given Debian packages if any is missing; runs apt-get update at most
# once per shell.
ci_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || ci_die "need root to install: ${missing[*]}"
  if [ -z "${CI_APT_UPDATED:-}" ]; then
    ci_log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=120 update -qq
    CI_APT_UPDATED=1
  fi
  ci_log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y -qq "${missing[@]}" >/dev/null
}
