#!/usr/bin/env bash
# Entrypoint of the STAND-IN postgres image (local/standin-postgres), written for
# this project. It follows the documented interface of the official postgres
# image, not its code:
#   - POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless
#     POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default $POSTGRES_USER),
#     POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#     and the *_FILE variants of the first four;
#   - an empty $PGDATA is initialised on first start, scripts in
#     /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz) run once;
#   - initialisation uses a temporary server reachable only on the Unix
#     socket, stopped afterwards, then the real server is exec'd: the line
#     "database system is ready to accept connections" is logged twice on a
#     first start, once on later starts (Testcontainers waits for two);
#   - listens on all interfaces, password authentication for TCP clients;
#   - runs as the postgres user, logs to stdout/stderr;
#   - "docker run IMAGE -c x=y" means "postgres -c x=y"; any other command runs as is.
set -Eeo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

# VAR or VAR_FILE (contents of a file, e.g. a Docker secret), not both.
file_env() {
  local var=$1 default=${2:-} file_var="${1}_FILE" value
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    die "both $var and $file_var are set; use one"
  fi
  value=$default
  if [ -n "${!var:-}" ]; then
    value=${!var}
  elif [ -n "${!file_var:-}" ]; then
    value=$(<"${!file_var}")
  fi
  export "$var"="$value"
  unset "$file_var"
}

run_initdb_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case $f in
      *.sh)
        if [ -x "$f" ]; then
          log "running $f"
          "$f"
        else
          log "sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) log "running $f"; "${PSQL[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | "${PSQL[@]}" --dbname "$POSTGRES_DB" ;;
      *) log "ignoring $f" ;;
    esac
  done
}

init_cluster() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    die "database is uninitialized and POSTGRES_PASSWORD is not set.
  Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value for the superuser,
  or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without a password (not recommended)."
  fi

  log "initialising database cluster in $PGDATA (STAND-IN image: PostgreSQL $PG_MAJOR)"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words on purpose
  if [ -n "$POSTGRES_PASSWORD" ]; then
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  else
    initdb --username="$POSTGRES_USER" $POSTGRES_INITDB_ARGS
  fi

  printf "\n# Added by the stand-in entrypoint\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf '\n# Added by the stand-in entrypoint\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # Temporary server: Unix socket only, with the same -c options as the real one.
  local opts
  opts=$(printf '%q ' "$@" -c "listen_addresses=" -p "${PGPORT:-5432}")
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -o "$opts" -w start

  export PGPASSWORD=${PGPASSWORD:-$POSTGRES_PASSWORD}
  PSQL=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    log "creating database $POSTGRES_DB"
    "${PSQL[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  run_initdb_scripts

  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  log "PostgreSQL init process complete; ready for start up."
}

if [ "${1:0:1}" = - ]; then
  set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  init_cluster "${@:2}"
else
  log "$PGDATA already initialised; skipping initialisation"
fi

exec "$@"
