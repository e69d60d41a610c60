using System.Text.Json.Nodes;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// Tampers from an adversarial run against the pod template: each one is a field nobody listed, and each must be a
/// difference, because the privilege surface is compared whole.
/// </summary>
public sealed class PodSecurityComparisonTests
{
    private const string Rendered = """
        {"spec": {"template": {"spec": {
          "serviceAccountName": "phi-db",
          "automountServiceAccountToken": false,
          "securityContext": {"runAsNonRoot": true, "runAsUser": 999, "fsGroup": 999, "seccompProfile": {"type": "RuntimeDefault"}},
          "initContainers": [{"name": "config", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}],
          "containers": [{"name": "mongod", "image": "mongo", "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}}],
          "volumes": [{"name": "data", "emptyDir": {}}]
        }}}}
        """;

    public static TheoryData<string, string, string> Tampers() => new()
    {
        { "seLinuxOptions spc_t", "$.securityContext.seLinuxOptions", """{"type": "spc_t"}""" },
        { "appArmor Unconfined", "$.containers[0].securityContext.appArmorProfile", """{"type": "Unconfined"}""" },
        { "procMount Unmasked", "$.containers[0].securityContext.procMount", "\"Unmasked\"" },
        { "sysctls", "$.securityContext.sysctls", """[{"name": "kernel.shm_rmid_forced", "value": "0"}]""" },
        { "supplementalGroups root", "$.securityContext.supplementalGroups", "[0]" },
        { "capability added", "$.containers[0].securityContext.capabilities", """{"drop": ["ALL"], "add": ["SYS_ADMIN"]}""" },
        { "init container privileged", "$.initContainers[0].securityContext.privileged", "true" },
        { "runAsUser root", "$.securityContext.runAsUser", "0" },
        { "hostPID", "$.hostPID", "true" },
        { "hostUsers false", "$.hostUsers", "false" },
        { "shared process namespace", "$.shareProcessNamespace", "true" },
        { "service account token mounted", "$.automountServiceAccountToken", "true" },
        { "other service account", "$.serviceAccountName", "\"default\"" },
        { "hostPath volume", "$.volumes", """[{"name": "data", "hostPath": {"path": "/"}}]""" },
        { "container added", "$.containers", """[{"name": "mongod", "image": "mongo", "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}}, {"name": "shell", "image": "busybox"}]""" },
    };

    [Theory]
    [MemberData(nameof(Tampers))]
    public void A_tamper_nobody_listed_is_a_difference(string tamper, string path, string value)
    {
        var live = Parse(Rendered);
        Set(Pod(live), path, JsonNode.Parse(value));

        var differences = PodSecurityComparison.Differences(Parse(Rendered), live);

        Assert.True(differences.Count > 0, tamper);
        Assert.All(differences, d => Assert.StartsWith("spec.template.spec.", d, StringComparison.Ordinal));
    }

    [Fact]
    public void The_render_itself_and_an_empty_stored_pod_security_context_are_no_difference()
    {
        Assert.Empty(PodSecurityComparison.Differences(Parse(Rendered), Parse(Rendered)));

        var desired = Parse(Rendered);
        Pod(desired).Remove("securityContext");
        var live = Parse(Rendered);
        Pod(live)["securityContext"] = new JsonObject();
        Assert.Empty(PodSecurityComparison.Differences(desired, live));
    }

    [Fact]
    public void Fields_outside_the_privilege_surface_are_not_this_comparisons_business()
    {
        var live = Parse(Rendered);
        ((JsonObject)Pod(live)["containers"]![0]!)["image"] = "mongo:other";

        Assert.Empty(PodSecurityComparison.Differences(Parse(Rendered), live));
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static JsonObject Pod(JsonObject statefulSet) => (JsonObject)statefulSet["spec"]!["template"]!["spec"]!;

    // "$.a.b[0].c": a small path for the table, so each row reads as the kubectl edit a person made.
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path[2..].Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            node = Step(node, part);
        }

        var last = parts[^1];
        ((JsonObject)node)[last] = value;
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        var bracket = part.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return node[part] ?? (((JsonObject)node)[part] = new JsonObject());
        }

        var index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        return node[part[..bracket]]![index]!;
    }
}
