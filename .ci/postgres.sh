#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian package) on 127.0.0.1:5432 and creates the test role and database.
# Prints the TEST_DATABASE_* variables to eval. Idempotent.
set -euo pipefail

# Callers eval stdout, so only the last line may go there: pg_ctlcluster, for one, prints "Removed stale pid file." to
# stdout after an unclean stop (CI once tried to run that as a command). No extra descriptor either: the server would
# inherit it and hold the caller's $(...) open.
start() {
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -n | tail -1)
  # Retried: right after an unclean stop the old server's processes can still hold the data directory for a moment.
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start || true
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432 >&2

  psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
  [ "$(psql_admin "select 1 from pg_roles where rolname = 'ci'")" = 1 ] || psql_admin "create role ci login password 'ci'"
  [ "$(psql_admin "select 1 from pg_database where datname = 'ci'")" = 1 ] || psql_admin "create database ci owner ci"
}
start >&2

echo "export TEST_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/ci TEST_DATABASE_USERNAME=ci TEST_DATABASE_PASSWORD=ci"
