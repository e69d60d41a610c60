using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// limit/continue (kubernetes.io/docs/reference/using-api/api-concepts, "Retrieving large results sets in chunks";
/// apiserver etcd3 store GetList): pages in key order, an opaque continue token, remainingItemCount without selectors,
/// and 410 Expired with a fresh token once the first page's resourceVersion is compacted.
/// </summary>
public sealed class PaginationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    const string TooOld = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    async Task<string> SeedAsync(string ns, int count)
    {
        await cluster.Kubectl.ApplyAsync(Manifests.Namespace(ns));
        await cluster.Kubectl.ApplyAsync(string.Join("\n---\n", Enumerable.Range(1, count).Select(i => Manifests.ConfigMap(ns, $"cm-{i:D2}"))));
        return ns;
    }

    static List<string> Names(JsonNode? list) => [.. list!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!)];

    [Fact]
    public async Task Pages_follow_the_continue_token_with_remaining_counts()
    {
        var ns = await SeedAsync("pages", 7);
        using var http = RawHttp.Create(cluster.Server);
        var (code, first) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=3");
        Assert.Equal(200, code);
        Assert.Equal(["cm-01", "cm-02", "cm-03"], Names(first));
        Assert.Equal(4, (long?)first!["metadata"]!["remainingItemCount"]);
        var rv = (string?)first["metadata"]!["resourceVersion"];

        var token = Uri.EscapeDataString((string)first["metadata"]!["continue"]!);
        var (_, second) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=3&continue={token}");
        Assert.Equal(["cm-04", "cm-05", "cm-06"], Names(second));
        Assert.Equal(1, (long?)second!["metadata"]!["remainingItemCount"]);
        Assert.Equal(rv, (string?)second["metadata"]!["resourceVersion"]);

        token = Uri.EscapeDataString((string)second["metadata"]!["continue"]!);
        var (_, last) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=3&continue={token}");
        Assert.Equal(["cm-07"], Names(last));
        Assert.Null(last!["metadata"]!["continue"]);
        Assert.Null(last["metadata"]!["remainingItemCount"]);
    }

    [Fact]
    public async Task Selectors_page_without_a_remaining_count()
    {
        var ns = await SeedAsync("selected", 4);
        using var http = RawHttp.Create(cluster.Server);
        var (_, page) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=2&fieldSelector=metadata.name!%3Dcm-01");
        Assert.Equal(["cm-02", "cm-03"], Names(page));
        Assert.NotNull(page!["metadata"]!["continue"]);
        Assert.Null(page["metadata"]!["remainingItemCount"]);
    }

    [Fact]
    public async Task A_compacted_token_is_410_expired_with_an_inconsistent_token_that_still_works()
    {
        var ns = await SeedAsync("expired", 4);
        using var http = RawHttp.Create(cluster.Server);
        var (_, first) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=2");
        await cluster.Kubectl.ApplyAsync(Manifests.ConfigMap(ns, "cm-99"));
        cluster.Server.Compact();

        var token = Uri.EscapeDataString((string)first!["metadata"]!["continue"]!);
        var (code, status) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=2&continue={token}");
        Assert.Equal(410, code);
        Assert.Equal("Expired", (string?)status!["reason"]);
        Assert.Equal(TooOld, (string?)status["message"]);
        var fresh = Uri.EscapeDataString((string)status["metadata"]!["continue"]!);

        var (_, rest) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?continue={fresh}");
        Assert.Equal(["cm-03", "cm-04", "cm-99"], Names(rest));
    }

    [Theory]
    [InlineData("continue=not-a-token", "invalid continue token: continue key is not valid")]
    [InlineData("continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Miwic3RhcnQiOiJhL2JcdTAwMDAifQ&resourceVersion=5", "specifying resource version is not allowed when using continue")]
    public async Task Bad_continue_requests_are_400(string query, string message)
    {
        using var http = RawHttp.Create(cluster.Server);
        var (code, status) = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?{query}");
        Assert.Equal(400, code);
        Assert.StartsWith(message, (string?)status!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_get_follows_chunks()
    {
        var ns = await SeedAsync("chunks", 7);
        var before = cluster.Server.AuditTrail.Records.Count;
        var names = (await cluster.Kubectl.OkAsync("get", "configmaps", "-n", ns, "--chunk-size=3", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"configmap/cm-{i:D2}"), names);
        var lists = cluster.Server.AuditTrail.Records.Skip(before).Where(r => r.Verb == "list" && r.Namespace == ns).ToList();
        Assert.Equal(3, lists.Count);
        Assert.Equal(2, lists.Count(r => r.Query.Contains("continue=", StringComparison.Ordinal)));
    }
}
