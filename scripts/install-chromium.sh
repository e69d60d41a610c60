#!/usr/bin/env bash
# Installs Debian's chromium (idempotent). The Operator tests render the HTML evidence report in headless
# Chromium and check the control matrix is in the DOM. Called from scripts/prereqs.sh.
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install chromium chromium
