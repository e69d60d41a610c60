using System.Text.Json.Nodes;

namespace HipaaMongo.Benchmarks.Micro;

/// <summary>Inputs shaped like what the operator writes: a MongoDB StatefulSet and a patch of it.</summary>
internal static class Fixtures
{
    /// <summary>A three-member StatefulSet with two containers, env, ports, volumes and a claim template.</summary>
    public static JsonObject StatefulSet() => (JsonObject)JsonNode.Parse("""
    {
      "apiVersion": "apps/v1", "kind": "StatefulSet",
      "metadata": { "name": "db", "namespace": "prod", "labels": { "app": "db", "tier": "data" } },
      "spec": {
        "replicas": 3, "serviceName": "db-svc",
        "selector": { "matchLabels": { "app": "db" } },
        "template": {
          "metadata": { "labels": { "app": "db" }, "annotations": { "hm/config-hash": "abc123" } },
          "spec": {
            "containers": [
              { "name": "mongod", "image": "mongo:7.0.5",
                "args": ["--tlsMode", "requireTLS", "--auth"],
                "ports": [ { "name": "mongo", "containerPort": 27017, "protocol": "TCP" } ],
                "env": [ { "name": "A", "value": "1" }, { "name": "B", "value": "2" }, { "name": "C", "value": "3" } ],
                "resources": { "requests": { "cpu": "1", "memory": "2Gi" }, "limits": { "memory": "2Gi" } },
                "volumeMounts": [ { "name": "data", "mountPath": "/data/db" }, { "name": "tls", "mountPath": "/etc/tls" } ] },
              { "name": "audit-shipper", "image": "shipper:1.2",
                "volumeMounts": [ { "name": "audit", "mountPath": "/var/log/audit" } ] }
            ],
            "volumes": [
              { "name": "tls", "secret": { "secretName": "db-tls" } },
              { "name": "audit", "emptyDir": {} }
            ]
          }
        },
        "volumeClaimTemplates": [
          { "metadata": { "name": "data" },
            "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "10Gi" } } } }
        ]
      }
    }
    """)!;

    /// <summary>A strategic patch: bump one container's image, change one env var by merge key, add one.</summary>
    public static JsonObject ImageBumpPatch() => (JsonObject)JsonNode.Parse("""
    { "spec": { "template": { "spec": { "containers": [
        { "name": "mongod", "image": "mongo:7.0.6",
          "env": [ { "name": "B", "value": "20" }, { "name": "D", "value": "4" } ] } ] } } } }
    """)!;

    /// <summary>1,000 label maps: an app label on all, a tier cycling over four values, every 7th a canary.</summary>
    public static JsonObject[] LabelMaps(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var labels = new JsonObject { ["app"] = i % 2 == 0 ? "db" : "web", ["tier"] = "t" + (i % 4) };
            if (i % 7 == 0)
            {
                labels["canary"] = "true";
            }

            return labels;
        })];
}
