using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>The defaulting kube-apiserver applies to the built-in kinds (doc §14; pkg/apis/*/v1/defaults.go).</summary>
public static class BuiltinDefaults
{
    static int nextIp = 10;
    static readonly ResourceType ServiceType = BuiltinTypes.All.First(t => t.Kind == "Service");

    public static void Apply(ResourceType type, JsonObject obj, JsonObject? old, ObjectService service)
    {
        switch (type.Kind)
        {
            case "Namespace":
                Meta.Of(obj)["labels"] ??= new JsonObject();
                Meta.Of(obj)["labels"]!["kubernetes.io/metadata.name"] = Meta.Name(obj);
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] ??= new JsonObject { ["phase"] = "Active" };
                break;
            case "Secret":
                Secret(obj);
                break;
            case "Service":
                Service(obj, old);
                break;
            case "Pod":
                PodSpec(Obj(obj, "spec"));
                // SetDefaults_Pod (not SetDefaults_PodSpec): only a Pod gets enableServiceLinks, not a template.
                Obj(obj, "spec")["enableServiceLinks"] ??= true;
                obj["status"] ??= new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case "StatefulSet":
                StatefulSet(obj);
                break;
            case "NetworkPolicy":
                NetworkPolicy(obj);
                break;
            case "PersistentVolumeClaim":
                if (old is null)
                {
                    DefaultStorageClass(obj, service);
                }
                Obj(obj, "spec")["volumeMode"] ??= "Filesystem";
                CanonicalQuantities(obj["spec"]?["resources"]);
                obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
                break;
            case "PersistentVolume":
                PersistentVolume(obj);
                break;
            case "StorageClass":
                // pkg/apis/storage/v1/defaults.go SetDefaults_StorageClass.
                obj["reclaimPolicy"] ??= "Delete";
                obj["volumeBindingMode"] ??= "Immediate";
                break;
            case "PodDisruptionBudget":
                obj["status"] ??= new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };
                break;
            default:
                break;
        }
    }

    static JsonObject Obj(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o)
        {
            return o;
        }
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    static void Secret(JsonObject obj)
    {
        obj["type"] ??= "Opaque";
        if (obj["stringData"] is JsonObject sd)
        {
            var data = Obj(obj, "data");
            foreach (var (k, v) in sd)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Meta.Str(v) ?? ""));
            }
            obj.Remove("stringData");
        }
    }

    static void Service(JsonObject obj, JsonObject? old)
    {
        var spec = Obj(obj, "spec");
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        spec["internalTrafficPolicy"] ??= "Cluster";
        foreach (var p in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            p["protocol"] ??= "TCP";
            p["targetPort"] ??= p["port"]?.DeepClone();
        }
        var oldIp = Meta.Str(old?["spec"]?["clusterIP"]);
        if (oldIp is not null && Meta.Str(spec["clusterIP"]) is { Length: > 0 } newIp && newIp != oldIp)
        {
            // Service validation (ValidateServiceUpdate): the allocated address is fixed for the Service's life.
            var shown = spec["clusterIPs"] is JsonArray ips ? ips.ToJsonString() : $"[\"{newIp}\"]";
            throw StatusException.Invalid(ServiceType, Meta.Name(obj) ?? "", [new FieldError("spec.clusterIPs[0]", "FieldValueInvalid", $"Invalid value: {shown}: may not change once set")]);
        }
        if (Meta.Str(spec["clusterIP"]) is null or "")
        {
            spec["clusterIP"] = oldIp ?? $"10.96.{Interlocked.Increment(ref nextIp) / 250}.{nextIp % 250 + 1}";
        }
        var ip = Meta.Str(spec["clusterIP"]);
        spec["clusterIPs"] ??= new JsonArray(ip);
        var headless = ip == "None";
        spec["ipFamilyPolicy"] ??= headless && spec["selector"] is null ? "RequireDualStack" : "SingleStack";
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        obj["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    static void NetworkPolicy(JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        if (spec["policyTypes"] is null)
        {
            var types = new JsonArray("Ingress");
            if (spec["egress"] is not null)
            {
                types.Add("Egress");
            }
            spec["policyTypes"] = types;
        }
        foreach (var rule in (spec["ingress"] as JsonArray ?? []).Concat(spec["egress"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var p in (rule["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                p["protocol"] ??= "TCP";
            }
        }
    }

    static void StatefulSet(JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        // pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet: a type left empty becomes RollingUpdate with an empty
        // rollingUpdate; a RollingUpdate that has a rollingUpdate gets partition 0 (one without it stays without).
        spec["replicas"] ??= 1;
        spec["podManagementPolicy"] ??= "OrderedReady";
        var strategy = Obj(spec, "updateStrategy");
        if (Meta.Str(strategy["type"]) is null or "")
        {
            strategy["type"] = "RollingUpdate";
            strategy["rollingUpdate"] ??= new JsonObject();
        }
        if (Meta.Str(strategy["type"]) == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject rolling)
        {
            rolling["partition"] ??= 0;
        }
        spec["revisionHistoryLimit"] ??= 10;
        var retention = Obj(spec, "persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
        var template = Obj(spec, "template");
        Obj(template, "metadata")["creationTimestamp"] = null;
        PodSpec(Obj(template, "spec"));
        foreach (var vct in (spec["volumeClaimTemplates"] as JsonArray ?? []).OfType<JsonObject>())
        {
            vct["apiVersion"] ??= "v1";
            vct["kind"] ??= "PersistentVolumeClaim";
            Obj(vct, "spec")["volumeMode"] ??= "Filesystem";
            CanonicalQuantities(vct["spec"]?["resources"]);
            vct["status"] ??= new JsonObject { ["phase"] = "Pending" };
        }
        obj["status"] ??= new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 };
    }

    static void PodSpec(JsonObject spec)
    {
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["restartPolicy"] ??= "Always";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        spec["terminationGracePeriodSeconds"] ??= 30;
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var c in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                Container(c);
            }
        }
        foreach (var v in (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var src in new[] { "secret", "configMap", "projected", "downwardAPI" })
            {
                if (v[src] is JsonObject s)
                {
                    s["defaultMode"] ??= 420;
                }
            }
            if (v.Count == 1)
            {
                v["emptyDir"] = new JsonObject();
            }
            if (v["hostPath"] is JsonObject hostPath)
            {
                hostPath["type"] ??= ""; // SetDefaults_HostPathVolumeSource: HostPathUnset
            }
            foreach (var source in (v["projected"]?["sources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (source["serviceAccountToken"] is JsonObject token)
                {
                    token["expirationSeconds"] ??= 3600; // SetDefaults_ServiceAccountTokenProjection: one hour
                }
                FieldRefs(source["downwardAPI"]?["items"]);
            }
            FieldRefs(v["downwardAPI"]?["items"]);
        }
    }

    static void Container(JsonObject c)
    {
        var image = Meta.Str(c["image"]) ?? "";
        var tagged = image.Contains(':', StringComparison.Ordinal) && !image.EndsWith(":latest", StringComparison.Ordinal)
            && image.LastIndexOf(':') > image.LastIndexOf('/');
        c["imagePullPolicy"] ??= tagged || image.Contains('@', StringComparison.Ordinal) ? "IfNotPresent" : "Always";
        c["terminationMessagePath"] ??= "/dev/termination-log";
        c["terminationMessagePolicy"] ??= "File";
        c["resources"] ??= new JsonObject();
        CanonicalQuantities(c["resources"]);
        foreach (var p in (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            p["protocol"] ??= "TCP";
        }
        foreach (var e in (c["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (e["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (c[probe] is JsonObject p)
            {
                p["timeoutSeconds"] ??= 1;
                p["periodSeconds"] ??= 10;
                p["successThreshold"] ??= 1;
                p["failureThreshold"] ??= 3;
                if (p["httpGet"] is JsonObject h)
                {
                    h["path"] ??= "/";
                    h["scheme"] ??= "HTTP";
                }
            }
        }
    }

    /// <summary>SetDefaults_ObjectFieldSelector: a fieldRef's apiVersion is v1 when left empty.</summary>
    static void FieldRefs(JsonNode? items)
    {
        foreach (var item in (items as JsonArray ?? []).OfType<JsonObject>())
        {
            if (item["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }
    }

    /// <summary>
    /// The DefaultStorageClass admission plugin (plugin/pkg/admission/storage/storageclass/setdefault, on by default):
    /// a new claim with no storageClassName (absent, not "") gets the default class; with several defaults, the newest.
    /// </summary>
    static void DefaultStorageClass(JsonObject pvc, ObjectService service)
    {
        var spec = Obj(pvc, "spec");
        if (spec.ContainsKey("storageClassName") && spec["storageClassName"] is not null)
        {
            return;
        }
        var chosen = service.Store.List("storage.k8s.io/storageclasses", null)
            .Where(sc => Meta.Str(sc["metadata"]?["annotations"]?["storageclass.kubernetes.io/is-default-class"]) == "true"
                || Meta.Str(sc["metadata"]?["annotations"]?["storageclass.beta.kubernetes.io/is-default-class"]) == "true")
            .OrderByDescending(sc => Meta.Str(sc["metadata"]?["creationTimestamp"]), StringComparer.Ordinal)
            .ThenBy(sc => Meta.Name(sc), StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is not null)
        {
            spec["storageClassName"] = Meta.Name(chosen);
        }
    }

    /// <summary>pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume (reclaim Retain, Filesystem, phase Pending).</summary>
    static void PersistentVolume(JsonObject obj)
    {
        var spec = Obj(obj, "spec");
        spec["persistentVolumeReclaimPolicy"] ??= "Retain";
        spec["volumeMode"] ??= "Filesystem";
        if (spec["capacity"] is JsonObject capacity)
        {
            foreach (var (k, v) in capacity.ToList())
            {
                if (v is JsonValue jv && HipaaMongo.ApiMachinery.Quantity.TryCanonicalize(jv.ToString(), out var canonical))
                {
                    capacity[k] = canonical;
                }
            }
        }
        obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
    }

    /// <summary>Quantities in requests/limits are stored canonically (1000m → 1, 1024Mi → 1Gi), as resource.Quantity does.</summary>
    static void CanonicalQuantities(JsonNode? resources)
    {
        foreach (var section in new[] { "requests", "limits" })
        {
            if (resources?[section] is not JsonObject values)
            {
                continue;
            }
            foreach (var (k, v) in values.ToList())
            {
                var text = v is JsonValue jv ? jv.ToString() : null;
                if (text is not null && HipaaMongo.ApiMachinery.Quantity.TryCanonicalize(text, out var canonical))
                {
                    values[k] = canonical;
                }
            }
        }
    }

    /// <summary>Only some StatefulSet spec fields may change (apps validation ValidateStatefulSetUpdate).</summary>
    public static void CheckStatefulSetImmutable(ResourceType type, JsonObject obj, JsonObject old)
    {
        static JsonObject Frozen(JsonObject o)
        {
            var spec = o["spec"]?.DeepClone().AsObject() ?? [];
            foreach (var k in new[] { "replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds" })
            {
                spec.Remove(k);
            }
            return spec;
        }
        if (!JsonNode.DeepEquals(Frozen(obj), Frozen(old)))
        {
            throw StatusException.Invalid(type, Meta.Name(obj)!, [new FieldError("spec", "FieldValueForbidden",
                "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]);
        }
    }
}
