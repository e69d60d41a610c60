#!/usr/bin/env bash
# kmip-percona-demo.sh: with `make run` up (KUBECONFIG set as it prints), applies a Percona Server for MongoDB
# 8.0.12-4 variant of the minimal sample in namespace "ward", using the same PyKMIP server and certificates.
# PSMDB 8.0.12-4+ reports the KMIP key each member holds (serverStatus.encryptionAtRest, docs/kmip.md), so
# `kubectl describe hm -n ward psm` lists each member's Kmip Key Id and key custody can pass; Enterprise members
# report none.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG as make run prints it}"
kubectl create namespace ward --dry-run=client -o yaml | kubectl apply -f - >/dev/null
copy() { # copy SECRET from clinical to ward as NAME
  kubectl get secret -n clinical "$1" -o json \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); d["metadata"]={"name":sys.argv[1],"namespace":"ward"}; print(json.dumps(d))' "$2" \
    | kubectl apply -f -
}
copy kmip-server-ca kmip-server-ca
copy phi-db-kmip-client psm-kmip-client
sed -e 's/namespace: clinical/namespace: ward/' -e 's/name: phi-db$/name: psm/' -e 's/edition: Enterprise/edition: Percona/' \
    -e 's|version: 8.0.4|version: 8.0.12\n  image: percona/percona-server-mongodb:8.0.12-4|' \
    -e 's/secretName: phi-db-kmip-client/secretName: psm-kmip-client/' config/samples/hipaa_v1alpha1_hipaamongo_minimal.yaml \
  | kubectl apply -f -
kubectl wait -n ward hm/psm --for=condition=Ready --timeout=90s || echo "(not Ready yet: kubectl describe hm -n ward psm)"
kubectl get hm -n ward psm -o jsonpath='{range .status.members[*]}{.name}{"  kmipKeyId="}{.kmipKeyId}{"\n"}{end}'
