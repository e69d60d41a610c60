#!/usr/bin/env bash
# Opens mongosh as a declared database user (a HipaaMongoUser) of a HipaaMongo running under `make run`, on the
# current primary, as the application holding that user's Secrets would connect.
#
#   scripts/user-shell.sh USER [-- mongosh args...]
#   scripts/user-shell.sh physicians -- --eval "db.getSiblingDB('patients').records.insertOne({_id: 'mrn-1', name: 'Ada'})"
#
# Environment: KUBECONFIG (default .state/run/kubeconfig), HM_NAMESPACE (clinical).
# SCRAM users: the user name and password from <USER>-mongodb-user; every user: the client certificate (members
# refuse connections without one) from <USER>-mongodb-user-tls and the CA. They are written to a private temporary
# directory removed on exit. The password is passed to mongosh as an argument, so other users of this machine could
# see it in ps while the shell runs: a demo for your own machine, not a pattern for production clients (mount the
# Secrets instead). --tlsAllowInvalidHostnames: members are reached by pod IP (see scripts/member-shell.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -gt 0 && "$1" != "--" ]] || { echo "usage: scripts/user-shell.sh USER [-- mongosh args...]" >&2; exit 2; }
user=$1; shift
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi
export KUBECONFIG=${KUBECONFIG:-$PWD/.state/run/kubeconfig}
ns=${HM_NAMESPACE:-clinical}

mongosh=$(scripts/install-mongosh.sh)
cluster=$(kubectl get hmu -n "$ns" "$user" -o jsonpath='{.spec.hipaaMongoRef.name}')
db=$(kubectl get hmu -n "$ns" "$user" -o jsonpath='{.status.database}')
[[ -n "$db" ]] || { echo "user-shell: $ns/$user is not Ready yet (kubectl get hmu -n $ns)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
field() { kubectl get secret -n "$ns" "$1" -o "jsonpath={.data.$2}" | base64 -d; }
field "$user-mongodb-user-tls" 'tls\.crt' >"$dir/client.pem"
field "$user-mongodb-user-tls" 'tls\.key' >>"$dir/client.pem"
field "$user-mongodb-user-tls" 'ca\.crt' >"$dir/ca.pem"
if [[ "$db" == '$external' ]]; then
  auth=(--authenticationMechanism MONGODB-X509 --authenticationDatabase '$external')
else
  auth=(--authenticationMechanism SCRAM-SHA-256 --authenticationDatabase admin
        -u "$(field "$user-mongodb-user" username)" -p "$(field "$user-mongodb-user" password)")
fi

shell() { "$mongosh" --quiet "mongodb://$1:27017/?directConnection=true" --tls --tlsCAFile "$dir/ca.pem" \
  --tlsCertificateKeyFile "$dir/client.pem" --tlsAllowInvalidHostnames "${auth[@]}" "${@:2}"; }
for ip in $(kubectl get pod -n "$ns" -l "app.kubernetes.io/instance=$cluster" -o jsonpath='{.items[*].status.podIP}'); do
  if [[ "$(shell "$ip" --eval 'db.hello().isWritablePrimary' 2>/dev/null)" == "true" ]]; then
    shell "$ip" "$@"
    exit
  fi
done
echo "user-shell: no member of $ns/$cluster answered as primary for $user" >&2
exit 1
