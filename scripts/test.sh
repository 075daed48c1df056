#!/usr/bin/env bash
# The test command (`npm test`): sets up what the tests need, then type-checks and runs them.
#
#   1. Debian packages the tests use as real servers and independent checkers, installed with
#      apt-get when missing (said before it happens; as root, or through password-less sudo as on
#      a GitHub runner; otherwise it says what to install).
#   2. The policy pack's own dependencies (policy/package.json), when missing or older than its lock.
#   3. tsc (strict) on the program, the scripts, the tests and the policy pack; ESLint and
#      Prettier (`npm run lint`; `npm run format` fixes what it can).
#   4. mocha on every test file; the tests start and stop their own throwaway servers.
#
# Any extra arguments go to mocha (e.g. `npm test -- --grep bcrypt`).
set -euo pipefail
cd "$(dirname "$0")/.."

# --- 1. Debian packages -------------------------------------------------------------------
have_postgres() {
  [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ] && return 0
  command -v initdb >/dev/null
}
need=()
have_postgres || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v openssl >/dev/null || need+=(openssl)
command -v htpasswd >/dev/null || need+=(apache2-utils)
/usr/bin/python3 -c "import bcrypt" 2>/dev/null || need+=(python3-bcrypt)
command -v dot >/dev/null || need+=(graphviz)
if ((${#need[@]})); then
  # Root installs directly; a user with password-less sudo (a GitHub runner) through sudo.
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo -n)
  if ! command -v apt-get >/dev/null || { ((${#sudo[@]})) && ! sudo -n true 2>/dev/null; }; then
    echo "npm test needs these Debian packages: ${need[*]}" >&2
    echo "install them (sudo apt-get install -y ${need[*]}) or run npm test as root" >&2
    exit 1
  fi
  echo "npm test: installing Debian packages the tests need: ${need[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- 2. The policy pack's dependencies ----------------------------------------------------
if [ ! -d policy/node_modules ] || [ policy/package-lock.json -nt policy/node_modules ]; then
  echo "npm test: installing the policy pack's dependencies (npm ci --prefix policy)"
  npm ci --prefix policy --no-audit --no-fund
fi

# --- 3. Static checks ---------------------------------------------------------------------
npx tsc -p .
npm --prefix policy run --silent typecheck
npm run --silent lint

# --- 4. Tests -----------------------------------------------------------------------------
exec npx mocha "test/**/*.test.ts" "$@"
