#!/usr/bin/env bash
# client_certificate DIR NAMESPACE NAME SUBJECT CURVE PREFIX: a client certificate from the HipaaMongo's issuer, as the
# operator obtains its own: a key made here (DIR, mode 700) and a cert-manager CertificateRequest, deleted once read.
# Writes DIR/client.pem (certificate + key) and DIR/ca.pem. Sourced by member-shell.sh and ldap-shell.sh.
client_certificate() {
  local dir=$1 ns=$2 name=$3 subject=$4 curve=$5 prefix=$6
  local issuer kind request crt
  issuer=$(kubectl get hipaamongo -n "$ns" "$name" -o jsonpath='{.spec.tls.issuerRef.name}')
  kind=$(kubectl get hipaamongo -n "$ns" "$name" -o jsonpath='{.spec.tls.issuerRef.kind}')
  openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$curve" -out "$dir/key.pem" 2>/dev/null
  openssl req -new -key "$dir/key.pem" -subj "$subject" -out "$dir/csr.pem"
  request="$name-$prefix-$(openssl rand -hex 4)"
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
  [[ -n "$crt" ]] || { echo "${0##*/}: CertificateRequest $ns/$request was not issued" >&2; return 1; }
  base64 -d <<<"$crt" >"$dir/client.pem"
  cat "$dir/key.pem" >>"$dir/client.pem"
  kubectl get certificaterequest -n "$ns" "$request" -o jsonpath='{.status.ca}' | base64 -d >"$dir/ca.pem"
  kubectl delete certificaterequest -n "$ns" "$request" >/dev/null
}
