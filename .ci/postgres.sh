#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian package) on 127.0.0.1:5432 and creates the test role and database.
# Prints the TEST_DATABASE_* variables to eval. Idempotent.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$version" main status >/dev/null 2>&1 || pg_ctlcluster "$version" main start
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >&2

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
[ "$(psql_admin "select 1 from pg_roles where rolname = 'ci'")" = 1 ] || psql_admin "create role ci login password 'ci'"
[ "$(psql_admin "select 1 from pg_database where datname = 'ci'")" = 1 ] || psql_admin "create database ci owner ci"

echo "export TEST_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/ci TEST_DATABASE_USERNAME=ci TEST_DATABASE_PASSWORD=ci"
