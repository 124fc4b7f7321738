#!/usr/bin/env bash
# Prepares the browser test (test/browser/members-page.test.ts): installs Debian's chromium when
# /usr/bin/chromium is missing, with a font so that screenshots show text. Idempotent: does nothing
# when Chromium is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-liberation)

if [ -x "$CHROMIUM" ]; then
  echo "browser: chromium present ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
  exit 0
fi

if [ "$(id -u)" = "0" ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "browser: $CHROMIUM is missing and neither root nor password-less sudo is available" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser: $CHROMIUM is missing and apt-get is not available" >&2
  exit 1
fi

apt() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 "$@"
}

install_chromium() {
  apt install -y --no-install-recommends "${PACKAGES[@]}"
}

echo "browser: installing ${PACKAGES[*]} (Debian packages)"
installed=false
for attempt in 1 2 3; do
  if install_chromium; then
    installed=true
    break
  fi
  echo "browser: install attempt $attempt failed; refreshing the package lists" >&2
  apt update || true
  sleep $((attempt * 2))
done
if [ "$installed" != true ] || [ ! -x "$CHROMIUM" ]; then
  echo "browser: could not install chromium" >&2
  exit 1
fi
echo "browser: chromium installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
