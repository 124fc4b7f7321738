#!/usr/bin/env bash
# Run a real redis-server on loopback for the Redis suite (`npm run test:redis`).
#
# Usage: test/redis/redis.sh install|up|down|status
#
#   install  Install Debian's redis-server if it is missing (root or sudo), and keep the package's
#            own service stopped: the tests run their own servers.
#   up       `install`, then start redis-server on 127.0.0.1:REDIS_TEST_PORT with no persistence
#            (--save '' --appendonly no), record its pid in the state folder and wait until it
#            answers PING. The last line of stdout is REDIS_URL=redis://127.0.0.1:<port>/0;
#            everything else goes to stderr. If this state folder's server already runs and
#            answers, only the URL is printed.
#   down     Stop the redis-server that `up` recorded in the state folder, by its pid, and nothing
#            else.
#   status   Say whether it runs, and its URL. Exit status 0 when it does, 3 when it does not.
#
# Environment:
#   REDIS_STATE_DIR   state folder (default <repo>/.state/redis): pid, URL and log. One folder per
#                     server: several servers run side by side in different folders.
#   REDIS_TEST_PORT   port on 127.0.0.1 (default 16379)
#
# Needs Debian or Ubuntu with apt (for the install), bash, setsid and flock.

set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"

STATE_DIR="${REDIS_STATE_DIR:-$REPO_DIR/.state/redis}"
PORT="${REDIS_TEST_PORT:-16379}"

log() { printf 'redis.sh: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

case "$STATE_DIR" in
  /*) ;;
  *) STATE_DIR="$PWD/$STATE_DIR" ;;
esac
STATE_DIR="${STATE_DIR%/}"
[[ -n "$STATE_DIR" ]] || die "REDIS_STATE_DIR must not be /"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "REDIS_TEST_PORT must be a port number"

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

installed() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null
}

cmd_install() {
  installed && return 0
  exec 8<"${BASH_SOURCE[0]}"
  flock 8
  if ! installed; then
    command -v apt-get >/dev/null || die "redis-server is not installed and there is no apt-get"
    log "installing redis-server"
    local started=$SECONDS
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
      -o DPkg::Lock::Timeout=300 redis-server)
    if ! as_root "${install[@]}" >&2; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update >&2
      as_root "${install[@]}" >&2 || die "could not install redis-server"
    fi
    # The package's own service is not needed (and not started where there is no systemd).
    as_root systemctl disable --now redis-server >/dev/null 2>&1 || true
    log "installed redis-server in $((SECONDS - started)) s"
  fi
  flock --unlock 8
  exec 8<&-
}

is_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ -n "$stat" && "${stat:0:1}" != Z ]]
}

# The pid recorded in the state folder, when it is alive and is a redis-server.
running_pid() {
  local pid
  pid="$(cat "$STATE_DIR/redis.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && is_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server" || return 1
  printf '%s\n' "$pid"
}

answers() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]
}

cmd_up() {
  cmd_install
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.up.lock"
  flock 9
  local pid port deadline
  if pid="$(running_pid)"; then
    port="$(cat "$STATE_DIR/redis.port")"
    answers "$port" || die "redis-server (pid $pid) runs but does not answer on port $port; run down first"
    printf 'REDIS_URL=redis://127.0.0.1:%s/0\n' "$port"
    return 0
  fi
  port="$PORT"
  answers "$port" && die "something already answers PING on 127.0.0.1:$port; set REDIS_TEST_PORT"
  setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$STATE_DIR" \
    --daemonize no --loglevel warning </dev/null >"$STATE_DIR/redis.log" 2>&1 8<&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$STATE_DIR/redis.pid"
  printf '%s\n' "$port" >"$STATE_DIR/redis.port"
  deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    is_alive "$pid" || {
      tail -n 30 "$STATE_DIR/redis.log" >&2
      die "redis-server exited during start"
    }
    if answers "$port"; then
      log "redis-server (pid $pid) on 127.0.0.1:$port"
      printf 'REDIS_URL=redis://127.0.0.1:%s/0\n' "$port"
      return 0
    fi
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STATE_DIR/redis.pid"
  die "redis-server did not answer within 10 s"
}

cmd_down() {
  local pid deadline
  pid="$(running_pid)" || {
    rm -f "$STATE_DIR/redis.pid"
    return 0
  }
  log "stopping redis-server (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.05; done
  is_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  rm -f "$STATE_DIR/redis.pid"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    printf 'running (pid %s) at REDIS_URL=redis://127.0.0.1:%s/0\n' "$pid" "$(<"$STATE_DIR/redis.port")"
    return 0
  fi
  printf 'not running\n'
  return 3
}

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
