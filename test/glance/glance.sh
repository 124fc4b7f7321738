#!/usr/bin/env bash
# Run a real OpenStack Glance (Images API v2) on loopback for the integration tests.
#
# Usage: test/glance/glance.sh up|down|status|reset
#
#   up      Install Debian's python3-glance if it is missing, write the configuration into the
#           state folder, create or upgrade the SQLite database, start glance-api in the
#           background and wait until it answers. The last line of stdout is
#           GLANCE_URL=http://127.0.0.1:<port>; everything else goes to stderr, so
#           `glance.sh up >> "$GITHUB_ENV"` works. If this state folder's Glance already runs
#           and answers, only the URL is printed; if it runs with another policy, member quota
#           or port, `up` fails and asks for `down` first.
#   down    Stop the glance-api that `up` recorded in the state folder, and nothing else.
#   status  Say whether it runs, and its URL. Exit status 0 when it runs, 3 when it does not.
#   reset   `down`, then delete the state folder (database, images, logs, configuration).
#
# Environment:
#   GLANCE_STATE_DIR            state folder (default <repo>/.state/glance). One folder per
#                               instance: several instances run side by side in different folders.
#   GLANCE_PORT                 port on 127.0.0.1 (default: a free port chosen at start)
#   GLANCE_POLICY               legacy (default) or new. new = enforce_new_defaults and
#                               enforce_secure_rbac on; legacy = both off (Glance Zed's default).
#   GLANCE_IMAGE_MEMBER_QUOTA   image_member_quota (default 128, Glance's own default)
#   GLANCE_START_TIMEOUT        seconds to wait for the first answer (default 60)
#   GLANCE_STOP_TIMEOUT         seconds between TERM and KILL on `down` (default 10)
#   GLANCE_DEBUG                true to log at debug level (default false)
#   GLANCE_AUTH                 headers (default) or keystone. keystone = keystonemiddleware's
#                               authtoken in the pipeline, checking tokens against
#                               GLANCE_KEYSTONE_URL (a Keystone /v3 URL) as the service user
#                               GLANCE_SERVICE_USER (default glance) with GLANCE_SERVICE_PASSWORD
#                               (default glance-secret) on project GLANCE_SERVICE_PROJECT (default
#                               service), all in the default domain.
#
# With GLANCE_AUTH=headers there is no Keystone: the paste pipeline is Glance's keystone pipeline
# without `authtoken`, so the caller's identity comes from request headers (X-Identity-Status:
# Confirmed, X-Project-Id, X-User-Id, X-Roles), read by Glance's context middleware.
#
# Needs Debian or Ubuntu with apt (python3-glance 25.1 "Zed" is in Debian bookworm), root or
# sudo for the install, and bash, curl, setsid and flock.

set -euo pipefail

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
# Debian's interpreter, where python3-glance lives; a pyenv or venv python may come first on PATH.
readonly PYTHON=/usr/bin/python3

STATE_DIR="${GLANCE_STATE_DIR:-$REPO_DIR/.state/glance}"
POLICY="${GLANCE_POLICY:-legacy}"
MEMBER_QUOTA="${GLANCE_IMAGE_MEMBER_QUOTA:-128}"
START_TIMEOUT="${GLANCE_START_TIMEOUT:-60}"
STOP_TIMEOUT="${GLANCE_STOP_TIMEOUT:-10}"
DEBUG="${GLANCE_DEBUG:-false}"
AUTH="${GLANCE_AUTH:-headers}"
KEYSTONE_URL="${GLANCE_KEYSTONE_URL:-}"
SERVICE_USER="${GLANCE_SERVICE_USER:-glance}"
SERVICE_PASSWORD="${GLANCE_SERVICE_PASSWORD:-glance-secret}"
SERVICE_PROJECT="${GLANCE_SERVICE_PROJECT:-service}"

log() { printf 'glance.sh: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
}

# --- paths ----------------------------------------------------------------------------------------

# The state folder as an absolute path; it need not exist yet.
resolve_state_dir() {
  case "$STATE_DIR" in
    /*) ;;
    *) STATE_DIR="$PWD/$STATE_DIR" ;;
  esac
  STATE_DIR="${STATE_DIR%/}"
  [[ -n "$STATE_DIR" ]] || die "GLANCE_STATE_DIR must not be /"
  CONF_FILE="$STATE_DIR/glance-api.conf"
  PASTE_FILE="$STATE_DIR/glance-api-paste.ini"
  PID_FILE="$STATE_DIR/glance-api.pid"
  URL_FILE="$STATE_DIR/url"
  SETTINGS_FILE="$STATE_DIR/settings"
  LOG_FILE="$STATE_DIR/glance-api.log"
  OUT_FILE="$STATE_DIR/glance-api.out"
  # Marks a folder this script created, so that `reset` never deletes anything else.
  MARKER_FILE="$STATE_DIR/.glance-state"
}

# --- process checks -------------------------------------------------------------------------------

recorded_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$pid"
}

# True when process $1 exists and has not exited (a child that exited but was not reaped yet
# still answers `kill -0`).
is_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ -n "$stat" && "${stat:0:1}" != Z ]]
}

# True when $1 is alive and is the glance-api started with this state folder's configuration
# (a pid can be reused by an unrelated process once ours has gone).
is_our_glance() {
  local pid="$1" cmdline
  is_alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"glance.cmd.api"* && "$cmdline" == *"--config-file $CONF_FILE"* ]]
}

# The pid of this state folder's running glance-api, if any.
running_pid() {
  local pid
  pid="$(recorded_pid)" || return 1
  is_our_glance "$pid" || return 1
  printf '%s\n' "$pid"
}

recorded_url() {
  [[ -f "$URL_FILE" ]] || return 1
  printf '%s\n' "$(<"$URL_FILE")"
}

# The HTTP status of GET <url>/, or 000 when nothing answers.
root_status() {
  curl --silent --output /dev/null --max-time 2 --write-out '%{http_code}' "$1/" 2>/dev/null || true
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# --- install --------------------------------------------------------------------------------------

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  else
    sudo "$@"
  fi
}

glance_installed() {
  [[ "$(dpkg-query --show --showformat='${db:Status-Status}' python3-glance 2>/dev/null)" == installed ]]
}

apt_install_glance() {
  # glance-common and glance-api are not needed (and ask debconf questions, and pull in uwsgi):
  # the configuration is generated below and the API runs from the Python package.
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 python3-glance >&2
}

ensure_installed() {
  glance_installed && return 0
  # Instances started side by side would otherwise race for the dpkg lock; the script file
  # itself serves as the lock.
  exec 8<"${BASH_SOURCE[0]}"
  flock 8
  if ! glance_installed; then
    command -v apt-get >/dev/null || die "python3-glance is not installed and there is no apt-get"
    log "installing python3-glance (about a minute)"
    local started=$SECONDS
    if ! apt_install_glance; then
      log "install failed; running apt-get update and retrying"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update >&2
      apt_install_glance || die "could not install python3-glance"
    fi
    log "installed python3-glance in $((SECONDS - started)) s"
  fi
  flock --unlock 8
  exec 8<&-
}

# --- configuration --------------------------------------------------------------------------------

check_settings() {
  case "$POLICY" in
    legacy | new) ;;
    *) die "GLANCE_POLICY must be legacy or new, not '$POLICY'" ;;
  esac
  [[ "$MEMBER_QUOTA" =~ ^-?[0-9]+$ ]] || die "GLANCE_IMAGE_MEMBER_QUOTA must be an integer"
  case "$AUTH" in
    headers) ;;
    keystone) [[ -n "$KEYSTONE_URL" ]] || die "GLANCE_AUTH=keystone needs GLANCE_KEYSTONE_URL" ;;
    *) die "GLANCE_AUTH must be headers or keystone, not '$AUTH'" ;;
  esac
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "GLANCE_START_TIMEOUT must be a number of seconds"
  [[ "$STOP_TIMEOUT" =~ ^[0-9]+$ ]] || die "GLANCE_STOP_TIMEOUT must be a number of seconds"
  [[ -z "${GLANCE_PORT:-}" || "$GLANCE_PORT" =~ ^[0-9]+$ ]] || die "GLANCE_PORT must be a port number"
}

# The settings a running instance must share with the request for `up` to reuse it.
settings_line() {
  local service=""
  if [[ "$AUTH" == keystone ]]; then
    service=" as $SERVICE_USER on $SERVICE_PROJECT"
  fi
  printf 'policy=%s member_quota=%s auth=%s %s%s\n' "$POLICY" "$MEMBER_QUOTA" "$AUTH" "$KEYSTONE_URL" "$service"
}

write_config() {
  local port="$1" rbac=false
  [[ "$POLICY" == new ]] && rbac=true

  mkdir -p "$STATE_DIR/images" "$STATE_DIR/staging" "$STATE_DIR/policy.d" "$STATE_DIR/lock"
  install -m 0644 "$SCRIPT_DIR/schema-image.json" "$STATE_DIR/schema-image.json"

  cat >"$CONF_FILE" <<EOF
# Generated by test/glance/glance.sh; rewritten on every start.
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
# One process, no forked workers: the recorded pid is the whole server.
workers = 0
image_member_quota = $MEMBER_QUOTA
# Glance refuses to start unless this equals [oslo_policy] enforce_new_defaults.
enforce_secure_rbac = $rbac
debug = $DEBUG
log_file = $LOG_FILE
node_staging_uri = file://$STATE_DIR/staging

[database]
connection = sqlite:///$STATE_DIR/glance.sqlite

[paste_deploy]
config_file = $PASTE_FILE

[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $STATE_DIR/images/

[oslo_policy]
enforce_new_defaults = $rbac
enforce_scope = false
policy_file = $STATE_DIR/policy.yaml
policy_dirs = $STATE_DIR/policy.d

[oslo_concurrency]
lock_path = $STATE_DIR/lock
EOF
  local context=context
  if [[ "$AUTH" == keystone ]]; then
    context="authtoken context"
    cat >>"$CONF_FILE" <<EOF

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
project_name = $SERVICE_PROJECT
username = $SERVICE_USER
password = $SERVICE_PASSWORD
user_domain_id = default
project_domain_id = default
EOF
  fi

  # Glance's own "glance-api-keystone" pipeline without `authtoken`: the context middleware
  # builds the request context from the X-* identity headers the caller sends.
  cat >"$PASTE_FILE" <<EOF
# Generated by test/glance/glance.sh.
[pipeline:glance-api]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler $context rootapp

[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app

[app:apiversions]
paste.app_factory = glance.api.versions:create_resource

[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory

[filter:healthcheck]
paste.filter_factory = oslo_middleware:Healthcheck.factory
backends = disable_by_file
disable_by_file_path = $STATE_DIR/healthcheck_disable

[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory

[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:osprofiler]
paste.filter_factory = osprofiler.web:WsgiMiddleware.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance
oslo_config_program = glance-api

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
EOF

  # No overrides: Glance's built-in defaults for the chosen policy mode apply.
  printf '{}\n' >"$STATE_DIR/policy.yaml"
}

# --- start / stop ---------------------------------------------------------------------------------

print_log_tail() {
  local file
  for file in "$OUT_FILE" "$LOG_FILE"; do
    [[ -s "$file" ]] || continue
    log "last lines of $file:"
    tail -n 40 "$file" >&2
  done
}

# Sends TERM to $1, waits up to GLANCE_STOP_TIMEOUT seconds, then KILL.
stop_pid() {
  local pid="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while is_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if is_alive "$pid"; then
    log "pid $pid did not stop after TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  fi
}

# Waits until <url>/ answers 300 (the version list) while pid $2 stays alive.
# Returns 1 on timeout, 2 when the process exits.
wait_until_answering() {
  local url="$1" pid="$2" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    is_alive "$pid" || return 2
    [[ "$(root_status "$url")" == 300 ]] && return 0
    sleep 0.2
  done
  return 1
}

# Starts glance-api on port $1 and waits for it. Returns 2 when the process exits early.
start_glance() {
  local port="$1" url="http://127.0.0.1:$1" pid status=0
  : >"$OUT_FILE"
  # setsid: its own session, so it survives the caller's terminal or CI step and no signal
  # meant for the caller's process group reaches it. Without job control the background child
  # is not a group leader, so setsid execs in place and $! is glance-api's pid.
  # The lock descriptors are closed in the child: it would otherwise hold them while it runs.
  setsid "$PYTHON" -m glance.cmd.api --config-file "$CONF_FILE" \
    </dev/null >>"$OUT_FILE" 2>&1 8<&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  wait_until_answering "$url" "$pid" || status=$?
  if ((status == 0)); then
    printf '%s\n' "$url" >"$URL_FILE"
    return 0
  fi
  if ((status == 1)); then
    log "glance-api (pid $pid) did not answer 300 on $url/ within $START_TIMEOUT s"
    stop_pid "$pid"
  else
    log "glance-api (pid $pid) exited during start"
  fi
  rm -f "$PID_FILE"
  return "$status"
}

cmd_up() {
  check_settings
  ensure_installed
  mkdir -p "$STATE_DIR"
  touch "$MARKER_FILE"
  # One `up` at a time per state folder.
  exec 9>"$STATE_DIR/.up.lock"
  flock 9

  local pid url
  if pid="$(running_pid)"; then
    url="$(recorded_url)" || die "glance-api runs as pid $pid but $URL_FILE is missing; run down"
    if [[ "$(cat "$SETTINGS_FILE" 2>/dev/null)" != "$(settings_line)" ]]; then
      die "glance-api (pid $pid) runs with '$(cat "$SETTINGS_FILE" 2>/dev/null)', not '$(settings_line)'; run down first"
    fi
    if [[ -n "${GLANCE_PORT:-}" && "$url" != "http://127.0.0.1:$GLANCE_PORT" ]]; then
      die "glance-api (pid $pid) runs on $url, not on port $GLANCE_PORT; run down first"
    fi
    if wait_until_answering "$url" "$pid"; then
      log "already running (pid $pid)"
      printf 'GLANCE_URL=%s\n' "$url"
      return 0
    fi
    die "glance-api pid $pid runs but does not answer on $url/; run down first"
  fi
  rm -f "$PID_FILE" "$URL_FILE" "$SETTINGS_FILE"

  local started=$SECONDS port attempt status
  for attempt in 1 2 3; do
    port="${GLANCE_PORT:-$(free_port)}"
    if port_in_use "$port"; then
      [[ -z "${GLANCE_PORT:-}" ]] && continue
      die "127.0.0.1:$port is already in use by another process (answer to GET /: $(root_status "http://127.0.0.1:$port")); refusing to start"
    fi
    write_config "$port"
    if ((attempt == 1)); then
      : >"$LOG_FILE"
      log "db_sync ($STATE_DIR/glance.sqlite)"
      "$PYTHON" -m glance.cmd.manage --config-file "$CONF_FILE" db_sync \
        >"$STATE_DIR/db-sync.log" 2>&1 ||
        {
          tail -n 40 "$STATE_DIR/db-sync.log" >&2
          die "db_sync failed"
        }
    fi
    log "starting glance-api on 127.0.0.1:$port (policy $POLICY, member quota $MEMBER_QUOTA)"
    status=0
    start_glance "$port" || status=$?
    if ((status == 0)); then
      settings_line >"$SETTINGS_FILE"
      log "glance-api answers on http://127.0.0.1:$port after $((SECONDS - started)) s (pid $(<"$PID_FILE"))"
      printf 'GLANCE_URL=http://127.0.0.1:%s\n' "$port"
      return 0
    fi
    # A port chosen here may have been taken in between; try another one.
    if ((status == 2)) && [[ -z "${GLANCE_PORT:-}" ]] &&
      grep -qiE 'address already in use|could not bind' "$OUT_FILE" "$LOG_FILE" 2>/dev/null; then
      log "port $port was taken meanwhile; trying another"
      continue
    fi
    break
  done
  print_log_tail
  die "glance-api did not start (logs in $STATE_DIR)"
}

cmd_down() {
  local pid
  if pid="$(recorded_pid)"; then
    if is_our_glance "$pid"; then
      log "stopping glance-api (pid $pid)"
      stop_pid "$pid"
    else
      log "pid $pid is not this folder's glance-api (it has exited, or the pid now belongs to another process); nothing stopped"
    fi
  else
    log "not running"
  fi
  rm -f "$PID_FILE" "$URL_FILE" "$SETTINGS_FILE"
}

cmd_status() {
  local pid url
  if pid="$(running_pid)"; then
    url="$(recorded_url)" || url="(unknown url)"
    printf 'running: pid %s, GLANCE_URL=%s, answer to GET /: %s\n' \
      "$pid" "$url" "$(root_status "$url")"
    return 0
  fi
  printf 'stopped (state folder %s)\n' "$STATE_DIR"
  return 3
}

cmd_reset() {
  cmd_down
  [[ -d "$STATE_DIR" ]] || return 0
  if [[ ! -f "$MARKER_FILE" ]]; then
    die "$STATE_DIR was not created by this script ($MARKER_FILE is missing); not deleting it"
  fi
  rm -rf -- "$STATE_DIR"
  log "removed $STATE_DIR"
}

main() {
  local command="${1:-}"
  resolve_state_dir
  case "$command" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage
      exit 2
      ;;
  esac
}

main "$@"
