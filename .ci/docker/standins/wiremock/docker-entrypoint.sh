#!/bin/sh
# Entrypoint of the STAND-IN wiremock image (local/standin-wiremock), written for
# this project after the official image's documented behaviour:
#   - no arguments, or arguments starting with "-": run WireMock standalone
#     from /home/wiremock (mappings/, __files/) on port 8080 with those
#     arguments, extensions from /var/wiremock/extensions on the class path;
#     JAVA_OPTS is passed to the JVM;
#   - any other command runs as is.
set -e
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  port_given=false
  for a in "$@"; do
    case $a in --port | --port=*) port_given=true ;; esac
  done
  if [ "$port_given" = false ]; then
    set -- --port 8080 "$@"
  fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of words on purpose
  set -- java $JAVA_OPTS -cp '/var/wiremock/lib/*:/var/wiremock/extensions/*' wiremock.Run "$@"
fi
exec "$@"
