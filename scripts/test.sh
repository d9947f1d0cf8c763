#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what is missing (npm packages; from
# Debian, Chromium for the dashboard's browser tests, wrk for the benchmark's smoke test and
# PostgreSQL for the store's second database), starts a throwaway PostgreSQL server, builds,
# type-checks, runs every test.
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
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ -z "${JASYS_TEST_POSTGRES_URL:-}" ] && [ -z "$(pg_bin)" ]; then missing+=(postgresql); fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# A PostgreSQL server of its own, in a temporary folder, gone when the tests end.
if [ -z "${JASYS_TEST_POSTGRES_URL:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); else as_pg=(); fi
  pg_dir=$(mktemp -d /tmp/jasys-pg-XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$pg_dir"
  pg_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "${as_pg[@]}" "$(pg_bin)/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  trap '"${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null; rm -rf "$pg_dir"' EXIT
  export JASYS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
fi

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
