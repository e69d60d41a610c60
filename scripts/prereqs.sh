#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently, on a fresh machine.
# Each step checks before it installs, so a second run costs nothing.
set -euo pipefail
need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "prereqs: the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
