#!/usr/bin/env bash
# Installs Debian's lua5.1 (idempotent). The Entities tests run config/argocd/health.lua in it, because Argo CD's
# gopher-lua implements Lua 5.1. Called from scripts/prereqs.sh.
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install lua5.1 lua5.1
