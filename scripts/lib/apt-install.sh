#!/usr/bin/env bash
# apt_install COMMAND PACKAGE...: installs the Debian packages unless COMMAND is already on PATH (idempotent).
# Sourced by the install-*.sh scripts and prereqs.sh so every apt install behaves alike.
apt_install() {
  local command=$1; shift
  command -v "$command" >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt_install: apt-get not found; install $* so that '$command' is on PATH, then re-run" >&2
    return 1
  fi
  local sudo=""
  if [[ "$(id -u)" != "0" ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "apt_install: not root and sudo is missing; run: apt-get install $*" >&2; return 1; }
    sudo="sudo"
  fi
  # A fresh image may have no package lists: update only when the install cannot find the package.
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null 2>&1; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
  fi
  command -v "$command" >/dev/null
}
