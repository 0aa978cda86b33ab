#!/usr/bin/env bash
# Installs Debian's redis-server when it is missing: test/compare-bullmq.test.ts starts its own redis-server (a free
# port, a temporary folder, the append-only file on) for the bullmq executor and drmg worker, and, in CI (CI set),
# fails rather than skips without it. Nothing is started here (the package's service is left alone).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server: $(redis-server --version 2>/dev/null || echo present)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server
# Debian's package may start a system-wide redis-server on 6379; the tests never use it (they start their own).
echo "redis-server: $(redis-server --version 2>/dev/null || echo installed)"
