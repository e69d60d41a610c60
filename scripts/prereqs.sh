#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently, on a fresh machine.
# Each step checks before it installs, so a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt-install.sh
command -v dotnet >/dev/null || { echo "prereqs: the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
command -v kubectl >/dev/null || echo "prereqs: kubectl not found; the kubectl conformance tests need it (https://kubernetes.io/docs/tasks/tools/)" >&2

apt_install python3 python3
apt_install openssl openssl
apt_install npm npm
# Real peers the tests talk to.
bash scripts/install-mongosh.sh >/dev/null
bash scripts/install-lua.sh
bash scripts/install-chromium.sh
bash scripts/install-pykmip.sh
bash scripts/install-slapd.sh
bash scripts/install-helm.sh >/dev/null
