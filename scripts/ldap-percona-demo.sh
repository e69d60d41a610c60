#!/usr/bin/env bash
# ldap-percona-demo.sh: with `make run` up (KUBECONFIG set as it prints), applies the Percona LDAP sample's directory
# settings to a small Percona Server for MongoDB 8.0.12-4 set, HipaaMongo ehr/records, whose directory is the slapd
# make run started (ldap.directory.svc.cluster.local, LDAPS). KMIP is the same PyKMIP server as the minimal sample's.
# The operator then creates the admin role of each groupRoleMappings group (cn=phi-readers,... inheriting
# read@patients) and keeps it as declared; scripts/ldap-shell.sh logs a directory user in.
# The query user's password goes into Secret ehr/ldap-bind from make run's state directory, never onto a command line.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG as make run prints it}"
state=${HM_RUN_STATE:-$PWD/.state/run}
[[ -s "$state/ldap/ca.crt" && -s "$state/ldap/passwords/mongodb-query" ]] || { echo "ldap-percona-demo: no directory in $state/ldap: is make run up?" >&2; exit 1; }
ns=ehr name=records
kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
copy() { # copy SECRET from clinical to $ns as NAME
  kubectl get secret -n clinical "$1" -o json \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); d["metadata"]={"name":sys.argv[1],"namespace":sys.argv[2]}; print(json.dumps(d))' "$2" "$ns" \
    | kubectl apply -f - >/dev/null
}
copy kmip-server-ca kmip-server-ca
copy phi-db-kmip-client "$name-kmip-client"
kubectl create secret generic ldap-ca -n "$ns" --from-file=ca.crt="$state/ldap/ca.crt" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl create secret generic ldap-bind -n "$ns" --from-file=password="$state/ldap/passwords/mongodb-query" --dry-run=client -o yaml \
  | kubectl apply -f - >/dev/null
kubectl apply -f - <<YAML
apiVersion: hipaa.mongooperator.io/v1alpha1
kind: HipaaMongo
metadata:
  name: $name
  namespace: $ns
spec:
  edition: Percona
  version: 8.0.12
  image: percona/percona-server-mongodb:8.0.12-4
  storage:
    size: 10Gi
  encryption:
    kmip:
      servers:
        - kmip.security.svc.cluster.local:5696
      serverCaSecretRef: {name: kmip-server-ca, key: ca.crt}
      clientCertificate: {secretName: $name-kmip-client}
  ldap:
    servers:
      - ldaps://ldap.directory.svc.cluster.local:636
    transportSecurity: LDAPS
    bindDn: cn=mongodb-query,ou=services,dc=example,dc=org
    bindPasswordSecretRef: {name: ldap-bind, key: password}
    caSecretRef: {name: ldap-ca, key: ca.crt}
    userToDnMapping:
      - match: (.+)
        substitution: uid={0},ou=people,dc=example,dc=org
    # slapd keeps membership on the groups (groupOfNames member), so the groups are searched for the user's DN.
    authzQueryTemplate: "ou=groups,dc=example,dc=org??one?(&(objectClass=groupOfNames)(member={USER}))"
    groupRoleMappings:
      - group: cn=phi-readers,ou=groups,dc=example,dc=org
        roles:
          - {role: read, db: patients}
YAML
kubectl wait -n "$ns" "hm/$name" --for=condition=Ready --timeout=120s || echo "(not Ready yet: kubectl describe hm -n $ns $name)"
kubectl get hm -n "$ns" "$name"
kubectl get events -n "$ns" --field-selector reason=LdapGroupRoleCreated -o custom-columns=REASON:.reason,MESSAGE:.message 2>/dev/null || true
echo "Log a directory user in:  scripts/ldap-shell.sh alice    (bob: no group, no role; a wrong password is refused)"
