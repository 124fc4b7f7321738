#!/usr/bin/env bash
# Installs Debian's redis-server for `npm run test:redis` when it is missing (root or sudo). The
# tests start and stop their own servers, on loopback, by pid.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
as_root() { if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server)
if ! as_root "${install[@]}"; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  as_root "${install[@]}"
fi
# The package's own service is not needed: the tests run their own servers.
as_root systemctl disable --now redis-server >/dev/null 2>&1 || true
command -v redis-server >/dev/null
