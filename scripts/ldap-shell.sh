#!/usr/bin/env bash
# Logs a directory user of make run's slapd in with mongosh (mechanism PLAIN on $external, over TLS) on the primary
# of the LDAP demo set (scripts/ldap-percona-demo.sh), and by default prints what mongod made of the login:
# connectionStatus.authInfo (the user, and every role it holds with the roles they inherit).
#
#   scripts/ldap-shell.sh USER [-- mongosh args...]
#   scripts/ldap-shell.sh alice      # {"users":[{"user":"alice","db":"$external"}],
#                                    #  "roles":["cn=phi-readers,ou=groups,dc=example,dc=org@admin","read@patients"]}
#   scripts/ldap-shell.sh alice -- --eval "db.getSiblingDB('patients').records.findOne()"
#
# Environment: KUBECONFIG (default .state/run/kubeconfig), HM_RUN_STATE (.state/run: the directory's passwords),
# HM_NAMESPACE (ehr), HM_NAME (records), LDAP_PASSWORD (instead of the user's password from the state directory).
# Members refuse connections without a client certificate (net.tls.allowConnectionsWithoutCertificates false), so a
# certificate is obtained as scripts/member-shell.sh does, through a CertificateRequest, with a subject that is
# neither a member's nor the operator's (OU=mongodb-<name>-ldap-clients): it only opens TLS, the login is the
# directory's. Key, certificate and CA live in a private temporary directory removed on exit. The password is
# passed to mongosh as an argument (visible in ps while it runs): a demo for your own machine.
set -euo pipefail
source "$(dirname "$0")/lib/client-certificate.sh"
cd "$(dirname "$0")/.."

[[ $# -gt 0 && "$1" != "--" ]] || { echo "usage: scripts/ldap-shell.sh USER [-- mongosh args...]" >&2; exit 2; }
user=$1; shift
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
export KUBECONFIG=${KUBECONFIG:-$PWD/.state/run/kubeconfig}
state=${HM_RUN_STATE:-$PWD/.state/run}
ns=${HM_NAMESPACE:-ehr}
name=${HM_NAME:-records}
password=${LDAP_PASSWORD:-$(cat "$state/ldap/passwords/$user" 2>/dev/null || true)}
[[ -n "$password" ]] || { echo "ldap-shell: no password for $user in $state/ldap/passwords (set LDAP_PASSWORD)" >&2; exit 1; }
if [[ $# -eq 0 ]]; then
  set -- --eval "const s = db.adminCommand({connectionStatus: 1}).authInfo;
print(JSON.stringify({users: s.authenticatedUsers, roles: s.authenticatedUserRoles.map(r => r.role + '@' + r.db).sort()}))"
fi

mongosh=$(scripts/install-mongosh.sh)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
client_certificate "$dir" "$ns" "$name" "/O=hipaa-mongo/OU=mongodb-$name-ldap-clients/CN=$user" P-256 ldap-shell

shell() { "$mongosh" --quiet --norc "mongodb://$1:27017/?directConnection=true" --tls --tlsCAFile "$dir/ca.pem" \
  --tlsCertificateKeyFile "$dir/client.pem" --tlsAllowInvalidHostnames \
  --authenticationMechanism PLAIN --authenticationDatabase '$external' -u "$user" -p "$password" "${@:2}"; }
for ip in $(kubectl get pod -n "$ns" -l "app.kubernetes.io/instance=$name" -o jsonpath='{.items[*].status.podIP}'); do
  if [[ "$(shell "$ip" --eval 'db.hello().isWritablePrimary' 2>/dev/null)" == "true" ]]; then
    shell "$ip" "$@"
    exit
  fi
done
# No primary answered as this user: show why on the first member (e.g. the directory refused the login).
first=$(kubectl get pod -n "$ns" -l "app.kubernetes.io/instance=$name" -o jsonpath='{.items[0].status.podIP}')
shell "$first" "$@"
