#!/usr/bin/env bash
# Opens mongosh on one member of a HipaaMongo running under `make run`, as a person with the operator's
# x.509 identity would (the only identity allowed to change runtime parameters; there is no password).
#
#   scripts/member-shell.sh [ORDINAL] [-- mongosh args...]
#   scripts/member-shell.sh 1 -- --eval 'db.adminCommand({setParameter: 1, redactClientLogData: false})'
#
# Environment: KUBECONFIG (default .state/run/kubeconfig), HM_NAMESPACE (clinical), HM_NAME (phi-db).
# The client certificate and CA come from the Secrets cert-manager issued (<name>-operator-tls); they are
# written to a private temporary directory that is removed on exit.
#
# Why --tlsAllowInvalidHostnames: members are reached by pod IP (127.x.y.z under LocalCluster) and their
# certificates name only the members' DNS names, which this machine cannot resolve. The server certificate is
# still verified against the cluster CA; the operator itself checks the DNS name (docs/members.md).
set -euo pipefail
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
secret() { kubectl get secret -n "$ns" "$name-operator-tls" -o "jsonpath={.data.$1}" | base64 -d; }
secret 'tls\.crt' >"$dir/client.pem"
secret 'tls\.key' >>"$dir/client.pem"
secret 'ca\.crt' >"$dir/ca.pem"

# Not exec: the trap must remove the key when mongosh ends.
"$mongosh" --quiet "mongodb://$ip:27017/?directConnection=true" \
  --tls --tlsCAFile "$dir/ca.pem" --tlsCertificateKeyFile "$dir/client.pem" --tlsAllowInvalidHostnames \
  --authenticationMechanism MONGODB-X509 --authenticationDatabase '$external' "$@"
