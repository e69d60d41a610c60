#!/usr/bin/env bash
# Installs Debian's lua5.1 (idempotent). The Entities tests run config/argocd/health.lua in it, because Argo CD's
# gopher-lua implements Lua 5.1. Called from scripts/prereqs.sh.
set -euo pipefail

if command -v lua5.1 >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-lua: apt-get not found; install Lua 5.1 so that 'lua5.1' is on PATH, then re-run" >&2
  exit 1
fi

sudo=""
if [[ "$(id -u)" != "0" ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-lua: not root and sudo is missing; run: apt-get install lua5.1" >&2
    exit 1
  fi
  sudo="sudo"
fi

$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq lua5.1 >/dev/null
command -v lua5.1 >/dev/null
