using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// Pure: compares the privilege surface of a live StatefulSet pod template with the rendered one WHOLE, so a field
/// nobody listed (seLinuxOptions, appArmorProfile, procMount, sysctls, supplementalGroups, a capability) is a
/// difference too. Compared: the pod securityContext and every container's and init container's securityContext
/// as whole objects; hostNetwork, hostPID, hostIPC, hostUsers, shareProcessNamespace; serviceAccountName and
/// automountServiceAccountToken; hostPath volumes. The API server defaults none of these beyond an empty pod
/// securityContext (k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_PodSpec), which equals an absent one here.
/// </summary>
public static class PodSecurityComparison
{
    private static readonly string[] PodFields =
        ["hostNetwork", "hostPID", "hostIPC", "hostUsers", "shareProcessNamespace", "serviceAccountName", "automountServiceAccountToken"];

    /// <summary>One sentence per difference, e.g. "spec.template.spec.securityContext differs from the render".</summary>
    public static IReadOnlyList<string> Differences(JsonObject desiredStatefulSet, JsonObject liveStatefulSet)
    {
        ArgumentNullException.ThrowIfNull(desiredStatefulSet);
        ArgumentNullException.ThrowIfNull(liveStatefulSet);
        var desired = PodSpec(desiredStatefulSet);
        var live = PodSpec(liveStatefulSet);
        return
        [
            .. Whole("spec.template.spec.securityContext", desired["securityContext"], live["securityContext"]),
            .. PodFields.SelectMany(f => Whole($"spec.template.spec.{f}", desired[f], live[f])),
            .. Containers("containers", desired, live),
            .. Containers("initContainers", desired, live),
            .. HostPathVolumes(live),
        ];
    }

    private static JsonObject PodSpec(JsonObject statefulSet) =>
        statefulSet["spec"]?["template"]?["spec"] as JsonObject ?? [];

    private static IEnumerable<string> Containers(string list, JsonObject desired, JsonObject live)
    {
        var rendered = ByName(desired[list]);
        foreach (var (name, container) in ByName(live[list]))
        {
            var path = $"spec.template.spec.{list}[{name}]";
            if (!rendered.TryGetValue(name, out var expected))
            {
                yield return $"{path} is not rendered";
                continue;
            }

            foreach (var difference in Whole($"{path}.securityContext", expected["securityContext"], container["securityContext"]))
            {
                yield return difference;
            }
        }
    }

    private static IEnumerable<string> HostPathVolumes(JsonObject live) =>
        (live["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["hostPath"] is not null)
            .Select(v => $"spec.template.spec.volumes[{v["name"]?.ToString()}] mounts a hostPath");

    private static Dictionary<string, JsonObject> ByName(JsonNode? list) =>
        (list as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["name"] is JsonValue)
            .GroupBy(c => c["name"]!.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    // Values are never quoted: a securityContext holds no secret, but the sentence only needs the path.
    private static IEnumerable<string> Whole(string path, JsonNode? desired, JsonNode? live) =>
        JsonNode.DeepEquals(Normal(desired), Normal(live)) ? [] : [$"{path} differs from the render"];

    // An empty object is what the API server stores for an absent pod securityContext.
    private static JsonNode? Normal(JsonNode? node) => node is JsonObject { Count: 0 } ? null : node;
}
