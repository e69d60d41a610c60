using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Weakening settings we never render, so the subset comparison cannot see them: host namespaces,
/// host ports, added capabilities, a shared process namespace. Found on the live pod template of a
/// container we render (an added container is reported once, as ContainerAdded).
/// </summary>
internal static class PodSecurityGuard
{
    private static readonly string[] HostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];

    public static IEnumerable<(Difference Difference, DriftClass Class)> Check(JsonObject desired, JsonObject live)
    {
        string[] podPath = ["spec", "template", "spec"];
        if (Walk(desired, podPath) is not JsonObject desiredPod || Walk(live, podPath) is not JsonObject livePod)
        {
            return [];
        }

        return HostFlags(desiredPod, livePod, podPath)
            .Concat(Containers(desiredPod, livePod, podPath));
    }

    private static IEnumerable<(Difference, DriftClass)> HostFlags(JsonObject desired, JsonObject live, string[] podPath)
    {
        foreach (var flag in HostNamespaces)
        {
            if (IsTrue(live[flag]) && !IsTrue(desired[flag]))
            {
                yield return (Added([.. podPath, flag], live[flag]), DriftClass.HostNamespace);
            }
        }

        if (IsTrue(live["shareProcessNamespace"]) && !IsTrue(desired["shareProcessNamespace"]))
        {
            yield return (Added([.. podPath, "shareProcessNamespace"], live["shareProcessNamespace"]), DriftClass.SecurityContextWeakened);
        }
    }

    private static IEnumerable<(Difference, DriftClass)> Containers(JsonObject desiredPod, JsonObject livePod, string[] podPath)
    {
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (livePod[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = container["name"]?.ToString() ?? "";
                var desired = (desiredPod[list] as JsonArray ?? []).OfType<JsonObject>()
                    .FirstOrDefault(c => c["name"]?.ToString() == name);
                if (desired is null)
                {
                    continue;
                }

                string[] at = [.. podPath, list, FieldPath.Element("name", name)];
                foreach (var finding in Container(desired, container, at))
                {
                    yield return finding;
                }
            }
        }
    }

    private static IEnumerable<(Difference, DriftClass)> Container(JsonObject desired, JsonObject live, string[] at)
    {
        var added = live["securityContext"]?["capabilities"]?["add"];
        if (added is JsonArray { Count: > 0 } && desired["securityContext"]?["capabilities"]?["add"] is null)
        {
            yield return (Added([.. at, "securityContext", "capabilities", "add"], added), DriftClass.SecurityContextWeakened);
        }

        foreach (var port in (live["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (port["hostPort"] is JsonValue hostPort && hostPort.ToString() != "0")
            {
                var element = FieldPath.Element("containerPort", port["containerPort"]?.ToString() ?? "");
                yield return (Added([.. at, "ports", element, "hostPort"], hostPort), DriftClass.HostNamespace);
            }
        }
    }

    private static Difference Added(string[] path, JsonNode? found) => new(path, null, found, DriftChange.Added);

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static JsonNode? Walk(JsonNode? node, IEnumerable<string> path) =>
        path.Aggregate(node, (n, segment) => n?[segment]);
}
