#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback for the real-server tests.
#
#   services.sh start   initdb + pg_ctl from $PG_BIN (as user postgres when run as root),
#                       redis-server with requirepass on a plain port and a TLS port (own CA);
#                       writes connection facts to $SERVICES_ENV
#   services.sh stop    stops both servers named in $SERVICES_ENV and removes their data
#
# The tests call it (test/data/realServers.test.ts) with PG_BIN from test/support/postgres.ts, the one
# place that knows where distributions put PostgreSQL. Nothing is installed here (scripts/test.sh
# does that): a missing binary is an error, so the tests fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")"
ENV_FILE="${SERVICES_ENV:?set SERVICES_ENV to the file that records the servers}"

die() { echo "services.sh: $*" >&2; exit 1; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'
}

# Runs a PostgreSQL binary as `postgres` when we are root (initdb and postgres refuse root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [ -e "$ENV_FILE" ] && die "$ENV_FILE exists: servers may be running (run stop first)"
  local pg_bin="${PG_BIN:?set PG_BIN to the directory of initdb and pg_ctl}"
  [ -x "$pg_bin/initdb" ] && [ -x "$pg_bin/pg_ctl" ] || die "no initdb and pg_ctl in $pg_bin"
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (Debian's postgresql package creates it)"
  fi

  local dir pg_port redis_port redis_tls_port pg_password redis_password
  dir="$(mktemp -d /tmp/llm-services.XXXXXX)"
  pg_port="$(free_port)"
  redis_port="$(free_port)"
  redis_tls_port="$(free_port)"
  # Administrative passwords only: the tests create their own users with hostile passwords.
  pg_password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  redis_password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  # Write the facts first, so that `stop` can clean up after a start that failed half way.
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE" <<EOF
SERVICES_DIR=$dir
PG_BIN=$pg_bin
PGHOST=127.0.0.1
PGPORT=$pg_port
PGUSER=postgres
PGPASSWORD=$pg_password
PGSOCKETDIR=$dir
REDIS_HOST=127.0.0.1
REDIS_PORT=$redis_port
REDIS_PASSWORD=$redis_password
REDIS_TLS_PORT=$redis_tls_port
REDIS_TLS_CA=$dir/tls/ca.crt
EOF

  # A CA and a server certificate for Redis's TLS port (Memorystore's SERVER_AUTHENTICATION: the
  # client checks the server against a CA it is given; no client certificate) and PostgreSQL's TLS
  # (Cloud SQL's ENCRYPTED_ONLY: a client that asks for sslmode=require gets an encrypted session).
  mkdir -p "$dir/tls" "$dir/redis"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=services test CA" \
    -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/tls/server.key" -out "$dir/tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/tls/san.ext"
  openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.crt" -CAkey "$dir/tls/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/tls/san.ext" -out "$dir/tls/server.crt" >/dev/null 2>&1
  chmod 600 "$dir/tls/server.key"

  # PostgreSQL: SCRAM on every connection (TCP and socket), listening on loopback only.
  printf '%s\n' "$pg_password" >"$dir/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
  as_pg "$pg_bin/initdb" -D "$dir/pg" -U postgres --auth=scram-sha-256 --pwfile="$dir/pwfile" \
    --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir/pwfile"
  as_pg "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key" start >/dev/null ||
    { cat "$dir/pg.log" >&2; die "PostgreSQL did not start"; }

  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$dir/redis" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --requirepass "$redis_password" \
    --tls-port "$redis_tls_port" --tls-cert-file "$dir/tls/server.crt" \
    --tls-key-file "$dir/tls/server.key" --tls-ca-cert-file "$dir/tls/ca.crt" --tls-auth-clients no ||
    die "redis-server did not start"
  for _ in $(seq 1 50); do
    if REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
      echo "services started: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port (TLS $redis_tls_port); facts in $ENV_FILE"
      return 0
    fi
    sleep 0.1
  done
  cat "$dir/redis.log" >&2
  die "Redis did not answer"
}

stop() {
  [ -f "$ENV_FILE" ] || { echo "services.sh: no $ENV_FILE, nothing to stop"; return 0; }
  local dir pg_bin
  dir="$(sed -n 's/^SERVICES_DIR=//p' "$ENV_FILE")"
  pg_bin="$(sed -n 's/^PG_BIN=//p' "$ENV_FILE")"
  case "$dir" in /tmp/llm-services.*) ;; *) die "refusing to clean up unexpected directory '$dir'" ;; esac
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$dir/pg" -w -t 30 -m fast stop >/dev/null || echo "services.sh: pg_ctl stop failed" >&2
  fi
  if [ -f "$dir/redis.pid" ]; then
    local pid
    pid="$(cat "$dir/redis.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
  rm -f "$ENV_FILE"
  echo "services stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
