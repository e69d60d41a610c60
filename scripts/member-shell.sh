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
issuer=$(kubectl get hipaamongo -n "$ns" "$name" -o jsonpath='{.spec.tls.issuerRef.name}')
kind=$(kubectl get hipaamongo -n "$ns" "$name" -o jsonpath='{.spec.tls.issuerRef.kind}')
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$dir/key.pem" 2>/dev/null
openssl req -new -key "$dir/key.pem" -subj "/O=hipaa-mongo/OU=mongodb-$name-operator/CN=hipaa-mongo-operator" -out "$dir/csr.pem"
request="$name-operator-shell-$(openssl rand -hex 4)"
kubectl create -f - >/dev/null <<YAML
apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata: {name: $request, namespace: $ns}
spec:
  request: $(base64 -w0 "$dir/csr.pem")
  issuerRef: {name: ${issuer:-$name-ca}, kind: ${kind:-Issuer}, group: cert-manager.io}
  usages: [digital signature, key encipherment, client auth]
  duration: 1h
YAML
crt=
for _ in $(seq 100); do
  crt=$(kubectl get certificaterequest -n "$ns" "$request" -o jsonpath='{.status.certificate}')
  [[ -n "$crt" ]] && break
  sleep 0.2
done
[[ -n "$crt" ]] || { echo "member-shell: CertificateRequest $ns/$request was not issued" >&2; exit 1; }
base64 -d <<<"$crt" >"$dir/client.pem"
cat "$dir/key.pem" >>"$dir/client.pem"
kubectl get certificaterequest -n "$ns" "$request" -o jsonpath='{.status.ca}' | base64 -d >"$dir/ca.pem"
kubectl delete certificaterequest -n "$ns" "$request" >/dev/null

# Not exec: the trap must remove the key when mongosh ends.
"$mongosh" --quiet "mongodb://$ip:27017/?directConnection=true" \
  --tls --tlsCAFile "$dir/ca.pem" --tlsCertificateKeyFile "$dir/client.pem" --tlsAllowInvalidHostnames \
  --authenticationMechanism MONGODB-X509 --authenticationDatabase '$external' "$@"
