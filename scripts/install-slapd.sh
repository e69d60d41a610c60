#!/usr/bin/env bash
# Installs Debian's OpenLDAP server and client tools (idempotent): slapd is the directory the mongod simulator's
# LDAP authentication and authorization are tested against (scripts/slapd-server.sh starts one over LDAPS only);
# ldap-utils gives ldapsearch/ldapwhoami to check it by hand. Called from scripts/prereqs.sh.
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
# slapd lives in /usr/sbin, which a non-root PATH may lack: apt_install checks the command by name.
PATH="$PATH:/usr/sbin"
apt_install slapd slapd
apt_install ldapsearch ldap-utils
