#!/bin/sh
# Entrypoint of the STAND-IN haproxy image (local/standin-haproxy), written for
# this project after the official image's documented behaviour:
#   - "docker run IMAGE -f x.cfg" means "haproxy -f x.cfg";
#   - haproxy runs in master-worker mode in the foreground (-W -db), so
#     `docker kill -s HUP CONTAINER` reloads the configuration (new workers,
#     old ones finish their connections) and SIGUSR1 stops softly;
#   - any other command runs as is (e.g. `haproxy -c -f ...` via docker exec).
set -e
case $1 in
  -*) set -- haproxy "$@" ;;
esac
if [ "$1" = haproxy ]; then
  shift
  set -- haproxy -W -db "$@"
fi
exec "$@"
