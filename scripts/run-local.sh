#!/usr/bin/env bash
# `make run`: the embedded LocalCluster with the HipaaMongo CRD and the minimal sample applied.
# It keeps running until Ctrl-C and prints the KUBECONFIG line to use from another shell.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${HM_RUN_STATE:-$PWD/.state/run}
mkdir -p "$state"
kc="$state/kubeconfig"
rm -f "$kc"

bin/local-cluster --kubeconfig "$kc" --simulate all >"$state/local-cluster.log" 2>&1 &
cluster=$!
trap 'kill $cluster 2>/dev/null; wait $cluster 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 100); do [ -s "$kc" ] && break; sleep 0.1; done
[ -s "$kc" ] || { echo "local-cluster did not start; see $state/local-cluster.log" >&2; exit 1; }
export KUBECONFIG="$kc"
for _ in $(seq 1 50); do kubectl version >/dev/null 2>&1 && break; sleep 0.2; done

echo "== installing the CRD"
kubectl apply --server-side -f config/crds/hipaa.mongooperator.io_hipaamongos.yaml
kubectl wait --for=condition=Established crd/hipaamongos.hipaa.mongooperator.io --timeout=20s
sample=$(ls config/samples/*minimal*.yaml | head -n 1)
ns=$(awk '/^  namespace:/{print $2; exit}' "$sample")
echo "== applying $sample (namespace ${ns:-default})"
[ -n "$ns" ] && printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" | kubectl apply -f -
kubectl apply -f "$sample"
echo "== kubectl get hm"
kubectl get hm -A -o wide
echo "== the desired state the operator renders for it (bin/hipaa-mongo render -f $sample | kubectl apply --dry-run=server)"
bin/hipaa-mongo render -f "$sample" | grep -E '^kind:' | sort | uniq -c
echo
echo "LocalCluster is running. From another shell:"
echo "  export KUBECONFIG=$kc"
echo "Ctrl-C to stop."
wait $cluster
