using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// The KubernetesClient endpoint map of doc §19, recorded by the server's audit trail: method, path, query and
/// Content-Type of the calls the operator makes, and sendInitialEvents of §10.
/// </summary>
public sealed class ClientContractTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Apply_and_status_apply_go_to_the_documented_endpoints_with_apply_patch_yaml()
    {
        var client = cluster.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "contract" } });
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"contract"},"data":{"k":"v"}}""";
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "a", "contract", fieldManager: "hipaa-mongo-operator", force: true);
        await client.CoreV1.ListNamespacedConfigMapAsync("contract", labelSelector: "x=y");

        var patch = cluster.Server.AuditTrail.Records.Last(r => r.Verb == "patch" && r.Namespace == "contract");
        Assert.Equal("PATCH", patch.Method);
        Assert.Equal("/api/v1/namespaces/contract/configmaps/a", patch.Path);
        Assert.Contains("fieldManager=hipaa-mongo-operator", patch.Query);
        Assert.Contains("force=true", patch.Query);
        Assert.StartsWith("application/apply-patch+yaml", patch.ContentType);
        Assert.Equal(201, patch.Code);
        Assert.StartsWith("kubernetes-csharp", patch.UserAgent);

        var list = cluster.Server.AuditTrail.Records.Last(r => r.Verb == "list" && r.Namespace == "contract");
        Assert.Equal("GET", list.Method);
        Assert.Contains("labelSelector=x%3Dy", list.Query);
    }

    [Fact]
    public async Task Send_initial_events_lists_then_marks_the_end_with_an_annotated_bookmark()
    {
        var client = cluster.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "initial" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "initial");
        using var http = RawHttp.Create(cluster.Server);
        var bad = await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/initial/configmaps?watch=true&sendInitialEvents=true&timeoutSeconds=1");
        Assert.Equal(422, bad.Code);

        using var stream = await http.GetStreamAsync("/api/v1/namespaces/initial/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=2");
        using var reader = new StreamReader(stream);
        var events = new List<JsonNode>();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(guard.Token) is { } line)
        {
            events.Add(JsonNode.Parse(line)!);
        }
        Assert.Equal("ADDED", (string?)events[0]["type"]);
        Assert.Equal("a", (string?)events[0]["object"]!["metadata"]!["name"]);
        Assert.Equal("BOOKMARK", (string?)events[1]["type"]);
        Assert.Equal("true", (string?)events[1]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }
}
