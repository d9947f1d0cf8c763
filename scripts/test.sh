#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what is missing (npm packages; from
# Debian, Chromium for the dashboard's browser tests and wrk for the benchmark's smoke test),
# builds, type-checks, runs every test.
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
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

npm run build
npx tsc -p tsconfig.test.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" \
  || status=$?
# One plain closing line that any CI reads: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
