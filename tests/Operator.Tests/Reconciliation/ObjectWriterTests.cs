using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>ObjectWriter against an in-process LocalCluster: what a write does when the cache was stale.</summary>
public sealed class ObjectWriterTests
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");

    [Fact]
    public async Task A_replace_of_an_object_deleted_since_the_cache_saw_it_creates_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), ct);
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "clinical" } }, cancellationToken: ct);
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Map("before"), "clinical", cancellationToken: ct);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("phi-db-config", "clinical", cancellationToken: ct);

        var desired = JsonNode.Parse(KubernetesJson.Serialize(Map("after")))!.AsObject();
        await new ObjectWriter(client).ReplaceAsync(ConfigMaps, desired, created.Metadata.ResourceVersion, ct);

        var live = await client.CoreV1.ReadNamespacedConfigMapAsync("phi-db-config", "clinical", cancellationToken: ct);
        Assert.Equal("after", live.Data["mongod.conf"]);
    }

    [Fact]
    public async Task A_replace_over_a_changed_object_is_still_a_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), ct);
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "clinical" } }, cancellationToken: ct);
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Map("before"), "clinical", cancellationToken: ct);
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(Map("other"), "phi-db-config", "clinical", cancellationToken: ct);

        var desired = JsonNode.Parse(KubernetesJson.Serialize(Map("after")))!.AsObject();
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() =>
            new ObjectWriter(client).ReplaceAsync(ConfigMaps, desired, created.Metadata.ResourceVersion, ct));
        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
    }

    private static V1ConfigMap Map(string conf) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "phi-db-config", NamespaceProperty = "clinical" },
        Data = new Dictionary<string, string> { ["mongod.conf"] = conf },
    };
}
