#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest hook): makes sure what the tests drive is on this
# machine, installing it from Debian when it is missing and we may, else stopping with one
# line that says what to do (always so with SUIJI_NO_INSTALL=1). The browser tests drive Debian's Chromium (no browser download
# is possible here) and need a CJK font, or Chinese renders as boxes. The interop tests
# (tests/interop) build a Go program against Go's reference x/mod/sumdb packages: Debian's Go
# (GO, default `go`) and golang-golang-x-mod-dev under SUIJI_GOPATH (default /usr/share/gocode).
# The PostgreSQL adapter's tests initdb and start a real PostgreSQL 15 server
# (tests/helpers/postgres.ts) from ${SUIJI_PG_BIN:-/usr/lib/postgresql/15/bin}.
set -euo pipefail

need=()
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || need+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
  need+=(fonts-noto-cjk)
fi
command -v "${GO:-go}" >/dev/null 2>&1 || need+=(golang-go)
[ -d "${SUIJI_GOPATH:-/usr/share/gocode}/src/golang.org/x/mod/sumdb/note" ] || need+=(golang-golang-x-mod-dev)
[ -x "${SUIJI_PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ] || need+=(postgresql-15)
[ ${#need[@]} -eq 0 ] && exit 0

if [ -n "${SUIJI_NO_INSTALL:-}" ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs ${need[*]}: run 'sudo apt-get install -y ${need[*]}' (or set CHROMIUM_PATH, GO, SUIJI_GOPATH, SUIJI_PG_BIN), then npm test again" >&2
  exit 1
fi
echo "installing ${need[*]} from Debian for the browser, Go interop and PostgreSQL tests…" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
