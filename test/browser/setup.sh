#!/usr/bin/env bash
# Prepares the browser test (test/browser/members-page.test.ts): installs Debian's chromium when
# /usr/bin/chromium is missing, with a font so that screenshots show text. Idempotent: does nothing
# when Chromium is already there. Needs root or password-less sudo, and apt-get.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-liberation)
ATTEMPTS=3

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

apt_get() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0 "$@"
}

# A fresh machine may have no package lists, and a mirror may fail for a moment: refresh the lists,
# install, and try both again after a pause when either fails.
echo "browser: installing ${PACKAGES[*]} (Debian packages)"
installed=false
for attempt in $(seq 1 "$ATTEMPTS"); do
  if apt_get update && apt_get install -y --no-install-recommends "${PACKAGES[@]}"; then
    installed=true
    break
  fi
  if [ "$attempt" -lt "$ATTEMPTS" ]; then
    echo "browser: attempt $attempt of $ATTEMPTS failed; retrying" >&2
    sleep $((attempt * 5))
  fi
done
if [ "$installed" != true ] || [ ! -x "$CHROMIUM" ]; then
  echo "browser: could not install chromium" >&2
  exit 1
fi
echo "browser: chromium installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
