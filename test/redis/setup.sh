#!/usr/bin/env bash
# Installs Debian's redis-server for `npm run test:redis` when it is missing (root or sudo): the
# same as `bash test/redis/redis.sh install`, kept for callers of this older name.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/redis.sh" install
