#!/usr/bin/env bash
# `make run`: the operator end to end on the embedded LocalCluster (with its cert-manager, StatefulSet and
# mongod-per-pod simulations). Applies the minimal sample, waits for the operator to act on it, prints
# `kubectl get hm` and `kubectl describe hm`, then keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${HM_RUN_STATE:-$PWD/.state/run}
mkdir -p "$state"
kc="$state/kubeconfig"
rm -f "$kc"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# The sample names a KMIP server CA and a KMIP client certificate that a real user brings. No KMIP server
# runs here yet (the mongod simulator reads the KMIP options but does not dial), so make stand-ins with openssl.
kmip_secrets() {
  local ns=$1 name=$2 dir="$state/kmip"
  mkdir -p "$dir"
  if [ ! -s "$dir/client.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=make-run KMIP CA" \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$name-kmip-client/OU=kmip-client" \
      -keyout "$dir/client.key" -out "$dir/client.csr" 2>/dev/null
    openssl x509 -req -in "$dir/client.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
      -out "$dir/client.crt" 2>/dev/null
  fi
  b64() { base64 -w0 < "$1"; }
  kubectl apply -f - <<YAML
apiVersion: v1
kind: Secret
metadata: {name: kmip-server-ca, namespace: $ns}
data: {ca.crt: $(b64 "$dir/ca.crt")}
---
apiVersion: v1
kind: Secret
metadata: {name: $name-kmip-client, namespace: $ns}
type: kubernetes.io/tls
data: {tls.crt: $(b64 "$dir/client.crt"), tls.key: $(b64 "$dir/client.key"), ca.crt: $(b64 "$dir/ca.crt")}
YAML
}

bin/local-cluster --kubeconfig "$kc" --simulate all >"$state/local-cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$kc" ] && break; sleep 0.1; done
[ -s "$kc" ] || { echo "local-cluster did not start; see $state/local-cluster.log" >&2; exit 1; }
export KUBECONFIG="$kc"
for _ in $(seq 1 50); do kubectl version >/dev/null 2>&1 && break; sleep 0.2; done

echo "== installing the CRD"
kubectl apply --server-side -f config/crds/hipaa.mongooperator.io_hipaamongos.yaml -f config/crds/hipaa.mongooperator.io_hipaamongousers.yaml
kubectl wait --for=condition=Established crd/hipaamongos.hipaa.mongooperator.io crd/hipaamongousers.hipaa.mongooperator.io --timeout=20s

echo "== starting the operator (log: $state/operator.log)"
bin/hipaa-mongo run --kubeconfig "$kc" --probe-address http://127.0.0.1:18081 --metrics-address http://127.0.0.1:18081 \
  >"$state/operator.log" 2>&1 &
pids+=($!)

sample=$(ls config/samples/*minimal*.yaml | head -n 1)
ns=$(awk '/^  namespace:/{print $2; exit}' "$sample")
name=$(awk '/^  name:/{print $2; exit}' "$sample")
echo "== applying $sample"
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" | kubectl apply -f -
kmip_secrets "$ns" "$name"
kubectl apply -f "$sample"
echo "== waiting for the operator to reconcile $ns/$name"
kubectl wait -n "$ns" "hm/$name" --for=jsonpath='{.status.observedGeneration}'=1 --timeout=60s || true
kubectl wait -n "$ns" "hm/$name" --for=condition=Ready --timeout=60s || \
  echo "(not Ready yet: see the conditions below)"
echo "== kubectl get hm -A -o wide"
kubectl get hm -A -o wide
echo "== kubectl get all,networkpolicy,certificate -n $ns"
kubectl get statefulset,pod,svc,networkpolicy,certificate -n "$ns"
echo "== kubectl describe hm -n $ns $name"
kubectl describe hm -n "$ns" "$name"
users=config/samples/users/hipaa_v1alpha1_hipaamongouser_physicians_billing.yaml
echo "== applying $users (physicians: readWrite on patients; billing: read)"
kubectl apply -f "$users"
kubectl wait -n "$ns" hmu --all --for=condition=Ready --timeout=120s || \
  echo "(users not Ready yet: kubectl describe hmu -n $ns)"
echo "== kubectl get hmu -n $ns"
kubectl get hmu -n "$ns"
echo
echo "The operator is running on LocalCluster. From another shell:"
echo "  export KUBECONFIG=$kc"
echo "  kubectl delete networkpolicy -n $ns $name-default-deny   # reverted within a second, with an Event"
echo "  scripts/member-shell.sh 1 -- --eval 'db.adminCommand({setParameter: 1, redactClientLogData: false})'"
echo "                                         # set back within one verification interval, with an Event"
echo "  bin/hipaa-mongo report $name -n $ns --format html -o report.html   # evidence (json|markdown|html)"
echo "Write a patient record as the physicians user (mongosh, its password and certificate from its Secrets),"
echo "delete a member, and read the record back as billing (who is refused a delete):"
echo "  scripts/user-shell.sh physicians -- --eval \"db.getSiblingDB('patients').records.insertOne({_id: 'mrn-1', name: 'Ada', allergies: 'penicillin'})\""
echo "  kubectl delete pod -n $ns $name-1"
echo "  scripts/user-shell.sh billing -- --eval \"db.getSiblingDB('patients').records.findOne({_id: 'mrn-1'})\""
echo "  scripts/user-shell.sh billing -- --eval \"db.getSiblingDB('patients').records.deleteOne({_id: 'mrn-1'})\"   # MongoServerError: not authorized"
echo "  kubectl annotate hmu -n $ns physicians hipaa.mongooperator.io/rotate=\$(date +%s)   # new password; the old one ends after 10m"
echo "Ctrl-C to stop."
wait "${pids[0]}"
