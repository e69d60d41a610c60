#!/usr/bin/env bash
# Installs Debian's chromium (idempotent). The Operator tests render the HTML evidence report in headless
# Chromium and check the control matrix is in the DOM (issue 8 item 5). Lead: call from scripts/prereqs.sh.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install Chromium so that 'chromium' is on PATH, then re-run" >&2
  exit 1
fi

sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-chromium: not root and sudo is missing; run: apt-get install chromium" >&2
    exit 1
  fi
  sudo="sudo"
fi

# The package lists may be missing on a fresh image; update only when the install cannot find the package.
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
command -v chromium >/dev/null
