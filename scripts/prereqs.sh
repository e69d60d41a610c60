#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently, on a fresh machine.
# Each step checks before it installs, so a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "prereqs: the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
command -v kubectl >/dev/null || echo "prereqs: kubectl not found; the kubectl conformance tests need it (https://kubernetes.io/docs/tasks/tools/)" >&2

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Real peers the tests talk to.
bash scripts/install-mongosh.sh >/dev/null
bash scripts/install-lua.sh >/dev/null
bash scripts/install-chromium.sh >/dev/null
exit 0
