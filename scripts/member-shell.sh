#!/usr/bin/env bash
# Opens mongosh on one member of a HipaaMongo running under `make run`, as a person with the operator's
# x.509 identity would (the only identity allowed to change runtime parameters; there is no password).
#
#   scripts/member-shell.sh [ORDINAL] [-- mongosh args...]
#   scripts/member-shell.sh 1 -- --eval 'db.adminCommand({setParameter: 1, redactClientLogData: false})'
#
# Environment: KUBECONFIG (default .state/run/kubeconfig), HM_NAMESPACE (clinical), HM_NAME (phi-db).
# The client certificate is obtained as the operator obtains its own: a key made here, a CSR with the operator's
# subject, a cert-manager CertificateRequest to the set's issuer, then status.certificate and status.ca (no Secret
# holds an operator key). Key, certificate and CA live in a private temporary directory removed on exit; the
# request is deleted once read. Needs openssl.
#
# Why --tlsAllowInvalidHostnames: members are reached by pod IP (127.x.y.z under LocalCluster) and their
# certificates name only the members' DNS names, which this machine cannot resolve. The server certificate is
# still verified against the cluster CA; the operator itself checks the DNS name (docs/members.md).
set -euo pipefail
source "$(dirname "$0")/lib/client-certificate.sh"
cd "$(dirname "$0")/.."

ordinal=0
if [[ $# -gt 0 && "$1" != "--" ]]; then ordinal=$1; shift; fi
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
export KUBECONFIG=${KUBECONFIG:-$PWD/.state/run/kubeconfig}
ns=${HM_NAMESPACE:-clinical}
name=${HM_NAME:-phi-db}

mongosh=$(scripts/install-mongosh.sh)
ip=$(kubectl get pod -n "$ns" "$name-$ordinal" -o jsonpath='{.status.podIP}')
[[ -n "$ip" ]] || { echo "member-shell: pod $ns/$name-$ordinal has no IP yet" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
client_certificate "$dir" "$ns" "$name" "/O=hipaa-mongo/OU=mongodb-$name-operator/CN=hipaa-mongo-operator" P-384 operator-shell

# Not exec: the trap must remove the key when mongosh ends.
"$mongosh" --quiet "mongodb://$ip:27017/?directConnection=true" \
  --tls --tlsCAFile "$dir/ca.pem" --tlsCertificateKeyFile "$dir/client.pem" --tlsAllowInvalidHostnames \
  --authenticationMechanism MONGODB-X509 --authenticationDatabase '$external' "$@"
