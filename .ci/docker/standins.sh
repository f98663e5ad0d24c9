#!/usr/bin/env bash
# Build local, clearly labelled STAND-IN images for the official images this
# project references, from Debian packages only, so Docker works with no image
# registry (offline CI). See .ci/docker/README.md for the mapping and the
# differences from the official images.
#
# Usage: .ci/docker/standins.sh [NAME...]     (default: all, in dependency order)
#   NAME: debian postgres temurin-jdk temurin-jre haproxy prometheus wiremock
# Env:
#   FORCE=1            rebuild images that already exist (default: keep them)
#   DEBIAN_MIRROR=URL  mirror for debootstrap (default: the bookworm mirror apt
#                      on this host is configured with)
#   HOST_JDK=DIR       JDK copied into the temurin stand-ins
#                      (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   WIREMOCK_VERSION   org.wiremock:wiremock-standalone version (default 3.13.1)
# Needs a running engine (.ci/docker/engine.sh) and root (debootstrap).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/docker-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/docker-lib.sh"

FORCE=${FORCE:-0}
HOST_JDK=${HOST_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
WIREMOCK_VERSION=${WIREMOCK_VERSION:-3.13.1}
DEFS=$CI_ROOT/.ci/docker/standins
BUILD_DIR=$CI_WORK_DIR/standins
# The legacy builder: the offline machines have no buildx. It is all these
# simple Dockerfiles need.
export DOCKER_BUILDKIT=0

declare -A IMAGE=(
  [debian]=local/debian:bookworm
  [postgres]=local/standin-postgres:15
  [temurin-jdk]=local/standin-temurin:25-jdk
  [temurin-jre]=local/standin-temurin:25-jre
  [haproxy]=local/standin-haproxy:2.6
  [prometheus]=local/standin-prometheus:2.42
  [wiremock]=local/standin-wiremock:3
)
ORDER=(debian postgres temurin-jdk temurin-jre haproxy prometheus wiremock)
TIMINGS=()

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Prints "URI SUITE" for every enabled binary Debian source with component main
# that apt on this host uses, from both the deb822 (*.sources) and the
# one-line (*.list) formats.
host_apt_sources() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && enabled != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j]
        }
        types = uris = suites = comps = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
        if (key == "types") types = $0
        else if (key == "uris") uris = $0
        else if (key == "suites") suites = $0
        else if (key == "components") comps = $0
        else if (key == "enabled") enabled = tolower($0)
      }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENT...
    awk '$1 == "deb" {
        i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        uri = $i; suite = $(i + 1); comps = ""
        for (k = i + 2; k <= NF; k++) comps = comps " " $k
        if (comps ~ / main( |$)/) print uri, suite
      }' "$f"
  done
}

build_debian() {
  local sources mirror rootfs started
  sources=$(host_apt_sources | awk '$2 ~ /^bookworm(-updates|-security)?$/' | sort -u)
  mirror=${DEBIAN_MIRROR:-$(awk '$2 == "bookworm" { print $1; exit }' <<<"$sources")}
  [ -n "$mirror" ] || ci_die "no bookworm mirror found in /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"
  [ -n "$sources" ] || sources="$mirror bookworm"
  rootfs=$BUILD_DIR/rootfs-bookworm
  if [ -e "$rootfs" ]; then
    findmnt -rn -o TARGET | grep -q "^$rootfs/" && ci_die "something is still mounted under $rootfs"
    rm -rf "$rootfs"
  fi
  ci_log "debootstrap --variant=minbase bookworm from $mirror (log: $BUILD_DIR/debootstrap.log)"
  started=$(ci_now)
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$BUILD_DIR/debootstrap.log" 2>&1; then
    tail -n 30 "$BUILD_DIR/debootstrap.log" >&2
    ci_die "debootstrap failed"
  fi
  TIMINGS+=("debootstrap $(ci_elapsed "$started")s")

  # Same apt sources as the host (main, updates, security) so images get fixes.
  awk '{ print "deb", $1, $2, "main" }' <<<"$sources" >"$rootfs/etc/apt/sources.list"
  # Container conventions: never start services from package scripts, keep
  # images small.
  printf '#!/bin/sh\n# Container image: package scripts must not start services.\nexit 101\n' \
    >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  cat >"$rootfs/etc/apt/apt.conf.d/90standin" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log

  ci_log "docker import -> ${IMAGE[debian]}"
  started=$(ci_now)
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'LABEL org.opencontainers.image.description="STAND-IN for debian:bookworm-slim built from Debian packages (debootstrap minbase) for offline CI; not the official image" standin=true standin.for="debian:bookworm-slim"' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    - "${IMAGE[debian]}" >/dev/null
  TIMINGS+=("import $(ci_elapsed "$started")s")
  rm -rf "$rootfs"
}

# docker build NAME with the Dockerfile in $DEFS/DIR and the given context.
docker_build() {
  local name=$1 dir=$2 context=$3 log=$BUILD_DIR/build-$1.log
  shift 3
  ci_log "docker build ${IMAGE[$name]} (log: $log)"
  if ! docker build --pull=false --force-rm -f "$DEFS/$dir/Dockerfile" -t "${IMAGE[$name]}" "$@" "$context" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    ci_die "docker build of ${IMAGE[$name]} failed"
  fi
}

build_temurin_jdk() {
  [ -x "$HOST_JDK/bin/java" ] || ci_die "no JDK at $HOST_JDK (set HOST_JDK)"
  "$HOST_JDK/bin/java" -version 2>&1 | grep -q 'version "25' || ci_die "$HOST_JDK is not a JDK 25"
  local ctx=$BUILD_DIR/ctx-temurin
  rm -rf "$ctx" && mkdir -p "$ctx"
  # Hard links when possible (same file system), a copy otherwise.
  cp -al "$HOST_JDK" "$ctx/jdk" 2>/dev/null || cp -a "$HOST_JDK" "$ctx/jdk"
  # JAVA_VERSION as the official image spells it, e.g. jdk-25.0.3+9.
  docker_build temurin-jdk temurin-jdk "$ctx" \
    --build-arg "JAVA_VERSION=jdk-$(sed -n 's/^JAVA_RUNTIME_VERSION="\([^"-]*\).*/\1/p' "$HOST_JDK/release")"
  rm -rf "$ctx"
}

build_wiremock() {
  local ctx=$BUILD_DIR/ctx-wiremock jar
  rm -rf "$ctx" && mkdir -p "$ctx"
  jar=org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar
  # Through Maven, so settings.xml mirrors and proxies apply, and the local
  # repository caches it.
  if [ ! -f "$HOME/.m2/repository/$jar" ]; then
    ci_log "mvn dependency:get org.wiremock:wiremock-standalone:$WIREMOCK_VERSION"
    mvn -B -q dependency:get -Dtransitive=false \
      "-Dartifact=org.wiremock:wiremock-standalone:$WIREMOCK_VERSION" >"$BUILD_DIR/mvn-wiremock.log" 2>&1 ||
      { tail -n 20 "$BUILD_DIR/mvn-wiremock.log" >&2; ci_die "could not fetch wiremock-standalone $WIREMOCK_VERSION"; }
  fi
  cp "$HOME/.m2/repository/$jar" "$ctx/wiremock-standalone.jar"
  cp "$DEFS/wiremock/docker-entrypoint.sh" "$ctx/"
  docker_build wiremock wiremock "$ctx" --build-arg "WIREMOCK_VERSION=$WIREMOCK_VERSION"
  rm -rf "$ctx"
}

build_one() {
  local name=$1 started
  if [ "$FORCE" != 1 ] && image_exists "${IMAGE[$name]}"; then
    ci_log "${IMAGE[$name]} exists; skipping (FORCE=1 rebuilds)"
    return 0
  fi
  started=$(ci_now)
  case $name in
    debian) build_debian ;;
    temurin-jdk) build_temurin_jdk ;;
    wiremock) build_wiremock ;;
    *) docker_build "$name" "$name" "$DEFS/$name" ;;
  esac
  TIMINGS+=("${IMAGE[$name]} $(ci_elapsed "$started")s")
}

main() {
  local names=("$@") n
  [ ${#names[@]} -gt 0 ] || names=("${ORDER[@]}")
  for n in "${names[@]}"; do
    [ -n "${IMAGE[$n]:-}" ] || ci_die "unknown stand-in '$n' (known: ${ORDER[*]})"
  done
  ci_docker_ok || ci_die "no Docker engine; run .ci/docker/engine.sh first"
  [ "$(id -u)" -eq 0 ] || ci_die "run as root (debootstrap needs it)"
  if ! command -v debootstrap >/dev/null; then ci_apt_install debootstrap; fi
  mkdir -p "$BUILD_DIR"

  local started
  started=$(ci_now)
  # Dependencies first: everything is FROM debian; jre and wiremock are FROM temurin-jdk/jre.
  for n in "${ORDER[@]}"; do
    if [[ " ${names[*]} " == *" $n "* ]]; then
      build_one "$n"
    elif [[ " ${names[*]} " == *" wiremock "* && ($n == temurin-jdk || $n == temurin-jre) ]] ||
      [[ " ${names[*]} " == *" temurin-jre "* && $n == temurin-jdk ]] || [ "$n" = debian ]; then
      image_exists "${IMAGE[$n]}" || build_one "$n"
    fi
  done
  TIMINGS+=("total $(ci_elapsed "$started")s")

  # Rebuilt stand-ins leave their previous versions untagged: drop those
  # (only dangling images carrying the stand-in label; images in use stay).
  if [ "$FORCE" = 1 ]; then
    docker image prune -f --filter label=standin=true >/dev/null
  fi

  printf '%s\n' "${TIMINGS[@]}" | sed "s/^/$(date -u +%FT%TZ) /" | tee -a "$BUILD_DIR/timings.log" >&2
  docker image ls --filter label=standin=true \
    --format 'table {{.Repository}}:{{.Tag}}\t{{.Size}}\t{{.CreatedSince}}' >&2
}

main "$@"
