#!/usr/bin/env bash
# Prepares `npm run bench`: installs the load generator (wrk, from Debian) when it is missing.
# Idempotent: does nothing when wrk is already on the PATH.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  echo "bench: wrk present ($(command -v wrk))"
  exit 0
fi

if [ "$(id -u)" = "0" ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "bench: wrk is missing and neither root nor password-less sudo is available" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "bench: wrk is missing and apt-get is not available" >&2
  exit 1
fi

install_wrk() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk
}

echo "bench: installing wrk (Debian package)"
if ! install_wrk; then
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  install_wrk
fi
command -v wrk >/dev/null 2>&1
echo "bench: wrk installed ($(command -v wrk))"
