#!/usr/bin/env bash
# pykmip-server.sh DIR PORT: runs Debian's PyKMIP server in the foreground on 127.0.0.1:PORT with the
# certificates in DIR (ca.crt, server.crt, server.key), its SQLite database, policies and log in DIR too.
# Mutual TLS: the server requires a client certificate signed by ca.crt with extendedKeyUsage clientAuth.
# Used by tests/Kmip.Tests; stop it with SIGTERM/SIGKILL to its pid (exec: the pid is the server's).
#
# Quirks of PyKMIP 0.10 (docs/kmip.md): auth_suite TLS1.2 pins the protocol to TLS 1.2 (no TLS 1.3) and limits the
# ciphers to its own list of TLS 1.2 suites, whose first choices have no forward secrecy (AES128-SHA256) or are CBC.
# tls_cipher_suites (space-separated, filtered against that list) keeps the ECDHE ones: AES-GCM with an ECDSA
# certificate, AES-256-CBC-SHA384 with an RSA one (PyKMIP lists no ECDHE-RSA-GCM suite). The config keys are those of
# kmip/services/server/config.py.
set -euo pipefail
dir=${1:?usage: pykmip-server.sh DIR PORT}
port=${2:?usage: pykmip-server.sh DIR PORT}
command -v pykmip-server >/dev/null || { echo "pykmip-server not found: run scripts/install-pykmip.sh" >&2; exit 1; }
for f in ca.crt server.crt server.key; do
  [[ -r "$dir/$f" ]] || { echo "pykmip-server.sh: $dir/$f is missing" >&2; exit 1; }
done
mkdir -p "$dir/policies"
cat > "$dir/server.conf" <<CONF
[server]
hostname=127.0.0.1
port=$port
certificate_path=$dir/server.crt
key_path=$dir/server.key
ca_path=$dir/ca.crt
auth_suite=TLS1.2
tls_cipher_suites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
policy_path=$dir/policies
enable_tls_client_auth=True
database_path=$dir/pykmip.db
logging_level=INFO
CONF
exec pykmip-server -f "$dir/server.conf" -l "$dir/server.log"
