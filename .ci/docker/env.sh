# shellcheck shell=sh
# Source this file (do not execute it) to point the project at the local
# STAND-IN images built by .ci/docker/standins.sh, for offline CI:
#
#   . .ci/docker/env.sh
#
# Nothing in the project uses the stand-ins by default: the official images
# stay the defaults for users, and substitution happens only when this file is
# sourced. See .ci/docker/README.md for what differs from the official images.

# Plain POSIX sh, so it can be sourced from sh, bash or zsh.
# shellcheck disable=SC3028 # BASH_SOURCE is only used when bash sets it
if [ -n "${BASH_SOURCE:-}" ] && [ "${BASH_SOURCE:-}" = "$0" ]; then
  echo "usage: . $0   (source it; executing it changes nothing)" >&2
  exit 1
fi

# --- Image overrides: the contract the project's Compose files, scripts and
# --- tests read. Official defaults in comments.
export POSTGRES_IMAGE=local/standin-postgres:15       # postgres:17 (stand-in runs PostgreSQL 15)
export JDK_IMAGE=local/standin-temurin:25-jdk         # eclipse-temurin:25-jdk
export JRE_IMAGE=local/standin-temurin:25-jre         # eclipse-temurin:25-jre (stand-in holds a full JDK)
export HAPROXY_IMAGE=local/standin-haproxy:2.6        # haproxy:3.2 (stand-in runs HAProxy 2.6)
export PROMETHEUS_IMAGE=local/standin-prometheus:2.42 # prom/prometheus:v3.5.0 (stand-in runs Prometheus 2.42)
export WIREMOCK_IMAGE=local/standin-wiremock:3        # wiremock/wiremock:3.13.1
# GRAFANA_IMAGE (grafana/grafana:12.1.0) is deliberately left alone: Grafana is
# not a Debian package, so there is no offline stand-in. Anything that needs
# Grafana must be skipped in offline CI (check STANDIN_MISSING below), never
# silently replaced.

# Markers for scripts: stand-ins are in use, and which overrides have none.
export STANDIN_IMAGES=1
export STANDIN_MISSING=GRAFANA_IMAGE

# --- Testcontainers (2.0.5): never reach for a registry.
# Each setting is read from the environment as TESTCONTAINERS_<PROPERTY>, so
# no ~/.testcontainers.properties is written.
# Ryuk (the reaper) would need the testcontainers/ryuk image: off. Tests must
# stop their containers themselves (JUnit @Container / try-with-resources).
export TESTCONTAINERS_RYUK_DISABLED=true
# Image for Testcontainers' own helper containers (default alpine:3.x).
export TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE=local/debian:bookworm
# Start-up checks run a helper container (and would pull it): off.
export TESTCONTAINERS_CHECKS_DISABLE=true
# Pull policy: Testcontainers has no built-in "never pull" policy;
# TESTCONTAINERS_PULL_POLICY only takes the class name of an ImagePullPolicy
# on the test class path. The default policy pulls only images that are not
# present locally, so with the stand-ins built nothing is pulled. If an image
# is missing, give up pulling after 10 s per attempt instead of 120 s (the
# default): a test then fails in about 25 s instead of minutes.
export TESTCONTAINERS_PULL_TIMEOUT=10
