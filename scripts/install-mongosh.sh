#!/usr/bin/env bash
# Installs mongosh 2.x from npm into ./.tools (idempotent). Prints the path of the mongosh binary.
# Used by the MongodSimulator conformance test and by people who want to poke a running simulator.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
bin="$tools/node_modules/.bin/mongosh"
version_range="${MONGOSH_VERSION:-2}"

if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -q '^2\.'; then
  echo "$bin"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-mongosh: npm is not installed (install Node.js 18+ with npm, then re-run)" >&2
  exit 1
fi

mkdir -p "$tools"
# --no-save keeps .tools free of a package.json churn; --no-audit/--no-fund keep the output quiet.
npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "mongosh@$version_range" >&2
"$bin" --version >/dev/null
echo "$bin"
