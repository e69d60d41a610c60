#!/usr/bin/env bash
# slapd-server.sh DIR PORT: runs Debian's slapd in the foreground on ldaps://127.0.0.1:PORT/ only (no plain LDAP
# listener), with the certificates in DIR (ca.crt, server.crt, server.key) and the directory loaded from DIR/data.ldif
# (slapadd, before the server starts). Suffix dc=example,dc=org, an MDB database in DIR/db.
# Access: a password is only ever compared (anonymous "auth"), every entry is readable by bound users only, so the
# mongod simulator must bind as its query user before it searches, as mongod does.
# With DIR/admin.password (tests only; no newline), cn=admin,dc=example,dc=org is the rootdn with that password,
# stored hashed (slappasswd), so a test can change the directory with ldapmodify while slapd runs; without the
# file there is no writer at all (make run).
# Used by tests/MongodSimulator.Tests (SlapdServer); stop it with SIGTERM to its pid (exec: the pid is slapd's).
# The config keys are those of slapd.conf(5) and slapd-mdb(5); TLS ones of slapd.conf(5) "TLS OPTIONS".
set -euo pipefail
dir=${1:?usage: slapd-server.sh DIR PORT}
port=${2:?usage: slapd-server.sh DIR PORT}
PATH="$PATH:/usr/sbin"
command -v slapd >/dev/null || { echo "slapd not found: run scripts/install-slapd.sh" >&2; exit 1; }
for f in ca.crt server.crt server.key data.ldif; do
  [[ -r "$dir/$f" ]] || { echo "slapd-server.sh: $dir/$f is missing" >&2; exit 1; }
done
mkdir -p "$dir/db"
admin=""
if [[ -r "$dir/admin.password" ]]; then
  admin=$'rootdn "cn=admin,dc=example,dc=org"\nrootpw '"$(slappasswd -T "$dir/admin.password")"
fi
cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
TLSCACertificateFile $dir/ca.crt
TLSCertificateFile $dir/server.crt
TLSCertificateKeyFile $dir/server.key
TLSProtocolMin 3.3
database mdb
maxsize 16777216
suffix "dc=example,dc=org"
directory $dir/db
$admin
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
CONF
if [[ ! -e "$dir/db/data.mdb" ]]; then
  slapadd -q -f "$dir/slapd.conf" -l "$dir/data.ldif"
fi
# -d 0: stay in the foreground without debug output; -h: the only listener is LDAPS.
exec slapd -d 0 -f "$dir/slapd.conf" -h "ldaps://127.0.0.1:$port/"
