#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what is missing (npm packages, and
# Debian's Chromium for the dashboard's browser tests), builds, type-checks, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: $* missing; install it with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v chromium >/dev/null 2>&1 || apt_install chromium

npm run build
npx tsc -p tsconfig.test.json
npx vitest run "$@"
