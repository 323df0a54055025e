#!/usr/bin/env bash
# Starts PostgreSQL and Redis from Debian packages on free loopback ports in a temp directory, for the tests.
# Usage: source scripts/test-servers.sh start   (exports WHISPERENGINE_TEST_POSTGRES, WHISPERENGINE_TEST_REDIS)
#        scripts/test-servers.sh stop <dir>
# Installs the packages with apt-get when they are missing. A server that cannot start fails the caller.

we_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

we_servers_install() {
  local missing=()
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if ((${#missing[@]})); then
    echo "installing ${missing[*]} (apt-get)"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

we_servers_start() {
  we_servers_install || { echo "could not install PostgreSQL/Redis"; return 1; }
  local pgbin dir pgport redisport runas=()
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  dir="$(mktemp -d /tmp/we-servers.XXXXXX)"
  chmod 755 "$dir"
  mkdir -p "$dir/pg" "$dir/redis"
  if [[ $(id -u) -eq 0 ]]; then
    # PostgreSQL refuses to run as root; the postgresql package creates the postgres user.
    chown postgres:postgres "$dir/pg"
    runas=(runuser -u postgres --)
  fi
  pgport="$(we_free_port)"
  redisport="$(we_free_port)"
  "${runas[@]}" "$pgbin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; return 1; }
  "${runas[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" -w -t 60 start \
    -o "-p $pgport -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off" >/dev/null \
    || { cat "$dir/pg/postgres.log"; return 1; }
  redis-server --port "$redisport" --bind 127.0.0.1 --dir "$dir/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" \
    || { echo "redis-server failed to start"; return 1; }
  for _ in $(seq 1 50); do
    redis-cli -p "$redisport" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redisport" ping >/dev/null || { cat "$dir/redis/redis.log"; return 1; }
  export WHISPERENGINE_TEST_SERVERS_DIR="$dir"
  export WHISPERENGINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
  export WHISPERENGINE_TEST_POSTGRES_BIN="$pgbin"
  export WHISPERENGINE_TEST_POSTGRES_DATA="$dir/pg/data"
  export WHISPERENGINE_TEST_REDIS="127.0.0.1:$redisport"
  export -p | grep -E "WHISPERENGINE_TEST_" >"$dir/env"
  echo "PostgreSQL on 127.0.0.1:$pgport, Redis on 127.0.0.1:$redisport (data in $dir; \`source $dir/env\` in another shell)"
}

we_servers_stop() {
  local dir="${1:-${WHISPERENGINE_TEST_SERVERS_DIR:-}}"
  [[ -n "$dir" && -d "$dir" ]] || return 0
  local runas=()
  [[ $(id -u) -eq 0 ]] && runas=(runuser -u postgres --)
  if [[ -f "$dir/pg/data/postmaster.pid" ]]; then
    "${runas[@]}" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ -f "$dir/redis/redis.pid" ]]; then
    kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) we_servers_start ;;
  stop) we_servers_stop "${2:-}" ;;
esac
