#!/usr/bin/env bash
# Installs Debian's python3-pykmip (idempotent): its pykmip-server is the KMIP server the Kmip tests talk to
# (scripts/pykmip-server.sh starts one). Called from scripts/prereqs.sh.
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install pykmip-server python3-pykmip
