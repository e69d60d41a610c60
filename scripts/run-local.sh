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

# The sample names a KMIP server (kmip.security.svc.cluster.local:5696), its CA and a KMIP client certificate that
# a real user brings. Here a real PyKMIP server (Debian's python3-pykmip, installed by scripts/install-pykmip.sh)
# plays that server: a test CA, a server certificate for that name (ECDSA P-256, which steers PyKMIP to an
# ECDHE-ECDSA-AES-GCM suite, docs/kmip.md) and a client certificate with extendedKeyUsage clientAuth (PyKMIP
# requires it). local-cluster --kmip makes the name reach it, so each member obtains its master key over KMIP.
kmip_name=kmip.security.svc.cluster.local
kmip_pki() {
  local dir="$state/kmip" name=$1
  mkdir -p "$dir"
  # Kept between runs only when whole: an earlier make run left a CA and a client certificate but no server one.
  local f whole=1
  for f in ca.crt ca.key server.crt server.key client.crt client.key; do [ -s "$dir/$f" ] || whole=0; done
  [ "$whole" = 1 ] && return 0
  ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
  ec "$dir/ca.key"; ec "$dir/server.key"; ec "$dir/client.key"
  openssl req -x509 -new -key "$dir/ca.key" -days 30 -subj "/CN=make-run KMIP CA" -out "$dir/ca.crt" 2>/dev/null
  openssl req -new -key "$dir/server.key" -subj "/CN=$kmip_name" -out "$dir/server.csr" 2>/dev/null
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$kmip_name") \
    -out "$dir/server.crt" 2>/dev/null
  openssl req -new -key "$dir/client.key" -subj "/CN=$name-kmip-client/OU=kmip-client" -out "$dir/client.csr" 2>/dev/null
  openssl x509 -req -in "$dir/client.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf 'extendedKeyUsage=clientAuth\n') -out "$dir/client.crt" 2>/dev/null
}

kmip_secrets() {
  local ns=$1 name=$2 dir="$state/kmip"
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

# A free loopback port for PyKMIP; it runs in its own process group (setsid) so stopping it also stops the policy
# monitor it forks; SIGINT leaves its accept loop at once (SIGTERM waits for a 10 s timeout, docs/kmip.md).
kmip_pid=""
stop_kmip() {
  [ -n "$kmip_pid" ] || return 0
  kill -INT -- "-$kmip_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$kmip_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$kmip_pid" 2>/dev/null || true
}
# The Percona LDAP demo (scripts/ldap-percona-demo.sh) names a directory ldap.directory.svc.cluster.local:636. Here
# Debian's slapd (scripts/slapd-server.sh, LDAPS only, installed by scripts/install-slapd.sh) plays it: a test CA and
# a server certificate for that name, a query user, three people and two groups (groupOfNames under ou=groups):
# alice in phi-readers, carol in billing, bob in none. Passwords are generated once per state directory and kept in
# $state/ldap/passwords (0600); scripts/ldap-shell.sh reads them from there. local-cluster --ldap makes the name
# reach it, so members validate the query user at start-up and bind each PLAIN login to it, as mongod does.
ldap_name=ldap.directory.svc.cluster.local
ldap_suffix=dc=example,dc=org
ldap_pki() {
  local dir="$state/ldap" f whole=1
  mkdir -p "$dir/passwords"
  chmod 700 "$dir/passwords"
  for f in ca.crt ca.key server.crt server.key; do [ -s "$dir/$f" ] || whole=0; done
  if [ "$whole" = 0 ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/server.key" 2>/dev/null
    openssl req -x509 -new -key "$dir/ca.key" -days 30 -subj "/CN=make-run LDAP CA" -out "$dir/ca.crt" 2>/dev/null
    openssl req -new -key "$dir/server.key" -subj "/CN=$ldap_name" -out "$dir/server.csr" 2>/dev/null
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
      -extfile <(printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "$ldap_name") \
      -out "$dir/server.crt" 2>/dev/null
  fi
  for f in mongodb-query alice bob carol; do
    [ -s "$dir/passwords/$f" ] || (umask 077; openssl rand -hex 12 >"$dir/passwords/$f")
  done
  person() { printf 'dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nuserPassword: %s\n\n' \
    "$1" "$ldap_suffix" "$1" "$1" "$1" "$(cat "$dir/passwords/$1")"; }
  (umask 077; {
    printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n' "$ldap_suffix"
    for ou in people groups services; do printf 'dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$ldap_suffix" "$ou"; done
    printf 'dn: cn=mongodb-query,ou=services,%s\nobjectClass: inetOrgPerson\ncn: mongodb-query\nsn: query\nuserPassword: %s\n\n' \
      "$ldap_suffix" "$(cat "$dir/passwords/mongodb-query")"
    person alice; person bob; person carol
    printf 'dn: cn=phi-readers,ou=groups,%s\nobjectClass: groupOfNames\ncn: phi-readers\nmember: uid=alice,ou=people,%s\n\n' "$ldap_suffix" "$ldap_suffix"
    printf 'dn: cn=billing,ou=groups,%s\nobjectClass: groupOfNames\ncn: billing\nmember: uid=carol,ou=people,%s\n\n' "$ldap_suffix" "$ldap_suffix"
  } >"$dir/data.ldif")
  rm -rf "$dir/db" # the directory is loaded afresh from data.ldif (slapd-server.sh runs slapadd into an empty db)
}
ldap_pid=""
stop_ldap() { [ -n "$ldap_pid" ] && kill -TERM "$ldap_pid" 2>/dev/null || true; }

sample=$(ls config/samples/*minimal*.yaml | head -n 1)
ns=$(awk '/^  namespace:/{print $2; exit}' "$sample")
name=$(awk '/^  name:/{print $2; exit}' "$sample")
bash scripts/install-pykmip.sh >/dev/null
kmip_pki "$name"
kmip_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rm -f "$state/kmip/pykmip.db"
setsid bash scripts/pykmip-server.sh "$state/kmip" "$kmip_port" >"$state/pykmip.out" 2>&1 &
kmip_pid=$!
trap 'stop_kmip; stop_ldap; cleanup' EXIT INT TERM
bash scripts/install-slapd.sh >/dev/null
ldap_pki
ldap_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bash scripts/slapd-server.sh "$state/ldap" "$ldap_port" >"$state/slapd.out" 2>&1 &
ldap_pid=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$kmip_port") 2>/dev/null && break; sleep 0.2; done
(exec 3<>"/dev/tcp/127.0.0.1/$kmip_port") 2>/dev/null || { echo "pykmip-server did not start; see $state/kmip/server.log" >&2; exit 1; }
echo "== PyKMIP serving $kmip_name on 127.0.0.1:$kmip_port (log: $state/kmip/server.log)"
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$ldap_port") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$ldap_port") 2>/dev/null || { echo "slapd did not start; see $state/slapd.out" >&2; exit 1; }
echo "== slapd serving $ldap_name on ldaps://127.0.0.1:$ldap_port (users alice, bob, carol; groups phi-readers, billing)"

bin/local-cluster --kubeconfig "$kc" --simulate all --kmip "$kmip_name=127.0.0.1:$kmip_port" --ldap "$ldap_name=127.0.0.1:$ldap_port" >"$state/local-cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$kc" ] && break; sleep 0.1; done
[ -s "$kc" ] || { echo "local-cluster did not start; see $state/local-cluster.log" >&2; exit 1; }
export KUBECONFIG="$kc"
for _ in $(seq 1 50); do kubectl version >/dev/null 2>&1 && break; sleep 0.2; done

echo "== installing the CRD"
kubectl apply --server-side -f config/crds/hipaa.mongooperator.io_hipaamongos.yaml -f config/crds/hipaa.mongooperator.io_hipaamongousers.yaml
kubectl wait --for=condition=Established crd/hipaamongos.hipaa.mongooperator.io crd/hipaamongousers.hipaa.mongooperator.io --timeout=20s

echo "== starting the operator (log: $state/operator.log)"
# --kmip-address: the operator's own KMIP probe (key state, reachability) reaches the service name as the members do.
bin/hipaa-mongo run --kubeconfig "$kc" --probe-address http://127.0.0.1:18081 --metrics-address https://127.0.0.1:18443 \
  --kmip-address "$kmip_name=127.0.0.1:$kmip_port" --ldap-address "$ldap_name=127.0.0.1:$ldap_port" >"$state/operator.log" 2>&1 &
pids+=($!)

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
echo "  scripts/kmip-percona-demo.sh             # a Percona set whose members report their KMIP key ids (describe hm -n ward psm)"
echo "  scripts/ldap-percona-demo.sh             # a Percona set with LDAP against this slapd (hm -n ehr records); the operator"
echo "                                           # creates the group roles of spec.ldap.groupRoleMappings (describe hm -n ehr records)"
echo "  scripts/ldap-shell.sh alice              # log a directory user in with mongosh (PLAIN); prints connectionStatus: alice"
echo "                                           # holds cn=phi-readers,... and read@patients, nothing else; bob holds no role"
echo "  kill -TERM $ldap_pid                        # stop slapd: directory logins are refused, the operator's x.509 identity keeps working"
echo "  kill -INT -- -$kmip_pid                  # stop PyKMIP: running members keep running; a member that must start refuses,"
echo "                                           # with mongod's reason in kubectl describe pod (try: kubectl delete pod -n ward psm-2)"
echo "Write a patient record as the physicians user (mongosh, its password and certificate from its Secrets),"
echo "delete a member, and read the record back as billing (who is refused a delete):"
echo "  scripts/user-shell.sh physicians -- --eval \"db.getSiblingDB('patients').records.insertOne({_id: 'mrn-1', name: 'Ada', allergies: 'penicillin'})\""
echo "  kubectl delete pod -n $ns $name-1"
echo "  scripts/user-shell.sh billing -- --eval \"db.getSiblingDB('patients').records.findOne({_id: 'mrn-1'})\""
echo "  scripts/user-shell.sh billing -- --eval \"db.getSiblingDB('patients').records.deleteOne({_id: 'mrn-1'})\"   # MongoServerError: not authorized"
echo "  kubectl annotate hmu -n $ns physicians hipaa.mongooperator.io/rotate=\$(date +%s)   # new password; the old one ends after 10m"
echo "Ctrl-C to stop."
wait "${pids[0]}"
